// Admin adjustments of the current campaign, each audited: phase moves, dates, holidays, stop.
import { and, eq } from 'drizzle-orm';
import { phasesOf } from '../../bot/engine/store.js';
import type { PhaseState } from '../../bot/campaign/state.js';
import { InputError } from '../../bot/errors.js';
import { cancelCampaignOutbox } from '../../bot/schedule.js';
import { addDays, formatDeadline, isValidDate, localDate, zonedTime } from '../../bot/time.js';
import { runBatch } from '../../db/client.js';
import { branches, campaignPhases, campaigns } from '../../db/schema.js';
import { alreadyApplied, auditEntry } from '../audit.js';
import type { SubcommandSpec } from '../../bot/registry.js';
import { currentCampaign, phaseLines } from './current.js';

/** The answer to a command whose change was already made by an earlier run of the same delivery. */
const APPLIED = '该操作已完成（服务恢复后未重复执行）。发送 /活动 查看当前状态。';

const KIND_WORDS: Record<string, string> = {
  动员: 'mobilize',
  承诺: 'pledge',
  创建: 'create',
  申报: 'declare',
  评议: 'review',
  表彰: 'commend',
  学期: 'semester',
};

/** A phase by number (1-based), kind (pledge / 承诺) or part of its title. */
export function findPhase(phases: PhaseState[], word: string, now: Date): PhaseState {
  const n = Number(word);
  if (Number.isInteger(n) && n >= 1 && n <= phases.length) return phases[n - 1]!;
  const kind = KIND_WORDS[word] ?? word.toLowerCase();
  const matches = phases.filter((p) => p.kind === kind || p.title.includes(word));
  const match = matches.find((p) => p.closesAt > now) ?? matches[0];
  if (!match) {
    throw new InputError('阶段', `没有找到阶段「${word}」。可用序号 1-${phases.length} 或阶段名称，发送 /活动 日期 查看。`);
  }
  return match;
}

function requireDate(value: string | undefined, field: string): string {
  if (!value || !isValidDate(value)) throw new InputError(field, `${field}应为 YYYY-MM-DD 格式的日期，例如 2026-09-01。`);
  return value;
}

export const campaignPhase: SubcommandSpec = {
  names: ['phase', '阶段'],
  usage: '/campaign phase next|<阶段>',
  summary: '立即结束当前阶段并开始下一阶段，或跳到指定阶段（管理员）',
  access: ['admin'],
  async run(ctx, args) {
    const { db, clock, event } = ctx;
    const c = await currentCampaign(ctx);
    if (await alreadyApplied(db, event, 'campaign.phase')) return { text: APPLIED };
    const now = clock.now();
    const phases = await phasesOf(db, c.id);
    const word = args[0];
    if (!word) throw new InputError('阶段', '请写明 next（下一阶段）或阶段名称，例如：/活动 阶段 下一阶段');
    const openNow = phases.filter((p) => p.opensAt <= now && now < p.closesAt);
    const target =
      word === 'next' || word === '下一阶段' ? phases.find((p) => p.seq > Math.max(-1, ...openNow.map((o) => o.seq))) : findPhase(phases, word, now);
    if (!target) throw new InputError('阶段', '已经是最后一个阶段了。');
    const length = target.closesAt.getTime() - target.opensAt.getTime();
    const closesAt = target.closesAt > now ? target.closesAt : new Date(now.getTime() + length);
    const toClose = openNow.filter((p) => p.seq < target.seq);
    // Phases jumped over never run: they become empty (open and close now), so they are neither
    // "next" nor summarised as if they had been held.
    const from = Math.max(-1, ...openNow.map((o) => o.seq));
    const skipped = phases.filter((p) => p.seq > from && p.seq < target.seq && p.opensAt > now);
    await runBatch(db, [
      ...toClose.map((p) => db.update(campaignPhases).set({ closesAt: now }).where(eq(campaignPhases.id, p.id))),
      ...skipped.map((p) => db.update(campaignPhases).set({ opensAt: now, closesAt: now }).where(eq(campaignPhases.id, p.id))),
      db.update(campaignPhases).set({ opensAt: now, closesAt }).where(eq(campaignPhases.id, target.id)),
      auditEntry(db, now, event, 'campaign.phase', `#${c.id}`, {
        opened: target.title,
        closed: toClose.map((p) => p.title),
        skipped: skipped.map((p) => p.title),
        from: { opensAt: target.opensAt.toISOString(), closesAt: target.closesAt.toISOString() },
      }),
    ]);
    return {
      text: `已开始「${target.title}」（截止 ${formatDeadline(closesAt, c.timezone)}）${toClose.length ? `，并结束了「${toClose.map((p) => p.title).join('、')}」` : ''}${skipped.length ? `，跳过了「${skipped.map((p) => p.title).join('、')}」` : ''}。`,
    };
  },
};

