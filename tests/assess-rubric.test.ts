// The model-post rubric as loaded from the seed: sums by item, the stated-subtotal mismatch, totals,
// veto, the review gap and the review window.
import { describe, expect, it } from 'vitest';
import { answerSetOf, categorySum, emptyAnswers, largeGap, rowsOf, rubricPages, subtotalWarning, totals } from '../bot/campaign/rubric.js';
import { reviewWindowOf } from '../bot/campaign/state.js';
import { loadTemplate } from '../bot/campaign/template.js';
import { findTemplate, rawTemplates } from '../bot/campaign/templates/index.js';

const loaded = findTemplate('示范岗')!;
const rubric = loaded.template.rubric!;

function fullMarks() {
  const a = emptyAnswers();
  for (const c of rubric.categories) for (const it of c.items) a.items.set(it.no, { score: it.max, note: '' });
  rubric.veto.conditions.forEach((_, i) => a.veto.set(i + 1, false));
  return a;
}

describe('the model-post rubric', () => {
  it('loads with 4 categories, 17 scored items, 3 bonus items and a veto of 3 conditions', () => {
    expect(rubric).toMatchObject({ id: 'model-post-rubric', version: 1, total: 100, step: 0.5 });
    expect(rubric.categories.map((c) => c.items.length)).toEqual([4, 5, 4, 4]);
    expect(rubric.bonus.map((b) => b.no)).toEqual([18, 19, 20]);
    expect(rubric.veto).toMatchObject({ no: 21, conditions: [expect.any(String), expect.any(String), expect.any(String)] });
  });

  it('sums by item, and the loader says where the stated subtotals differ (10/30 stated, 11/29 by items)', () => {
    expect(rubric.categories.map((c) => [c.stated, categorySum(c)])).toEqual([
      [10, 11],
      [30, 29],
      [30, 30],
      [30, 30],
    ]);
    const { warnings } = loadTemplate(rawTemplates[0]);
    expect(warnings).toEqual([
      '评分细则「创建氛围浓」各项分值合计 11 分，与标注的 10 分不一致（按各项分值计分）。',
      '评分细则「人员素质高」各项分值合计 29 分，与标注的 30 分不一致（按各项分值计分）。',
    ]);
    expect(subtotalWarning(rubric)).toBe(
      '注意：评分细则原文中「创建氛围浓」标注 10 分，各项合计 11 分；「人员素质高」标注 30 分，各项合计 29 分。本表按各项分值计分，满分 100 分。',
    );
  });

  it('has no warning for a rubric that adds up', () => {
    const fixed = structuredClone(rubric);
    fixed.categories[0]!.stated = 11;
    fixed.categories[1]!.stated = 29;
    expect(subtotalWarning(fixed)).toBeNull();
  });

  it('pages: one per category, then bonus and veto', () => {
    expect(rubricPages(rubric).map((p) => p.id)).toEqual(['atmosphere', 'quality', 'performance', 'reputation', 'extra']);
  });

  it('totals by category and overall; a self-claimed bonus adds nothing, a granted one does', () => {
    const a = fullMarks();
    a.items.set(6, { score: 4.5, note: '' });
    a.bonus.set(18, { points: null, note: '市级荣誉' });
    let t = totals(rubric, a);
    expect(t.categories.map((c) => c.score)).toEqual([11, 27.5, 30, 30]);
    expect(t).toMatchObject({ items: 98.5, bonus: 0, total: 98.5, max: 100, vetoed: false });
    a.bonus.set(18, { points: 2, note: '' });
    t = totals(rubric, a);
    expect(t).toMatchObject({ items: 98.5, bonus: 2, total: 100.5 });
  });

  it('any veto condition answered yes vetoes the result', () => {
    const a = fullMarks();
    expect(totals(rubric, a).vetoed).toBe(false);
    a.veto.set(2, true);
    expect(totals(rubric, a).vetoed).toBe(true);
  });

  it('flags a review gap of at least half the item’s max', () => {
    expect(largeGap(6, 6, 3)).toBe(true);
    expect(largeGap(6, 6, 3.5)).toBe(false);
    expect(largeGap(6, 0, 3)).toBe(true);
    expect(largeGap(2, 2, 1)).toBe(true);
    expect(largeGap(15, 15, 8)).toBe(false);
    expect(largeGap(6, 6, undefined)).toBe(false);
  });

  it('round-trips answers through stored rows', () => {
    const a = fullMarks();
    a.bonus.set(19, { points: null, note: '抗疫保障' });
    a.veto.set(3, true);
    const back = answerSetOf(rubric, rowsOf(rubric, a));
    expect(totals(rubric, back)).toEqual(totals(rubric, a));
    expect(back.bonus.get(19)).toEqual({ points: null, note: '抗疫保障' });
  });

  it('scores a declare phase again in the leaders’ review phase that follows it, a semester phase within itself', () => {
    const phases = loaded.template.phases.map((p, seq) => ({ ...p, seq }));
    const declare = phases.find((p) => p.kind === 'declare')!;
    const semester = phases.find((p) => p.kind === 'semester')!;
    expect(reviewWindowOf(phases, declare).title).toBe('领导小组考核打分');
    expect(reviewWindowOf(phases, semester)).toBe(semester);
  });
});
