// Finding "the current campaign" of the sender's organisation, and phase lines for cards.
import { and, desc, eq } from 'drizzle-orm';
import type { PhaseLine } from '../../cards/campaign-admin-cards.js';
import type { PhaseState } from '../../bot/campaign/state.js';
import type { CampaignRow } from '../../bot/engine/store.js';
import { ChoiceError, InputError } from '../../bot/errors.js';
import { campaignChoiceCard } from '../../cards/campaign-choice-card.js';
import { chooseCampaign } from './select.js';
import { formatDeadline, formatLocal } from '../../bot/time.js';
import { campaigns } from '../../db/schema.js';
import type { HandlerContext } from '../../bot/registry.js';

/** The sender's organisation's campaigns, newest first. */
export async function campaignsOf(ctx: HandlerContext): Promise<CampaignRow[]> {
  return ctx.db
    .select()
    .from(campaigns)
    .where(and(eq(campaigns.platform, ctx.event.platform), eq(campaigns.tenantKey, ctx.event.tenantKey)))
    .orderBy(desc(campaigns.id));
}

const listOf = (rows: CampaignRow[]) => rows.map((c) => `#${c.id} ${c.title}`).join('、');

/** A campaign by number ("3", "#3") or by a part of its title or template name; one match or an explanation. */
export function pickCampaign(rows: CampaignRow[], ref: string): CampaignRow {
  const choice = chooseCampaign(rows, ref);
  if (!choice.ok) throw new InputError('活动', choice.message);
  return choice.campaign;
}

/**
 * The running campaign a command acts on: the one named with 活动:<编号|名称>, else the only one
 * running; with several running, the sender is asked which. (Card buttons carry their own phase.)
 */
export async function currentCampaign(ctx: HandlerContext): Promise<CampaignRow> {
  const rows = await campaignsOf(ctx);
  const ref = ctx.event.kind === 'command' ? ctx.event.campaign : undefined;
  if (ref) {
    const row = pickCampaign(rows, ref);
    if (row.status !== 'active') throw new InputError('活动', `活动 #${row.id}「${row.title}」已${row.status === 'finished' ? '结束' : '停止'}。`);
    return row;
  }
  const running = rows.filter((c) => c.status === 'active');
  if (running.length === 0) throw new InputError('活动', '当前没有进行中的活动。管理员可发送 /活动 新建 <模板> [开始日期] 开始。');
  if (running.length > 1 && ctx.event.kind === 'command') {
    const e = ctx.event;
    const typed = `当前有 ${running.length} 个进行中的活动：${listOf(running)}。请在命令后加上 活动:编号，例如：/${e.name} 活动:${running[0]!.id}`;
    const again = { text: [e.name, ...e.args].join(' '), mentions: e.mentions, group: e.chatType === 'group' };
    throw new ChoiceError('活动', typed, campaignChoiceCard(again, running, typed));
  }
  return running[0]!;
}

export function phaseLines(phases: PhaseState[], tz: string, now: Date): PhaseLine[] {
  return phases.map((p) => ({
    seq: p.seq,
    title: p.title,
    opens: formatLocal(p.opensAt, tz),
    closes: formatDeadline(p.closesAt, tz),
    state: now < p.opensAt ? '未开始' : now < p.closesAt ? '进行中' : '已结束',
  }));
}

/** The running campaign if there is one (several: the one named, or the sender is asked), else null. */
export async function runningCampaign(ctx: HandlerContext): Promise<CampaignRow | null> {
  const rows = await campaignsOf(ctx);
  return rows.some((c) => c.status === 'active') ? currentCampaign(ctx) : null;
}
