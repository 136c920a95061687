// A survey's result: counts, the satisfaction rate by its named rule, the 95 % lower bound, and a
// verdict against the threshold only once the sample is large enough. Pure.
import type { SurveyRating } from '../../db/schema.js';

/** v1: (满意 + 基本满意) / answers — the convention of seeds 001 (item 17) and 004 (#18). */
export const RATE_RULE = 'satisfied+basic/n@1';

export interface SurveyTally {
  counts: Record<SurveyRating, number>;
  /** Per criterion: counts of each rating. */
  criteria: Record<string, Record<SurveyRating, number>>;
}

export interface SurveyResult {
  n: number;
  counts: Record<SurveyRating, number>;
  /** 0..1, null without answers. */
  rate: number | null;
  /** Wilson score lower bound at 95 %, null without answers. */
  lowerBound: number | null;
  verdict: 'met' | 'missed' | 'too-few';
  minSample: number;
  threshold: number;
  criteria: Array<{ name: string; n: number; rate: number | null }>;
}

const Z = 1.96;

export function wilsonLower(successes: number, n: number): number | null {
  if (n === 0) return null;
  const p = successes / n;
  const z2 = Z * Z;
  return (p + z2 / (2 * n) - Z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
}

const good = (c: Record<SurveyRating, number>) => c.satisfied + c.basic;
const total = (c: Record<SurveyRating, number>) => c.satisfied + c.basic + c.unsatisfied;

export function surveyResult(t: SurveyTally, threshold: number, minSample: number, criteria: string[]): SurveyResult {
  const n = total(t.counts);
  const rate = n ? good(t.counts) / n : null;
  const verdict = n < minSample ? 'too-few' : (rate ?? 0) * 100 >= threshold ? 'met' : 'missed';
  return {
    n,
    counts: t.counts,
    rate,
    lowerBound: wilsonLower(good(t.counts), n),
    verdict,
    minSample,
    threshold,
    criteria: criteria.map((name) => {
      const c = t.criteria[name] ?? { satisfied: 0, basic: 0, unsatisfied: 0 };
      const m = total(c);
      return { name, n: m, rate: m ? good(c) / m : null };
    }),
  };
}

export const percent = (x: number | null): string => (x === null ? '—' : `${(Math.round(x * 1000) / 10).toFixed(1)}%`);
