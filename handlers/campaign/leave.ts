// /请假 and /免评: a secretary (own branch) or an administrator excuses a member from a phase, or (请假)
// for a range of dates, with a reason; /请假 撤销 @某人 ends it. Excused members are not nudged, not
// pending, and shown as such. Every change is audited; a revoked exemption keeps its row.
import { and, eq, isNull } from 'drizzle-orm';
import { hasAccess } from '../../bot/access.js';
import { InputError } from '../../bot/errors.js';
import type { CommandSpec, HandlerContext } from '../../bot/registry.js';
import { phasesOf } from '../../bot/engine/store.js';
import { isValidDate } from '../../bot/time.js';
import type { CommandEvent, Reply } from '../../bot/types.js';
import { runBatch } from '../../db/client.js';
import { members, memberExemptions, type ExemptionKind } from '../../db/schema.js';
import { alreadyApplied, auditEntry } from '../audit.js';
import { findPhase } from './adjust.js';
import { currentCampaign } from './current.js';

const KIND_LABEL: Record<ExemptionKind, string> = { leave: '请假', exempt: '免评' };
const REVOKE = ['revoke', '撤销', '取消'];

async function target(ctx: HandlerContext<CommandEvent>) {
  const person = ctx.event.mentions[0];
  if (!person) throw new InputError('对象', '请 @ 要请假或免评的党员，例如：/请假 @张三 2026-10-08 2026-10-20 外出培训');
  const [m] = await ctx.db
    .select()
    .from(members)
    .where(and(eq(members.platform, ctx.event.platform), eq(members.tenantKey, ctx.event.tenantKey), eq(members.userId, person.userId)));
  if (!m) throw new InputError('对象', `${person.name} 不在名册中。`);
  // A secretary excuses only members of their own branch.
  if (!ctx.actor.isAdmin && !(hasAccess(ctx.actor, ['secretary']) && m.branchId === ctx.actor.member?.branchId)) {
    throw new InputError('对象', `${m.name} 不是本支部党员，请由其支部书记或管理员办理。`);
  }
  return m;
}

async function excuse(ctx: HandlerContext<CommandEvent>, kind: ExemptionKind): Promise<Reply> {
  const words = ctx.event.args.filter((a) => !a.startsWith('@'));
  if (REVOKE.includes(words[0] ?? '')) return revoke(ctx);
  const m = await target(ctx);
  const c = await currentCampaign(ctx);
  const now = ctx.clock.now();
  let phaseId: number | null = null;
  let from: string | null = null;
  let to: string | null = null;
  let rest: string[];
  let what: string;
  if (kind === 'leave' && isValidDate(words[0] ?? '')) {
    from = words[0]!;
    to = words[1] ?? '';
    if (!isValidDate(to)) throw new InputError('结束日期', `请写明结束日期，例如：/请假 @${m.name} ${from} ${from} 病假`);
    if (to < from) throw new InputError('结束日期', `结束日期 ${to} 早于开始日期 ${from}。`);
    rest = words.slice(2);
    what = `${from} 至 ${to}`;
  } else {
    if (!words[0]) throw new InputError('阶段', `请写明阶段${kind === 'leave' ? '或起止日期' : ''}，例如：/${KIND_LABEL[kind]} @${m.name} 党员互评 理由`);
    const phase = findPhase(await phasesOf(ctx.db, c.id), words[0], now);
    phaseId = phase.id;
    rest = words.slice(1);
    what = `「${phase.title}」`;
  }
  const reason = rest.join(' ').trim();
  if (!reason) throw new InputError('理由', `请写明${KIND_LABEL[kind]}理由。`);
  if ([...reason].length > 200) throw new InputError('理由', `理由最多 200 字，现在 ${[...reason].length} 字。`);
  if (await alreadyApplied(ctx.db, ctx.event, `exemption.${kind}`)) return { text: `已登记 ${m.name} ${what}${KIND_LABEL[kind]}。` };
  await runBatch(ctx.db, [
    ctx.db
      .insert(memberExemptions)
      .values({ campaignId: c.id, memberId: m.id, kind, phaseId, fromDate: from, toDate: to, reason, createdBy: ctx.actor.userId, createdAt: now }),
    auditEntry(ctx.db, now, ctx.event, `exemption.${kind}`, String(m.id), { member: m.name, phaseId, from, to, reason }),
  ]);
  return { text: `已登记 ${m.name} ${what}${KIND_LABEL[kind]}（${reason}）：期间不再提醒，不计入未完成。撤销：/${KIND_LABEL[kind]} 撤销 @${m.name}` };
}

async function revoke(ctx: HandlerContext<CommandEvent>): Promise<Reply> {
  const m = await target(ctx);
  const c = await currentCampaign(ctx);
  const now = ctx.clock.now();
  const rows = await ctx.db
    .update(memberExemptions)
    .set({ revokedAt: now, revokedBy: ctx.actor.userId })
    .where(and(eq(memberExemptions.campaignId, c.id), eq(memberExemptions.memberId, m.id), isNull(memberExemptions.revokedAt)))
    .returning({ id: memberExemptions.id });
  if (rows.length) await auditEntry(ctx.db, now, ctx.event, 'exemption.revoke', String(m.id), { member: m.name, ids: rows.map((r) => r.id) });
  return { text: rows.length ? `已撤销 ${m.name} 的 ${rows.length} 项请假/免评。` : `${m.name} 没有生效的请假或免评。` };
}

const spec = (kind: ExemptionKind, name: string): CommandSpec => ({
  name,
  aliases: [KIND_LABEL[kind]],
  usage: kind === 'leave' ? '/leave @某人 <阶段|开始日期 结束日期> <理由>' : '/exempt @某人 <阶段> <理由>',
  summary:
    kind === 'leave'
      ? '为党员登记请假（某阶段或起止日期），期间不提醒、不计入未完成；/请假 撤销 @某人'
      : '为党员登记某阶段免评，不提醒、不计入未完成；/免评 撤销 @某人',
  access: ['secretary', 'admin'],
  run: (ctx) => excuse(ctx, kind),
});

export const leaveCommand = spec('leave', 'leave');
export const exemptCommand = spec('exempt', 'exempt');
