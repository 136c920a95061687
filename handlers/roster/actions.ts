// The buttons of the 待确认 card: a secretary confirms one person's 政治面貌, or all shown as 正式党员.
import { eq } from 'drizzle-orm';
import type { Actor } from '../../bot/access.js';
import { STATUS_LABELS, statusFromWord } from '../../bot/political-status.js';
import type { ActionSpec, HandlerContext } from '../../bot/registry.js';
import type { CardActionEvent, Reply } from '../../bot/types.js';
import { pendingCard, ROSTER_CONFIRM, ROSTER_CONFIRM_ALL } from '../../cards/roster-cards.js';
import { branches, members } from '../../db/schema.js';
import { intArg } from '../card-args.js';
import { confirmPending, pendingOf } from './pending.js';

export function maySettle(actor: Actor, branchId: number): boolean {
  return actor.isAdmin || (actor.member?.role === 'secretary' && actor.member.active && actor.member.branchId === branchId);
}

async function answer(ctx: HandlerContext<CardActionEvent>, branchId: number, done: string): Promise<Reply> {
  const [branch] = await ctx.db.select({ name: branches.name }).from(branches).where(eq(branches.id, branchId));
  return { card: pendingCard(branch?.name ?? '支部', branchId, await pendingOf(ctx.db, branchId), done), toast: { type: 'success', text: done } };
}

const notYours: Reply = { toast: { type: 'warning', text: '只有本支部书记或管理员可以确认成员的政治面貌。' } };

export const rosterConfirmAction: ActionSpec = {
  ...ROSTER_CONFIRM,
  access: ['admin', 'secretary'],
  changesRoles: true,
  async run(ctx) {
    const status = statusFromWord(ctx.event.action.args.s);
    if (!status) return { toast: { type: 'error', text: '未知的政治面貌。' } };
    const [m] = await ctx.db
      .select()
      .from(members)
      .where(eq(members.id, intArg(ctx.event.action.args, 'm')));
    if (!m?.branchId) return { toast: { type: 'warning', text: '该成员已不在名册中。' } };
    if (!maySettle(ctx.actor, m.branchId)) return notYours;
    const names = await confirmPending(ctx.db, ctx.event, ctx.clock.now(), m.branchId, [m.id], status);
    return answer(ctx, m.branchId, names.length ? `已确认 ${m.name} 为${STATUS_LABELS[status]}。` : `${m.name} 已确认过，无需重复操作。`);
  },
};

export const rosterConfirmAllAction: ActionSpec = {
  ...ROSTER_CONFIRM_ALL,
  access: ['admin', 'secretary'],
  changesRoles: true,
  async run(ctx) {
    const branchId = intArg(ctx.event.action.args, 'b');
    if (!maySettle(ctx.actor, branchId)) return notYours;
    const ids = (ctx.event.action.args.m ?? '')
      .split(',')
      .map(Number)
      .filter((n) => Number.isInteger(n) && n > 0);
    const names = await confirmPending(ctx.db, ctx.event, ctx.clock.now(), branchId, ids, 'full');
    return answer(ctx, branchId, names.length ? `已确认 ${names.join('、')} 为正式党员。` : '这些成员均已确认过。');
  },
};
