// What a semester re-check came to: the holder's self-score, the committee's average and vetoes
// (never who scored what), and its status against the rubric's pass line.
import { formatScore, roundScore } from '../../bot/campaign/rubric.js';
import type { Db } from '../../db/client.js';
import { currentSubmissions } from '../assess/store.js';

export interface RecheckScores {
  self: { total: number; vetoed: boolean } | null;
  /** Raters (platform user ids) with a submitted score. */
  raters: string[];
  average: number | null;
  vetoes: number;
}

export type RecheckStatus = 'awaiting-self' | 'scoring' | 'passed' | 'failed' | 'no-self' | 'unscored';

/** Every re-checked holder's scores in a phase, by member (two queries). */
export async function phaseScores(db: Db, phaseId: number): Promise<Map<number, RecheckScores>> {
  const out = new Map<number, RecheckScores>();
  const get = (memberId: number) => {
    let s = out.get(memberId);
    if (!s) out.set(memberId, (s = { self: null, raters: [], average: null, vetoes: 0 }));
    return s;
  };
  for (const { assessment, submission } of await currentSubmissions(db, phaseId, 'self')) {
    get(assessment.memberId).self = { total: submission.total, vetoed: submission.vetoed };
  }
  const totals = new Map<number, number[]>();
  for (const { assessment, submission } of await currentSubmissions(db, phaseId, 'review')) {
    const s = get(assessment.memberId);
    s.raters.push(assessment.raterId);
    if (submission.vetoed) s.vetoes++;
    totals.set(assessment.memberId, [...(totals.get(assessment.memberId) ?? []), submission.total]);
  }
  for (const [memberId, list] of totals) get(memberId).average = roundScore(list.reduce((a, b) => a + b, 0) / list.length);
  return out;
}

const EMPTY: RecheckScores = { self: null, raters: [], average: null, vetoes: 0 };

/** A re-check fails on a veto or a committee average below the pass line; it is judged once its window closed. */
export function statusOf(scores: RecheckScores | undefined, closed: boolean, passLine: number): RecheckStatus {
  const s = scores ?? EMPTY;
  if (!closed) return s.self ? 'scoring' : 'awaiting-self';
  if (!s.self) return 'no-self';
  if (s.average === null) return 'unscored';
  return s.vetoes > 0 || s.average < passLine ? 'failed' : 'passed';
}

/** The holder's self-assessment as the committee reads it. */
export const selfText = (self: NonNullable<RecheckScores['self']>): string => (self.vetoed ? '自评一票否决' : `自评 ${formatScore(self.total)} 分`);

/** The status in Chinese, with the figures behind it. */
export function statusText(status: RecheckStatus, scores: RecheckScores | undefined, passLine: number): string {
  const s = scores ?? EMPTY;
  const committee = s.average === null ? '委员尚未评分' : `${s.raters.length} 位委员评分，平均 ${formatScore(s.average)} 分`;
  const self = s.self ? selfText(s.self) : '';
  switch (status) {
    case 'awaiting-self':
      return '复核中：待本人提交自评';
    case 'scoring':
      return `复核中：${self}，${committee}`;
    case 'no-self':
      return '未提交自评';
    case 'unscored':
      return `${self}，委员未评分`;
    case 'passed':
      return `合格（${committee}）`;
    case 'failed':
      return s.vetoes > 0
        ? `未通过：${s.vetoes} 位委员认定一票否决（${committee}）`
        : `未达标：平均 ${formatScore(s.average!)} 分，低于 ${formatScore(passLine)} 分（${s.raters.length} 位委员评分）`;
  }
}
