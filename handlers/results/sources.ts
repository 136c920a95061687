// The parts a result is made of, read from what the campaign stored: each reader values one part per
// subject (0–100, the committee score in points) with a detail people can check, or says why it is missing.
import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import type { PartValue } from '../../bot/campaign/results.js';
import { completion, type CampaignState, type PhaseState } from '../../bot/campaign/state.js';
import { formatScore, roundScore } from '../../bot/campaign/rubric.js';
import type { Db } from '../../db/client.js';
import { criteriaChecks, leaderReviews, pledgeProgress, pledges, surveys } from '../../db/schema.js';
import { currentSubmissions } from '../assess/store.js';
import { aggregateRound } from '../review/aggregate.js';
import { roundRoster, roundsOfPhase } from '../review/store.js';
import { surveyResult, percent } from '../survey/results.js';
import { tallyOf } from '../survey/store.js';

export type PartsBySubject = Map<number, PartValue>;

/** 优秀 100, 合格 80, 基本合格 60, 不合格 0 (民主评议党员's four grades). */
const PEER_POINTS = { excellent: 100, qualified: 80, basic: 60, unqualified: 0 } as const;
const GRADE_KEYS = Object.keys(PEER_POINTS) as Array<keyof typeof PEER_POINTS>;
/** 好 100, 较好 85, 一般 70, 差 50: the four grades of 领导点评 and the branch self-check. */
const GRADE_POINTS: Record<string, number> = { good: 100, fair: 85, average: 70, poor: 50 };

const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
const one = (x: number): number => Math.round(x * 10) / 10;

/** The newest phase of each kind that has opened: a campaign of two yearly rounds ends each in its own results. */
export function latestOpened(phases: PhaseState[], now: Date, test: (p: PhaseState) => boolean): PhaseState | null {
  return phases.filter((p) => test(p) && p.opensAt <= now).sort((a, b) => b.seq - a.seq)[0] ?? null;
}

/** The committee's second scoring of declared applicants: the mean of their totals (bonus included); any veto is 一票否决. */
export async function committeeScores(db: Db, declarePhase: PhaseState): Promise<{ parts: PartsBySubject; vetoed: Set<number> }> {
  const parts: PartsBySubject = new Map();
  const vetoed = new Set<number>();
  const byMember = new Map<number, Array<{ total: number; vetoed: boolean }>>();
  for (const s of await currentSubmissions(db, declarePhase.id, 'review')) {
    const list = byMember.get(s.assessment.memberId) ?? [];
    list.push({ total: s.submission.total, vetoed: s.submission.vetoed });
    byMember.set(s.assessment.memberId, list);
  }
  for (const [memberId, subs] of byMember) {
    const vetoes = subs.filter((s) => s.vetoed).length;
    if (vetoes) vetoed.add(memberId);
    const avg = roundScore(mean(subs.map((s) => s.total)));
    parts.set(memberId, { value: avg, detail: `${subs.length} 位委员评分，平均 ${formatScore(avg)} 分${vetoes ? `，${vetoes} 位认定一票否决` : ''}` });
  }
  return { parts, vetoed };
}

export async function selfScores(db: Db, declarePhase: PhaseState): Promise<PartsBySubject> {
  const parts: PartsBySubject = new Map();
  for (const s of await currentSubmissions(db, declarePhase.id, 'self')) {
    parts.set(s.assessment.memberId, {
      value: s.submission.total,
      detail: s.submission.vetoed ? '自评认定一票否决' : `自评 ${formatScore(s.submission.total)} 分`,
    });
  }
  return parts;
}

/** Peer grades of the closed rounds of a review phase, only through the round's publication threshold (k). */
export async function peerGrades(db: Db, phase: PhaseState): Promise<PartsBySubject> {
  const parts: PartsBySubject = new Map();
  for (const round of await roundsOfPhase(db, phase.id)) {
    if (round.status !== 'closed') continue;
    const aggregates = await aggregateRound(db, round.id);
    for (const m of await roundRoster(db, round.id)) if (!aggregates.has(m.id)) parts.set(m.id, { missing: '没有收到评议' });
    for (const [rateeId, a] of aggregates) {
      if (a.ballots < round.minBallots) {
        parts.set(rateeId, { missing: `不足 ${round.minBallots} 票，不公布` });
        continue;
      }
      const value = one(GRADE_KEYS.reduce((s, g) => s + a.grades[g] * PEER_POINTS[g], 0) / a.ballots);
      const g = a.grades;
      parts.set(rateeId, {
        value,
        detail: `${a.ballots} 票：优秀 ${g.excellent}、合格 ${g.qualified}、基本合格 ${g.basic}、不合格 ${g.unqualified}，折合 ${value} 分`,
      });
    }
  }
  return parts;
}

