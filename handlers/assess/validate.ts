// Reading the assessment, declaration and self-check forms: every field checked, every problem named in Chinese.
import { BONUS_CAP, formatScore, type AnswerRowLike, type AnswerSet, type AssessPage } from '../../bot/campaign/rubric.js';
import type { Criterion, Rubric, RubricCategory } from '../../bot/campaign/template.js';
import type { FormValues } from '../../cards/assess-cards.js';
import { CHECK_GRADES } from '../../cards/assess-admin-cards.js';
import type { CriterionAnswer } from '../../db/schema.js';
import { formText } from '../card-args.js';
import { assessField, checkField, NOTE_MAX, STATEMENT_MAX } from './fields.js';

/** Form values as text (shared with the other forms). */
export const str = formText;

const length = (s: string) => [...s].length;

/** Full-width digits, point and minus (typed with a Chinese input method) read as ASCII. */
function ascii(s: string): string {
  return s.replace(/[０-９．－＋]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

export interface ScoreRule {
  /** How the field is named in messages: 第6项 / 第18项（加分）. */
  label: string;
  max: number;
  step: number;
  /** 得分, 评分 or 加分. */
  noun: string;
  /** Empty is an error (else it reads as no score). */
  required: boolean;
}

/** Parses one typed score; `error` names the field, the rule and what was typed. */
export function parseScore(raw: string, rule: ScoreRule): { value: number | null; error: string | null } {
  const { label, max, step, noun } = rule;
  const range = `0–${formatScore(max)} 分`;
  if (raw === '') return { value: null, error: rule.required ? `${label}：请填写${noun}（${range}）。` : null };
  const text = ascii(raw);
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(text)) {
    return {
      value: null,
      error: `${label}：「${raw}」不是数字，请填写 ${range}之间的数字，如 ${formatScore(Math.min(max, 4))} 或 ${formatScore(Math.max(0, Math.min(max, 4) - step))}。`,
    };
  }
  const n = Number(text);
  if (n < 0) return { value: null, error: `${label}：${noun}不能为负数，填写了 ${raw} 分。` };
  if (n > max + 1e-9) return { value: null, error: `${label}：最高 ${formatScore(max)} 分，填写了 ${raw} 分。` };
  const steps = n / step;
  if (Math.abs(steps - Math.round(steps)) > 1e-9) return { value: null, error: `${label}：${noun}须为 ${formatScore(step)} 分的整数倍，填写了 ${raw} 分。` };
  return { value: Math.round(steps) * step, error: null };
}

function noteError(label: string, note: string): string | null {
  return length(note) > NOTE_MAX ? `${label}：最多 ${NOTE_MAX} 字，现在 ${length(note)} 字。` : null;
}

export interface PageResult {
  values: FormValues;
  rows: AnswerRowLike[];
  errors: string[];
}

function readCategory(form: FormValues, r: Rubric, cat: RubricCategory, reviewing: boolean): PageResult {
  const out: PageResult = { values: {}, rows: [], errors: [] };
  for (const it of cat.items) {
    const raw = str(form[assessField.score(it.no)]);
    const note = str(form[assessField.note(it.no)]);
    out.values[assessField.score(it.no)] = raw;
    out.values[assessField.note(it.no)] = note;
    const score = parseScore(raw, { label: `第${it.no}项`, max: it.max, step: r.step, noun: reviewing ? '评分' : '得分', required: true });
    const errs = [score.error, noteError(`第${it.no}项·${reviewing ? '评分说明' : '依据'}`, note)].filter((e): e is string => e !== null);
    out.errors.push(...errs);
    out.rows.push({ itemNo: it.no, part: 0, score: score.value, flag: null, note });
  }
  return out;
}

function readExtra(form: FormValues, r: Rubric, reviewing: boolean): PageResult {
  const out: PageResult = { values: {}, rows: [], errors: [] };
  for (const b of r.bonus) {
    if (reviewing) {
      const raw = str(form[assessField.bonus(b.no)]);
      const note = str(form[assessField.bonusNote(b.no)]);
      out.values[assessField.bonus(b.no)] = raw;
      out.values[assessField.bonusNote(b.no)] = note;
      const pts = parseScore(raw, { label: `第${b.no}项（加分）`, max: BONUS_CAP, step: r.step, noun: '加分', required: false });
      out.errors.push(...[pts.error, noteError(`第${b.no}项·认定说明`, note)].filter((e): e is string => e !== null));
      out.rows.push({ itemNo: b.no, part: 0, score: pts.value ?? 0, flag: null, note });
    } else {
      const claim = str(form[assessField.claim(b.no)]);
      out.values[assessField.claim(b.no)] = claim;
      const err = noteError(`第${b.no}项·证明材料`, claim);
      if (err) out.errors.push(err);
      out.rows.push({ itemNo: b.no, part: 0, score: null, flag: claim !== '', note: claim });
    }
  }
  r.veto.conditions.forEach((_, i) => {
    const n = i + 1;
    const v = str(form[assessField.veto(n)]);
    out.values[assessField.veto(n)] = v;
    if (v !== 'yes' && v !== 'no') out.errors.push(`一票否决·第${n}条：请选择“否”或“是”。`);
    out.rows.push({ itemNo: r.veto.no, part: n, score: null, flag: v === 'yes', note: '' });
  });
  return out;
}

export function readPage(form: FormValues, r: Rubric, page: AssessPage, reviewing: boolean): PageResult {
  return page.category ? readCategory(form, r, page.category, reviewing) : readExtra(form, r, reviewing);
}

/** The stored answers of a page as form values, to fill the card when a member comes back. */
export function valuesOf(r: Rubric, page: AssessPage, a: AnswerSet, reviewing: boolean): FormValues {
  const v: FormValues = {};
  if (page.category) {
    for (const it of page.category.items) {
      const ans = a.items.get(it.no);
      if (ans) {
        v[assessField.score(it.no)] = formatScore(ans.score);
        v[assessField.note(it.no)] = ans.note;
      }
    }
    return v;
  }
  for (const b of r.bonus) {
    const ans = a.bonus.get(b.no);
    if (!ans) continue;
    if (reviewing) {
      if (ans.points) v[assessField.bonus(b.no)] = formatScore(ans.points);
      v[assessField.bonusNote(b.no)] = ans.note;
    } else v[assessField.claim(b.no)] = ans.note;
  }
  r.veto.conditions.forEach((_, i) => {
    const flag = a.veto.get(i + 1);
    if (flag !== undefined) v[assessField.veto(i + 1)] = flag ? 'yes' : 'no';
  });
  return v;
}

export function readDeclareForm(form: FormValues, postKinds: string[]) {
  const postKind = str(form.post_kind);
  const statement = str(form.statement);
  const errors: string[] = [];
  if (!postKind) errors.push('申报岗位：请选择一个岗位类别。');
  else if (!postKinds.includes(postKind)) errors.push(`申报岗位：「${postKind}」不在可选类别中（${postKinds.join('、')}）。`);
  if (!statement) errors.push('申报说明：请填写申报理由。');
  else if (length(statement) > STATEMENT_MAX) errors.push(`申报说明：最多 ${STATEMENT_MAX} 字，现在 ${length(statement)} 字。`);
  return { values: { post_kind: postKind, statement }, postKind, statement, errors };
}

export function readCheckForm(form: FormValues, criteria: Criterion[]) {
  const values: FormValues = {};
  const answers: CriterionAnswer[] = [];
  const errors: string[] = [];
  const grades = CHECK_GRADES.map((g) => g.value as string);
  criteria.forEach((c, i) => {
    const grade = str(form[checkField.grade(c.id)]);
    const note = str(form[checkField.note(c.id)]);
    values[checkField.grade(c.id)] = grade;
    values[checkField.note(c.id)] = note;
    const at = `${i + 1}. ${c.name}`;
    if (!grade) errors.push(`${at}·评定：请选择 好、较好、一般 或 差。`);
    else if (!grades.includes(grade)) errors.push(`${at}·评定：「${grade}」不是可选的评定。`);
    if (!note) errors.push(`${at}·完成情况：请填写。`);
    else if (length(note) > NOTE_MAX) errors.push(`${at}·完成情况：最多 ${NOTE_MAX} 字，现在 ${length(note)} 字。`);
    answers.push({ id: c.id, name: c.name, grade, note });
  });
  return { values, answers, errors };
}