export const campaignDates: SubcommandSpec = {
  names: ['dates', '日期'],
  usage: '/campaign dates [<阶段> <开始日期> <结束日期>]',
  summary: '查看各阶段日期，或调整某一阶段的起止日期（管理员）',
  access: ['admin'],
  async run(ctx, args) {
    const { db, clock, event } = ctx;
    const c = await currentCampaign(ctx);
    const now = clock.now();
    const phases = await phasesOf(db, c.id);
    if (args.length === 0) {
      const lines = phaseLines(phases, c.timezone, now).map((p) => `${p.seq + 1}. ${p.title} ${p.opens} 至 ${p.closes}（${p.state}）`);
      return { text: `${c.title} 各阶段：\n${lines.join('\n')}` };
    }
    const phase = findPhase(phases, args[0]!, now);
    const from = requireDate(args[1], '开始日期');
    const to = requireDate(args[2], '结束日期');
    if (to < from) throw new InputError('结束日期', `结束日期 ${to} 早于开始日期 ${from}。`);
    const opensAt = zonedTime(from, 0, c.timezone);
    const closesAt = zonedTime(addDays(to, 1), 0, c.timezone);
    await runBatch(db, [
      db.update(campaignPhases).set({ opensAt, closesAt }).where(eq(campaignPhases.id, phase.id)),
      auditEntry(db, now, event, 'campaign.dates', `#${c.id}`, {
        phase: phase.title,
        from: { opensAt: phase.opensAt.toISOString(), closesAt: phase.closesAt.toISOString() },
        to: { opensAt: opensAt.toISOString(), closesAt: closesAt.toISOString() },
      }),
    ]);
    return { text: `已将「${phase.title}」调整为 ${from} 至 ${to}（含当日）。` };
  },
};

/**
 * A phase whose deadline falls in a holiday resumes after it: its deadline moves past the holiday by
 * the days the holiday took from it (those from the holiday's start, or the phase's, to the deadline).
 */
function extendedClose(phase: PhaseState, from: string, to: string, tz: string): Date | null {
  const lastDay = localDate(new Date(phase.closesAt.getTime() - 1), tz);
  if (lastDay < from || lastDay > to) return null;
  const firstDay = localDate(phase.opensAt, tz);
  const lostFrom = firstDay > from ? firstDay : from;
  const lost = Math.round((Date.parse(lastDay) - Date.parse(lostFrom)) / 86_400_000) + 1;
  return zonedTime(addDays(to, lost + 1), 0, tz);
}

export const campaignBlackout: SubcommandSpec = {
  names: ['blackout', '假期'],
  usage: '/campaign blackout <开始日期> <结束日期> [不顺延]',
  summary: '设置寒暑假等假期：期间不发任何通知和提醒，截止日在假期中的阶段顺延（写“不顺延”则不变）（管理员）',
  access: ['admin'],
  async run(ctx, args) {
    const { db, clock, event } = ctx;
    const c = await currentCampaign(ctx);
    const from = requireDate(args[0], '开始日期');
    const to = requireDate(args[1], '结束日期');
    if (to < from) throw new InputError('结束日期', `结束日期 ${to} 早于开始日期 ${from}。`);
    const keep = args.slice(2).some((a) => a === '不顺延' || a === 'keep');
    if (await alreadyApplied(db, event, 'campaign.blackout')) return { text: APPLIED };
    const blackouts = [...c.blackouts, { from, to }];
    const now = clock.now();
    const moves = keep
      ? []
      : (await phasesOf(db, c.id))
          .filter((p) => p.closesAt > now)
          .flatMap((p) => {
            const closesAt = extendedClose(p, from, to, c.timezone);
            return closesAt ? [{ phase: p, closesAt }] : [];
          });
    await runBatch(db, [
      db.update(campaigns).set({ blackouts }).where(eq(campaigns.id, c.id)),
      ...moves.map((m) => db.update(campaignPhases).set({ closesAt: m.closesAt }).where(eq(campaignPhases.id, m.phase.id))),
      auditEntry(db, now, event, 'campaign.blackout', `#${c.id}`, {
        from,
        to,
        extended: moves.map((m) => ({ phase: m.phase.title, from: formatDeadline(m.phase.closesAt, c.timezone), to: formatDeadline(m.closesAt, c.timezone) })),
      }),
    ]);
    const lines = moves.map((m) => `「${m.phase.title}」截止顺延至 ${formatDeadline(m.closesAt, c.timezone)}`);
    if (lines.length) {
      const text = `因假期（${from} 至 ${to}），${lines.join('；')}。假期中不发送通知和提醒。`;
      for (const b of await db
        .select({ id: branches.id, chatId: branches.chatId })
        .from(branches)
        .where(and(eq(branches.platform, c.platform), eq(branches.tenantKey, c.tenantKey)))) {
        if (b.chatId) ctx.send({ type: 'chat', id: b.chatId }, { kind: 'text', text }, `blackout:${c.id}:${from}:${b.id}`);
      }
    }
    return {
      text: `已设置假期 ${from} 至 ${to}：期间不发送阶段通知、表单和提醒，假期后第一天上午补发。${lines.length ? `${lines.join('；')}，已通知各支部。` : keep ? '各阶段截止日期不变。' : ''}`,
    };
  },
};

export const campaignStop: SubcommandSpec = {
  names: ['stop', '停止'],
  usage: '/campaign stop',
  summary: '停止当前活动，取消尚未发出的提醒（管理员）',
  access: ['admin'],
  async run(ctx) {
    const { db, clock, event } = ctx;
    if (await alreadyApplied(db, event, 'campaign.stop')) return { text: APPLIED };
    const c = await currentCampaign(ctx);
    await runBatch(db, [
      db.update(campaigns).set({ status: 'stopped' }).where(eq(campaigns.id, c.id)),
      cancelCampaignOutbox(db, c.id),
      auditEntry(db, clock.now(), event, 'campaign.stop', `#${c.id}`, {}),
    ]);
    return { text: `已停止活动「${c.title}」（#${c.id}），尚未发出的提醒已取消。` };
  },
};
