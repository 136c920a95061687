// The survey result: the rate by its named rule, the Wilson lower bound, and a verdict only from the
// minimum sample on.
import { describe, expect, it } from 'vitest';
import { percent, RATE_RULE, surveyResult, wilsonLower } from '../../handlers/survey/results.js';

const tally = (satisfied: number, basic: number, unsatisfied: number) => ({ counts: { satisfied, basic, unsatisfied }, criteria: {} });

describe('a survey result', () => {
  it('counts 满意 + 基本满意 over all answers, under a named rule', () => {
    expect(RATE_RULE).toBe('satisfied+basic/n@1');
    const r = surveyResult(tally(20, 7, 3), 90, 30, []);
    expect(r.n).toBe(30);
    expect(r.rate).toBeCloseTo(0.9, 10);
    expect(r.verdict).toBe('met');
    expect(percent(r.rate)).toBe('90.0%');
  });

  it('gives the 95 % Wilson lower bound', () => {
    expect(wilsonLower(27, 30)).toBeCloseTo(0.7438, 4);
    expect(wilsonLower(0, 0)).toBeNull();
    expect(wilsonLower(10, 10)).toBeCloseTo(0.7225, 4);
  });

  it('says 样本不足 below the minimum sample, whatever the rate', () => {
    expect(surveyResult(tally(29, 0, 0), 90, 30, []).verdict).toBe('too-few');
    expect(surveyResult(tally(26, 0, 4), 90, 30, []).verdict).toBe('missed');
    expect(surveyResult(tally(0, 0, 0), 90, 30, []).rate).toBeNull();
  });

  it('gives each criterion its own rate from those who answered it', () => {
    const r = surveyResult({ counts: { satisfied: 3, basic: 0, unsatisfied: 1 }, criteria: { 服务态度: { satisfied: 1, basic: 1, unsatisfied: 0 } } }, 90, 30, [
      '服务态度',
      '办事效率',
    ]);
    expect(r.criteria).toEqual([
      { name: '服务态度', n: 2, rate: 1 },
      { name: '办事效率', n: 0, rate: null },
    ]);
  });
});
