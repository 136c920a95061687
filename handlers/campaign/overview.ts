// /活动 总览: the committee's dashboard of the newest campaign (a finished one too), read fresh.
import { inArray } from 'drizzle-orm';
import { campaignOverviewCard } from '../../cards/campaign-overview-card.js';
import { GRADE_LABELS, type GradeKey } from '../../cards/review-cards.js';
import { completion, isAssessPhase } from '../../bot/campaign/state.js';
import { loadCampaignState } from '../../bot/engine/store.js';
import type { SubcommandSpec } from '../../bot/registry.js';
import { formatLocal } from '../../bot/time.js';
import { reviewRounds, surveys } from '../../db/schema.js';
import { campaignEnd, campaignSurvey } from '../results/sources.js';
import { aggregateRound } from '../review/aggregate.js';
import { currentSubmissions } from '../assess/store.js';
import { campaignFor } from '../commend/context.js';
import { replyPrivately } from '../private-card.js';
import { reviewResponses } from '../review/responses.js';
import { percent, surveyResult } from '../survey/results.js';
import { tallyOf } from '../survey/store.js';

const BANDS = [
  { label: '90分及以上', min: 90, max: Infinity },
  { label: '80–89分', min: 80, max: 90 },
  { label: '70–79分', min: 70, max: 80 },
  { label: '60–69分', min: 60, max: 70 },
  { label: '60分以下', min: -Infinity, max: 60 },
];

export const campaignOverview: SubcommandSpec = {
  names: ['overview', '总览'],
  usage: '/campaign overview [编号]',
  summary: '活动总览：各支部各阶段完成率、自评分数分布、互评等次分布、满意度是否达标（私信发送）',
  access: ['admin', 'leader'],
  async run(ctx, args) {
    const { db, clock } = ctx;
    const now = clock.now();
    const c = await campaignFor(ctx, args[0]);
    const state = await loadCampaignState(db, c, { config: ctx.config, sources: [reviewResponses], keys: 'none' });
    const asked = state.phases.filter((p) => p.respond && p.respond !== 'leader' && p.opensAt <= now);
    const phases = asked.map((p) => ({
      title: p.title,
      state: now < p.closesAt ? '进行中' : '已结束',
      branches: state.branches.map((b) => ({ name: b.name, ...completion(state, p, b.id) })),
    }));
    const totals: number[] = [];
    for (const p of state.phases.filter((x) => isAssessPhase(x) && x.kind === 'declare' && x.opensAt <= now)) {
      totals.push(...(await currentSubmissions(db, p.id, 'self')).map((s) => s.submission.total));
    }
    // Grades only of closed rounds and of members past the round's threshold (k): a running count
    // compared between two looks would show what one rater just gave.
    const phaseIds = state.phases.map((p) => p.id);
    const rounds = phaseIds.length ? await db.select().from(reviewRounds).where(inArray(reviewRounds.phaseId, phaseIds)) : [];
    const grades = { excellent: 0, qualified: 0, basic: 0, unqualified: 0 };
    for (const round of rounds.filter((r) => r.status === 'closed')) {
      for (const a of (await aggregateRound(db, round.id)).values()) {
        if (a.ballots < round.minBallots) continue;
        for (const g of Object.keys(grades) as Array<keyof typeof grades>) grades[g] += a.grades[g];
      }
    }
    const branchIds = state.branches.map((b) => b.id);
    const surveyRows = branchIds.length ? await db.select().from(surveys).where(inArray(surveys.branchId, branchIds)) : [];
    const endsAt = campaignEnd(c, state.phases);
    const satisfaction = [];
    for (const b of state.branches) {
      const s = campaignSurvey(surveyRows, c, endsAt, b.id);
      if (!s) continue;
      const r = surveyResult(await tallyOf(db, s.id), s.threshold, s.minSample, s.criteria);
      satisfaction.push({
        branch: b.name,
        line:
          r.verdict === 'too-few'
            ? `样本不足（${r.n}/${s.minSample}）`
            : `满意率 ${percent(r.rate)}（${r.n} 份，要求 ${s.threshold}%）${r.verdict === 'met' ? '达标' : '未达标'}`,
        met: r.verdict === 'too-few' ? null : r.verdict === 'met',
      });
    }
    const card = campaignOverviewCard({
      campaignNo: c.id,
      title: c.title,
      asOf: formatLocal(now, c.timezone),
      phases,
      scoreBands: BANDS.map((band) => ({ label: band.label, count: totals.filter((t) => t >= band.min && t < band.max).length })),
      peerGrades: (Object.keys(GRADE_LABELS) as GradeKey[]).map((g) => ({
        label: GRADE_LABELS[g],
        count: grades[g],
      })),
      satisfaction,
    });
    return replyPrivately(ctx, card, '活动总览', '查看');
  },
};