/** Share of a member's pledge items reported done and checked by the secretary (践诺). */
export async function pledgeFulfilment(db: Db, campaignId: number, pledgePhase: PhaseState): Promise<PartsBySubject> {
  const parts: PartsBySubject = new Map();
  const rows = await db
    .select({ id: pledges.id, memberId: pledges.memberId, items: pledges.items })
    .from(pledges)
    .where(and(eq(pledges.campaignId, campaignId), eq(pledges.phaseId, pledgePhase.id), eq(pledges.kind, 'member')));
  const ids = rows.map((r) => r.id);
  const checked = ids.length
    ? await db
        .select({ pledgeId: pledgeProgress.pledgeId, itemNo: pledgeProgress.itemNo })
        .from(pledgeProgress)
        .where(and(inArray(pledgeProgress.pledgeId, ids), eq(pledgeProgress.status, 'done'), isNotNull(pledgeProgress.checkedAt)))
    : [];
  for (const r of rows) {
    if (r.memberId === null || r.items.length === 0) continue;
    const done = new Set(checked.filter((c) => c.pledgeId === r.id).map((c) => c.itemNo)).size;
    parts.set(r.memberId, { value: one((done / r.items.length) * 100), detail: `${r.items.length} 项承诺中 ${done} 项已完成并经核实` });
  }
  return parts;
}

/** 领导点评 of each branch: its grades on 五个好 from every committee member who reviewed it. */
export async function leaderFiveGoods(db: Db, phases: PhaseState[]): Promise<PartsBySubject> {
  const parts: PartsBySubject = new Map();
  const ids = phases.map((p) => p.id);
  if (!ids.length) return parts;
  const rows = await db.select().from(leaderReviews).where(inArray(leaderReviews.phaseId, ids));
  const byBranch = new Map<number, number[]>();
  for (const r of rows) {
    const points = Object.values(r.grades).flatMap((g) => (g in GRADE_POINTS ? [GRADE_POINTS[g]!] : []));
    if (!points.length) continue;
    byBranch.set(r.branchId, [...(byBranch.get(r.branchId) ?? []), mean(points)]);
  }
  for (const [branchId, scores] of byBranch) {
    const value = one(mean(scores));
    parts.set(branchId, { value, detail: `${scores.length} 位委员点评，折合 ${value} 分` });
  }
  return parts;
}

type SurveyRow = typeof surveys.$inferSelect;

/** When the campaign's last phase closes (its creation, before it has any): the end of its surveys' window. */
export function campaignEnd(campaign: { createdAt: Date }, phases: Array<{ closesAt: Date }>): Date {
  return new Date(Math.max(...phases.map((p) => p.closesAt.getTime()), campaign.createdAt.getTime()));
}

/**
 * The branch's newest survey of the campaign: opened by its phases, or opened by hand (/满意度 开启)
 * while the campaign ran. A later campaign's survey is not this one's.
 */
export function campaignSurvey(rows: SurveyRow[], campaign: { id: number; createdAt: Date }, endsAt: Date, branchId: number): SurveyRow | undefined {
  return rows
    .filter(
      (s) =>
        s.branchId === branchId &&
        s.memberId === null &&
        (s.campaignId === campaign.id || (s.campaignId === null && s.openedAt >= campaign.createdAt && s.openedAt < endsAt)),
    )
    .sort((a, b) => b.id - a.id)[0];
}

/** The branch's satisfaction survey in the campaign: its rate, once the sample is large enough. */
export async function satisfaction(db: Db, campaign: { id: number; createdAt: Date }, endsAt: Date, branchIds: number[]): Promise<PartsBySubject> {
  const parts: PartsBySubject = new Map();
  if (!branchIds.length) return parts;
  const rows = await db.select().from(surveys).where(inArray(surveys.branchId, branchIds));
  for (const branchId of branchIds) {
    const s = campaignSurvey(rows, campaign, endsAt, branchId);
    if (!s) continue;
    const r = surveyResult(await tallyOf(db, s.id), s.threshold, s.minSample, s.criteria);
    if (r.rate === null || r.n < s.minSample) {
      parts.set(branchId, { missing: `样本不足（${r.n}/${s.minSample}）` });
      continue;
    }
    parts.set(branchId, { value: one(r.rate * 100), detail: `满意率 ${percent(r.rate)}（${r.n} 份）` });
  }
  return parts;
}

/** The branch's own check against the template's criteria (五个好), newest phase first. */
export async function branchSelfCheck(db: Db, campaignId: number): Promise<PartsBySubject> {
  const parts: PartsBySubject = new Map();
  const rows = await db
    .select()
    .from(criteriaChecks)
    .where(and(eq(criteriaChecks.campaignId, campaignId), eq(criteriaChecks.kind, 'branch')));
  for (const r of rows.sort((a, b) => b.phaseId - a.phaseId)) {
    if (r.branchId === null || parts.has(r.branchId)) continue;
    const points = r.answers.flatMap((a) => (a.grade in GRADE_POINTS ? [GRADE_POINTS[a.grade]!] : []));
    if (!points.length) continue;
    const value = one(mean(points));
    parts.set(r.branchId, { value, detail: `自查 ${points.length} 项，折合 ${value} 分` });
  }
  return parts;
}

/** How much of what the phases asked of the branch's members was answered (phases that have closed). */
export function branchCompletion(state: CampaignState, now: Date): PartsBySubject {
  const parts: PartsBySubject = new Map();
  const closed = state.phases.filter((p) => p.respond && p.respond !== 'leader' && p.closesAt <= now);
  for (const b of state.branches) {
    let expected = 0;
    let done = 0;
    for (const p of closed) {
      const c = completion(state, p, b.id);
      expected += c.expected;
      done += c.done;
    }
    if (expected === 0) continue;
    parts.set(b.id, { value: one((done / expected) * 100), detail: `${closed.length} 个阶段应答 ${done}/${expected}` });
  }
  return parts;
}
