// Second scoring (考核打分): who may be scored, what the committee has so far (never who), the leaders' answer.
import { inArray, eq } from 'drizzle-orm';
import { formatScore, roundScore } from '../../bot/campaign/rubric.js';
import type { PhaseState } from '../../bot/campaign/state.js';
import type { ReviewEntry } from '../../cards/assess-admin-cards.js';
import { branches, members, phaseResponses } from '../../db/schema.js';
import type { HandlerContext } from '../../bot/registry.js';
import { awardedPosts, latestLists } from './declare-store.js';
import { findDeclaration } from './declare-store.js';
import { hasPosts, rosterEntry, type AssessScope } from './scope.js';
import { currentSubmissions, phaseAssessments } from './store.js';
import { onCommittee } from '../../bot/campaign/template.js';

export interface Applicant {
  memberId: number;
  name: string;
  branchId: number | null;
  branch: string;
  postKind: string;
  selfTotal: number;
  selfVetoed: boolean;
}

/** Applicants on a confirmed branch list (declare) or holding the post (semester) whose self-assessment is submitted. */
export async function reviewableApplicants(ctx: HandlerContext, scope: AssessScope): Promise<Applicant[]> {
  const { db } = ctx;
  const kinds = new Map<number, string>();
  if (scope.phase.kind === 'declare') {
    for (const list of await latestLists(db, scope.phase.id)) {
      for (const id of list.memberIds) kinds.set(id, (await findDeclaration(db, scope.phase.id, id))?.postKind ?? '');
    }
  } else if (hasPosts(scope)) {
    for (const p of await awardedPosts(db, scope.campaign.id)) kinds.set(p.declaration.memberId, p.declaration.postKind);
  }
  const selfSubs = new Map((await currentSubmissions(db, scope.phase.id, 'self')).map((s) => [s.assessment.memberId, s.submission]));
  // Without declarations every member who self-assessed in the semester may be scored again.
  if (scope.phase.kind === 'semester' && !hasPosts(scope)) for (const id of selfSubs.keys()) kinds.set(id, '');
  const ids = [...kinds.keys()].filter((id) => selfSubs.has(id));
  if (!ids.length) return [];
  const people = await db
    .select({ id: members.id, name: members.name, branchId: members.branchId, branch: branches.name })
    .from(members)
    .leftJoin(branches, eq(branches.id, members.branchId))
    .where(inArray(members.id, ids));
  return people
    .map((p) => ({
      memberId: p.id,
      name: p.name,
      branchId: p.branchId,
      branch: p.branch ?? '未分支部',
      postKind: kinds.get(p.id) ?? '',
      selfTotal: selfSubs.get(p.id)!.total,
      selfVetoed: selfSubs.get(p.id)!.vetoed,
    }))
    .sort((a, b) => (a.branchId ?? 0) - (b.branchId ?? 0) || a.memberId - b.memberId);
}

/** The reviewer's list: each applicant with the committee's aggregate and the reviewer's own progress. */
export async function reviewEntries(ctx: HandlerContext, scope: AssessScope): Promise<ReviewEntry[]> {
  const applicants = await reviewableApplicants(ctx, scope);
  const reviews = await currentSubmissions(ctx.db, scope.phase.id, 'review');
  const mine = new Map((await phaseAssessments(ctx.db, scope.phase.id, 'review')).filter((a) => a.raterId === ctx.actor.userId).map((a) => [a.memberId, a]));
  const linked = new Set(ctx.actor.linkedBranchIds);
  const entries = applicants.map((a): ReviewEntry => {
    const theirs = reviews.filter((r) => r.assessment.memberId === a.memberId).map((r) => r.submission);
    const vetoes = theirs.filter((s) => s.vetoed).length;
    const avg = theirs.length ? roundScore(theirs.reduce((s, r) => s + r.total, 0) / theirs.length) : null;
    const own = mine.get(a.memberId);
    return {
      memberId: a.memberId,
      name: a.name,
      branch: a.branch,
      postKind: a.postKind,
      self: a.selfVetoed ? '一票否决' : `${formatScore(a.selfTotal)} 分`,
      aggregate: avg === null ? '暂无评分' : `${theirs.length} 人评分，平均 ${formatScore(avg)} 分${vetoes ? `，${vetoes} 人认定一票否决` : ''}`,
      mine: own && own.revision > 0 ? 'submitted' : own?.pagesDone.length ? 'draft' : 'none',
      linked: a.branchId !== null && linked.has(a.branchId),
    };
  });
  return [...entries.filter((e) => e.linked), ...entries.filter((e) => !e.linked)];
}

/**
 * A leader has answered the review phase once they scored every applicant of the branches they link
 * (every applicant when they link none): then the engine stops nudging them.
 */
export async function recordLeaderResponse(ctx: HandlerContext, scope: AssessScope, window: PhaseState, now: Date): Promise<void> {
  const me = ctx.actor.member;
  if (window.kind !== 'review' || window.respond !== 'leader' || !me || !onCommittee(me)) return;
  if (!(await rosterEntry(ctx, scope.campaign.id, me.id))) return;
  const applicants = await reviewableApplicants(ctx, scope);
  const links = new Set(ctx.actor.linkedBranchIds);
  const pool = links.size ? applicants.filter((a) => a.branchId !== null && links.has(a.branchId)) : applicants;
  if (!pool.length) return;
  const scored = new Set(
    (await currentSubmissions(ctx.db, scope.phase.id, 'review')).filter((r) => r.assessment.raterId === ctx.actor.userId).map((r) => r.assessment.memberId),
  );
  if (pool.every((a) => scored.has(a.memberId))) {
    await ctx.db.insert(phaseResponses).values({ phaseId: window.id, memberId: me.id, at: now }).onConflictDoNothing();
  }
}
