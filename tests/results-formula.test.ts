// The pure arithmetic of results: weighted parts with missing ones, ranks with ties, quotas, and the
// working days of 公示 (weekends and the campaign's holidays skipped).
import { describe, expect, it } from 'vitest';
import { quotaOf, rankGroup, scoreCandidate, type Candidate, type ResultTitle } from '../bot/campaign/results.js';
import { addWorkingDays } from '../bot/time.js';

const title: ResultTitle = {
  id: 't',
  name: '优秀共产党员',
  subject: 'member',
  byPostKind: false,
  quota: { share: 0.1, max: null },
  minScore: null,
  award: 'certificate',
  parts: [
    { source: 'peer-grades', weight: 0.6, label: '党员互评', required: true },
    { source: 'pledge-fulfilment', weight: 0.4, label: '承诺践诺', required: false },
  ],
};
const cand = (name: string, peer: number | null, pledge: number | null): Candidate => ({
  subjectId: name.charCodeAt(0),
  name,
  branch: '一支部',
  postKind: null,
  vetoed: false,
  parts: {
    ...(peer === null ? { 'peer-grades': { missing: '不足 3 票，不公布' } } : { 'peer-grades': { value: peer, detail: '' } }),
    ...(pledge === null ? {} : { 'pledge-fulfilment': { value: pledge, detail: '' } }),
  },
});

describe('results formula', () => {
  it('weights present parts, leaves an optional missing part out, and gives no total without a required one', () => {
    expect(scoreCandidate(title, cand('甲', 90, 60))).toEqual({ total: 78, note: null });
    expect(scoreCandidate(title, cand('乙', 90, null))).toEqual({ total: 90, note: '缺项不计入：承诺践诺' });
    expect(scoreCandidate(title, cand('丙', null, 100))).toEqual({ total: null, note: '无法计算（党员互评：不足 3 票，不公布）' });
    expect(scoreCandidate(title, { ...cand('丁', 100, 100), vetoed: true })).toEqual({ total: null, note: '一票否决' });
    expect(scoreCandidate({ ...title, minScore: 80 }, cand('戊', 70, 70))).toEqual({ total: null, note: '70 分，低于 80 分' });
  });

  it('ranks ties together and flags a tie across the quota line', () => {
    const g = rankGroup(title, [cand('甲', 90, 60), cand('乙', 80, 75), cand('丙', 100, 100), cand('丁', null, 0)], 2, null);
    expect(g.entries.map((e) => [e.candidate.name, e.total, e.rank, e.tied])).toEqual([
      ['丙', 100, 1, false],
      ['甲', 78, 2, true],
      ['乙', 78, 2, true],
      ['丁', null, null, false],
    ]);
    expect(g.tieAtQuota).toBe(true);
    expect(rankGroup(title, [cand('甲', 90, 60), cand('乙', 80, 75), cand('丙', 100, 100)], 3, null).tieAtQuota).toBe(false);
  });

  it('rounds the quota share down, at least one, and applies a cap', () => {
    expect(quotaOf(title, 7)).toBe(1);
    expect(quotaOf(title, 11)).toBe(1);
    expect(quotaOf(title, 20)).toBe(2);
    expect(quotaOf({ ...title, quota: { share: 0.3, max: 2 } }, 20)).toBe(2);
    expect(quotaOf({ ...title, quota: { share: null, max: null } }, 20)).toBeNull();
  });

  it('counts 公示 in working days, skipping weekends and holidays', () => {
    // 2027-07-01 is a Thursday: five working days end on Thursday 07-08.
    expect(addWorkingDays('2027-07-01', 5)).toBe('2027-07-08');
    expect(addWorkingDays('2027-07-01', 5, [{ from: '2027-07-05', to: '2027-07-06' }])).toBe('2027-07-12');
  });
});
