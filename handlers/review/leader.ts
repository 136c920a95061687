// 领导点评: a committee member reviews each branch they link, against 五个好, with required comments.
import { and, eq, inArray, sql } from 'drizzle-orm';
import { BRANCH_GRADES, REVIEW_ACTIONS, leaderReviewCard, leaderReviewFormCard, type LeaderReviewDraft } from '../../cards/review-cards.js';
import type { CardModel } from '../../cards/model.js';
import { phasesOf, phaseWithCampaign, type CampaignRow } from '../../bot/engine/store.js';
import type { PhaseState } from '../../bot/campaign/state.js';
import { InputError } from '../../bot/errors.js';
import { enqueue } from '../../bot/outbox.js';
import { runBatch } from '../../db/client.js';
import { leaderReviews, members, phaseResponses } from '../../db/schema.js';
import type { ActionSpec, HandlerContext } from '../../bot/registry.js';
import { currentCampaign } from '../campaign/current.js';
import { branchCriteria } from './criteria.js';
import { branchById } from '../branches.js';
import { type FormValues, formText, intArg } from '../card-args.js';
import { phaseAnswer } from '../../bot/campaign/state.js';
import { committeeUserIds } from '../committee.js';
import { auditEntry } from '../audit.js';
import { sendableAt } from '../../bot/engine/due-jobs.js';
import { LEADER_TEXT_MAX, LEADER_TEXTS, leaderField } from './fields.js';

/** 领导点评 of branches; a leaders' phase that scores declared applicants belongs to self-assessment. */
function isLeaderPhase(p: PhaseState): boolean {
  return phaseAnswer(p) === 'leader-review';
}

async function reviewOf(ctx: HandlerContext, phaseId: number, branchId: number) {
  const [row] = await ctx.db
    .select()
    .from(leaderReviews)
    .where(and(eq(leaderReviews.phaseId, phaseId), eq(leaderReviews.leaderId, ctx.actor.member!.id), eq(leaderReviews.branchId, branchId)));
  return row ?? null;
}

async function cardFor(ctx: HandlerContext, campaign: CampaignRow, phase: PhaseState, branchId: number, editing: boolean): Promise<CardModel> {
  const criteria = branchCriteria(campaign.template);
  const name = (await branchById(ctx.db, branchId)).name;
  const existing = await reviewOf(ctx, phase.id, branchId);
  const open = phase.opensAt <= ctx.clock.now() && ctx.clock.now() < phase.closesAt;
  if (existing && (!editing || !open)) {
    return leaderReviewCard(
      { leaderName: ctx.actor.member!.name, branchName: name, phaseTitle: phase.title, criteria },
      existing,
      open ? { phaseId: phase.id, branchId } : undefined,
    );
  }
  if (!open) throw new InputError('阶段', `「${phase.title}」不在进行中。`);
  return leaderReviewFormCard({ phaseId: phase.id, phaseTitle: phase.title, branchId, branchName: name, criteria }, existing ?? { grades: {} });
}

function requireLinked(ctx: HandlerContext, branchId: number): void {
  if (!ctx.actor.linkedBranchIds.includes(branchId)) throw new InputError('支部', '您没有联系该支部，不能点评。');
}

export async function leaderCardsFor(ctx: HandlerContext): Promise<CardModel[]> {
  const campaign = await currentCampaign(ctx);
  const now = ctx.clock.now();
  const phase = (await phasesOf(ctx.db, campaign.id)).find((p) => isLeaderPhase(p) && p.opensAt <= now && now < p.closesAt);
  if (!phase) throw new InputError('阶段', '当前没有进行中的领导点评阶段。');
  if (ctx.actor.linkedBranchIds.length === 0) throw new InputError('支部', '您还没有联系的支部，请管理员在支部群中发送 /角色 @您 委员。');
  return Promise.all(ctx.actor.linkedBranchIds.map((b) => cardFor(ctx, campaign, phase, b, false)));
}

async function phaseScope(ctx: HandlerContext, args: Record<string, string>) {
  const found = await phaseWithCampaign(ctx.db, intArg(args, 'p'));
  if (found?.campaign.status !== 'active' || !isLeaderPhase(found.phase)) throw new InputError('卡片', '该卡片已失效。');
  return found;
}

async function scope(ctx: HandlerContext, args: Record<string, string>) {
  const found = await phaseScope(ctx, args);
  const branchId = intArg(args, 'b');
  requireLinked(ctx, branchId);
  return { ...found, branchId };
}

export const leaderOpen: ActionSpec = {
  ...REVIEW_ACTIONS.leaderOpen,
  access: ['leader'],
  async run(ctx) {
    const args = ctx.event.action.args;
    if (args.b) {
      const { campaign, phase, branchId } = await scope(ctx, args);
      return { card: await cardFor(ctx, campaign, phase, branchId, true) };
    }
    // From a phase card (no branch): every linked branch's card goes to the leader's direct chat.
    const { campaign, phase } = await phaseScope(ctx, args);
    const cards = await Promise.all(ctx.actor.linkedBranchIds.map((b) => cardFor(ctx, campaign, phase, b, false)));
    cards.forEach((card, i) => ctx.send({ type: 'user', id: ctx.actor.userId }, { kind: 'card', card }, `leader-open:${ctx.event.eventId}:${i}`));
    return { toast: { type: 'success', text: `已私信发送 ${cards.length} 张点评卡片。` } };
  },
};

