// Pure rubric arithmetic: pages of the self-assessment, sums by item, totals, veto and the review gap.
import type { Rubric, RubricCategory } from './template.js';

/** A reviewer's score differs "a lot" from the self-score when the gap is at least this share of the item's max. */
export const GAP_RATIO = 0.5;
/** The rubric gives bonus items no points; a reviewer may grant at most this many per item. */
export const BONUS_CAP = 10;
/** The page of bonus claims and the veto declaration, after the category pages. */
export const EXTRA_PAGE = 'extra';

export interface AssessPage {
  id: string;
  title: string;
  /** Set for a category page. */
  category: RubricCategory | null;
}

export function rubricPages(r: Rubric): AssessPage[] {
  return [...r.categories.map((c) => ({ id: c.id, title: c.name, category: c })), { id: EXTRA_PAGE, title: '加分项与一票否决', category: null }];
}

export function categorySum(c: RubricCategory): number {
  return c.items.reduce((s, it) => s + it.max, 0);
}

/** Scores are whole multiples of the step; rounding hides float noise (0.1 + 0.2). */
export function roundScore(n: number): number {
  return Math.round(n * 100) / 100;
}

export function formatScore(n: number): string {
  return String(roundScore(n));
}

/** "「创建氛围浓」标注 10 分，各项合计 11 分" for each category whose stated subtotal is not its item sum. */
export function subtotalMismatches(r: Rubric): string[] {
  return r.categories.filter((c) => categorySum(c) !== c.stated).map((c) => `「${c.name}」标注 ${c.stated} 分，各项合计 ${categorySum(c)} 分`);
}

/** The warning shown wherever totals are shown; null when the rubric adds up. */
export function subtotalWarning(r: Rubric): string | null {
  const m = subtotalMismatches(r);
  if (!m.length) return null;
  const sum = r.categories.reduce((s, c) => s + categorySum(c), 0);
  return `注意：评分细则原文中${m.join('；')}。本表按各项分值计分，满分 ${sum} 分。`;
}

/** The answers of one assessment as the arithmetic needs them (absent = not answered). */
export interface AnswerSet {
  /** Scored items by number. */
  items: Map<number, { score: number; note: string }>;
  /** Bonus items by number: the member's evidence, or the points a reviewer granted. */
  bonus: Map<number, { points: number | null; note: string }>;
  /** Veto conditions by number (1..n): true = the condition applies. */
  veto: Map<number, boolean>;
}

export function emptyAnswers(): AnswerSet {
  return { items: new Map(), bonus: new Map(), veto: new Map() };
}

export interface Totals {
  categories: Array<{ id: string; name: string; stated: number; max: number; score: number }>;
  /** Sum of item scores. */
  items: number;
  /** Points granted for bonus items (reviewers only; a self-claim has none until approved). */
  bonus: number;
  total: number;
  max: number;
  vetoed: boolean;
}

export function totals(r: Rubric, a: AnswerSet): Totals {
  const categories = r.categories.map((c) => ({
    id: c.id,
    name: c.name,
    stated: c.stated,
    max: categorySum(c),
    score: roundScore(c.items.reduce((s, it) => s + (a.items.get(it.no)?.score ?? 0), 0)),
  }));
  const items = roundScore(categories.reduce((s, c) => s + c.score, 0));
  const bonus = roundScore([...a.bonus.values()].reduce((s, b) => s + (b.points ?? 0), 0));
  return {
    categories,
    items,
    bonus,
    total: roundScore(items + bonus),
    max: categories.reduce((s, c) => s + c.max, 0),
    vetoed: [...a.veto.values()].some(Boolean),
  };
}

/** True when a reviewer's score is far from the self-score (≥ GAP_RATIO of the item's max). */
export function largeGap(max: number, self: number | undefined, review: number | undefined): boolean {
  if (self === undefined || review === undefined) return false;
  return Math.abs(self - review) >= GAP_RATIO * max - 1e-9;
}

/** A stored answer row, as in the database (`part` numbers the veto conditions). */
export interface AnswerRowLike {
  itemNo: number;
  part: number;
  score: number | null;
  flag: boolean | null;
  note: string;
}

export function answerSetOf(r: Rubric, rows: readonly AnswerRowLike[]): AnswerSet {
  const a = emptyAnswers();
  const scored = new Set(r.categories.flatMap((c) => c.items.map((it) => it.no)));
  const bonus = new Set(r.bonus.map((b) => b.no));
  for (const row of rows) {
    if (scored.has(row.itemNo) && row.score !== null) a.items.set(row.itemNo, { score: row.score, note: row.note });
    else if (bonus.has(row.itemNo)) a.bonus.set(row.itemNo, { points: row.score, note: row.note });
    else if (row.itemNo === r.veto.no && row.part > 0 && row.flag !== null) a.veto.set(row.part, row.flag);
  }
  return a;
}

export function rowsOf(r: Rubric, a: AnswerSet): AnswerRowLike[] {
  return [
    ...[...a.items.entries()].map(([itemNo, v]) => ({ itemNo, part: 0, score: v.score, flag: null, note: v.note })),
    ...[...a.bonus.entries()].map(([itemNo, v]) => ({ itemNo, part: 0, score: v.points, flag: null, note: v.note })),
    ...[...a.veto.entries()].map(([part, flag]) => ({ itemNo: r.veto.no, part, score: null, flag, note: '' })),
  ].sort((x, y) => x.itemNo - y.itemNo || x.part - y.part);
}

/** The committee average a semester re-check must reach: the rubric's pass line, else 60 % of its total. */
export function passLineOf(r: Pick<Rubric, 'passLine' | 'total'>): number {
  return r.passLine ?? roundScore(r.total * 0.6);
}
