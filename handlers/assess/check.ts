// The branch's semester self-check against the template's branch criteria (五个好), answered by its secretary.
import { and, eq, sql } from 'drizzle-orm';
import { isOpen } from '../../bot/campaign/state.js';
import { InputError } from '../../bot/errors.js';
import type { CardActionEvent } from '../../bot/types.js';
import { ASSESS_ACTIONS } from '../../cards/assess-cards.js';
import { checkFormCard, checkSubmittedCard, type CheckOwnerView } from '../../cards/assess-admin-cards.js';
import type { CardModel } from '../../cards/model.js';
import type { Db } from '../../db/client.js';
import { branches, criteriaChecks, type CriterionAnswer } from '../../db/schema.js';
import type { ActionSpec, HandlerContext } from '../../bot/registry.js';
import { assessScope, type AssessScope } from './scope.js';
import { readCheckForm } from './validate.js';
import { intArg } from '../card-args.js';

export type CheckRow = typeof criteriaChecks.$inferSelect;

export function branchCriteria(scope: AssessScope) {
  const criteria = scope.template.criteria.branch;
  if (!criteria.length) throw new InputError('标准', `「${scope.campaign.title}」的模板没有支部考核标准。`);
  return criteria;
}

/** The branch the sender checks: their own as its secretary (an admin: the branch of the chat or of the card). */
export async function checkOwner(ctx: HandlerContext, branchArg?: string): Promise<CheckOwnerView> {
  const m = ctx.actor.member;
  const wanted = branchArg ? Number(branchArg) : (ctx.actor.chatBranch?.id ?? m?.branchId ?? NaN);
  const isSecretary = m?.role === 'secretary' && m.active && m.branchId === wanted;
  if (!Number.isInteger(wanted) || !(isSecretary || ctx.actor.isAdmin)) throw new InputError('支部', '只有本支部书记可以填写支部自查。');
  const [b] = await ctx.db.select({ name: branches.name }).from(branches).where(eq(branches.id, wanted));
  if (!b) throw new InputError('支部', '找不到该支部。');
  return { branchId: wanted, label: b.name };
}

export async function findCheck(db: Db, phaseId: number, branchId: number): Promise<CheckRow | null> {
  const [row] = await db
    .select()
    .from(criteriaChecks)
    .where(and(eq(criteriaChecks.phaseId, phaseId), eq(criteriaChecks.ownerKey, `branch:${branchId}`)));
  return row ?? null;
}

export async function checkCardFor(ctx: HandlerContext, scope: AssessScope, owner: CheckOwnerView, editing = false): Promise<CardModel> {
  const criteria = branchCriteria(scope);
  const existing = await findCheck(ctx.db, scope.phase.id, owner.branchId);
  const open = isOpen(scope.phase, ctx.clock.now());
  if (existing && (!editing || !open)) return checkSubmittedCard(scope.view, owner, existing.answers, existing.revision, open);
  if (!open) throw new InputError('阶段', `「${scope.phase.title}」不在进行中，无法填写支部自查。`);
  const values = Object.fromEntries(
    (existing?.answers ?? []).flatMap((a) => [
      [`grade_${a.id}`, a.grade],
      [`note_${a.id}`, a.note],
    ]),
  );
  return checkFormCard(scope.view, owner, criteria, values);
}

/** Stores the check (a new revision when changed) and answers the phase for every secretary of the branch. */
async function saveCheck(
  ctx: HandlerContext,
  scope: AssessScope,
  branchId: number,
  answers: CriterionAnswer[],
  now: Date,
): Promise<{ row: CheckRow; changed: boolean }> {
  const { db } = ctx;
  const upsert = db
    .insert(criteriaChecks)
    .values({
      campaignId: scope.campaign.id,
      phaseId: scope.phase.id,
      kind: 'branch',
      ownerKey: `branch:${branchId}`,
      branchId,
      memberId: ctx.actor.member?.id ?? null,
      criteriaId: `${scope.template.id}/criteria.branch`,
      criteriaVersion: scope.template.version,
      answers,
      submittedBy: ctx.actor.userId,
      updatedAt: now,
    })
    .onConflictDoUpdate({
      target: [criteriaChecks.phaseId, criteriaChecks.ownerKey],
      set: { answers, revision: sql`${criteriaChecks.revision} + 1`, submittedBy: ctx.actor.userId, memberId: ctx.actor.member?.id ?? null, updatedAt: now },
      setWhere: sql`${criteriaChecks.answers} IS NOT excluded.answers`,
    })
    .returning({ id: criteriaChecks.id });
  const answered = db.run(sql`INSERT OR IGNORE INTO phase_responses (phase_id, member_id, at)
    SELECT ${scope.phase.id}, member_id, ${now.getTime()} FROM campaign_roster
    WHERE campaign_id = ${scope.campaign.id} AND branch_id = ${branchId} AND role = 'secretary' AND removed_at IS NULL`);
  const [written] = (await db.batch([upsert, answered])) as [Array<{ id: number }>, unknown];
  return { row: (await findCheck(db, scope.phase.id, branchId))!, changed: written.length > 0 };
}

export const assessCheckSubmit: ActionSpec = {
  ...ASSESS_ACTIONS.check,
  access: ['secretary', 'admin'],
  async run(ctx: HandlerContext<CardActionEvent>) {
    const scope = await assessScope(ctx, intArg(ctx.event.action.args, 'p'));
    const now = ctx.clock.now();
    if (!isOpen(scope.phase, now)) return { toast: { type: 'error', text: `「${scope.phase.title}」已结束，无法再提交支部自查。` } };
    const owner = await checkOwner(ctx, ctx.event.action.args.b);
    const criteria = branchCriteria(scope);
    const form = readCheckForm(ctx.event.formValue, criteria);
    if (form.errors.length) {
      return {
        toast: { type: 'error', text: `有 ${form.errors.length} 处需要修改` },
        card: checkFormCard(scope.view, owner, criteria, form.values, form.errors),
      };
    }
    const { row, changed } = await saveCheck(ctx, scope, owner.branchId, form.answers, now);
    return {
      toast: { type: 'success', text: changed ? '支部自查已提交' : '支部自查未改变' },
      card: checkSubmittedCard(scope.view, owner, row.answers, row.revision, true),
    };
  },
};