function readForm(form: FormValues, criteria: Array<{ id: string; name: string }>) {
  const errors: string[] = [];
  const grades: Record<string, string> = {};
  for (const c of criteria) {
    const g = formText(form[leaderField.grade(c.id)]);
    grades[c.id] = g;
    if (!g) errors.push(`${c.name}：请选择 好、较好、一般 或 差。`);
    else if (!(g in BRANCH_GRADES)) errors.push(`${c.name}：「${g}」不是可选的评价。`);
  }
  const draft: LeaderReviewDraft = { grades };
  for (const { name, label } of LEADER_TEXTS) {
    const v = formText(form[name]);
    draft[name] = v || undefined;
    if (!v) errors.push(`${label}：请填写。`);
    else if ([...v].length > LEADER_TEXT_MAX) errors.push(`${label}：最多 ${LEADER_TEXT_MAX} 字，现在 ${[...v].length} 字。`);
  }
  return { errors, draft };
}

async function currentRevision(ctx: HandlerContext, phaseId: number, leaderId: number, branchId: number) {
  const [row] = await ctx.db
    .select({ revision: leaderReviews.revision })
    .from(leaderReviews)
    .where(and(eq(leaderReviews.phaseId, phaseId), eq(leaderReviews.leaderId, leaderId), eq(leaderReviews.branchId, branchId)));
  return row;
}

export const leaderSubmit: ActionSpec = {
  ...REVIEW_ACTIONS.leaderSubmit,
  access: ['leader'],
  async run(ctx) {
    const { campaign, phase, branchId } = await scope(ctx, ctx.event.action.args);
    const now = ctx.clock.now();
    if (!(phase.opensAt <= now && now < phase.closesAt)) return { toast: { type: 'error', text: `「${phase.title}」已结束，无法再提交点评。` } };
    const criteria = branchCriteria(campaign.template);
    const name = (await branchById(ctx.db, branchId)).name;
    const { errors, draft } = readForm(ctx.event.formValue, criteria);
    if (errors.length) {
      return {
        toast: { type: 'error', text: `有 ${errors.length} 处需要修改` },
        card: leaderReviewFormCard({ phaseId: phase.id, phaseTitle: phase.title, branchId, branchName: name, criteria }, draft, errors),
      };
    }
    const review = { grades: draft.grades as Record<string, string>, strengths: draft.strengths!, problems: draft.problems!, direction: draft.direction! };
    const leaderId = ctx.actor.member!.id;
    const [inserted] = await ctx.db
      .insert(leaderReviews)
      .values({ phaseId: phase.id, leaderId, branchId, ...review, updatedAt: now })
      .onConflictDoUpdate({
        target: [leaderReviews.phaseId, leaderReviews.leaderId, leaderReviews.branchId],
        set: { ...review, revision: sql`${leaderReviews.revision} + 1`, updatedAt: now },
        // A repeated identical submit (double click, retried callback) is not a new revision.
        setWhere: sql`${leaderReviews.grades} IS NOT excluded.grades OR ${leaderReviews.strengths} IS NOT excluded.strengths
          OR ${leaderReviews.problems} IS NOT excluded.problems OR ${leaderReviews.direction} IS NOT excluded.direction`,
      })
      .returning({ revision: leaderReviews.revision });
    // A resumed run finds its review saved (no new revision) but its copies maybe not queued: queue
    // the current revision again; the outbox keys make a second queueing a no-op.
    const saved = inserted ?? (ctx.resumed ? await currentRevision(ctx, phase.id, leaderId, branchId) : undefined);
    const reviewed = await ctx.db
      .select({ branchId: leaderReviews.branchId })
      .from(leaderReviews)
      .where(and(eq(leaderReviews.phaseId, phase.id), eq(leaderReviews.leaderId, leaderId), inArray(leaderReviews.branchId, ctx.actor.linkedBranchIds)));
    const secretaries = await ctx.db
      .select({ userId: members.userId })
      .from(members)
      .where(and(eq(members.branchId, branchId), eq(members.role, 'secretary'), eq(members.active, true)));
    const committee = (await committeeUserIds(ctx)).filter((id) => id !== ctx.actor.userId);
    const shared = leaderReviewCard({ leaderName: ctx.actor.member!.name, branchName: name, phaseTitle: phase.title, criteria }, review);
    await runBatch(ctx.db, [
      // Every revision is kept in the audit trail (the row holds the latest): no overwrite without a trace.
      ...(inserted ? [auditEntry(ctx.db, now, ctx.event, 'leader-review.submit', `${phase.id}:${branchId}`, { revision: inserted.revision, ...review })] : []),
      ...(reviewed.length >= ctx.actor.linkedBranchIds.length
        ? [ctx.db.insert(phaseResponses).values({ phaseId: phase.id, memberId: leaderId, at: now }).onConflictDoNothing()]
        : []),
      // The branch's secretaries and the rest of the committee (the roster's leaders) see each review.
      ...(saved ? [...new Set([...secretaries.map((s) => s.userId), ...committee])] : []).map((userId) =>
        enqueue(ctx.db, {
          key: `leader:${phase.id}:${leaderId}:${branchId}:r${saved!.revision}:${userId}`,
          platform: ctx.event.platform,
          to: { type: 'user', id: userId },
          content: { kind: 'card', card: shared },
          notBefore: sendableAt(campaign, now),
          campaignId: campaign.id,
        }),
      ),
    ]);
    ctx.outboxWritten();
    return {
      toast: { type: 'success', text: '点评已提交，已发送支部书记和党委并记入台账' },
      card: leaderReviewCard({ leaderName: ctx.actor.member!.name, branchName: name, phaseTitle: phase.title, criteria }, review, {
        phaseId: phase.id,
        branchId,
      }),
    };
  },
};
