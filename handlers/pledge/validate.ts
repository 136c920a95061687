// Reading the pledge and progress forms: every field checked, every problem named in Chinese.
import { PROGRESS_LABELS, type PledgeDraft, type ProgressDraft, type ProgressKey } from '../../cards/pledge-cards.js';
import { isValidDate } from '../../bot/time.js';
import { type FormValues, formText } from '../card-args.js';
import type { PledgeItem } from '../../db/schema.js';
import { NOTE_MAX, PLEDGE_SLOTS, PROMISE_MAX, pledgeField, progressField } from './fields.js';

export interface PledgeFormResult {
  draft: PledgeDraft;
  items: PledgeItem[];
  errors: string[];
}

export function readPledgeForm(form: FormValues, areas: string[], today: string): PledgeFormResult {
  const draft: PledgeDraft = { items: [] };
  const items: PledgeItem[] = [];
  const errors: string[] = [];
  for (let n = 1; n <= PLEDGE_SLOTS; n++) {
    const area = formText(form[pledgeField.area(n)]);
    const promise = formText(form[pledgeField.promise(n)]);
    const due = formText(form[pledgeField.due(n)]);
    draft.items.push({ area: area || undefined, promise: promise || undefined, due: due || undefined });
    if (n > 1 && !area && !promise && !due) continue;
    const at = `第${n}项`;
    if (!area) errors.push(`${at}·承诺类别：请选择一个类别。`);
    else if (!areas.includes(area)) errors.push(`${at}·承诺类别：「${area}」不在可选类别中。`);
    if (!promise) errors.push(`${at}·承诺内容：请填写。`);
    else if ([...promise].length > PROMISE_MAX) errors.push(`${at}·承诺内容：最多 ${PROMISE_MAX} 字，现在 ${[...promise].length} 字。`);
    if (!due) errors.push(`${at}·计划完成日期：请选择。`);
    else if (!isValidDate(due)) errors.push(`${at}·计划完成日期：「${due}」不是有效日期。`);
    else if (due < today) errors.push(`${at}·计划完成日期：不能早于今天（${today}）。`);
    items.push({ area, promise, due });
  }
  return { draft, items, errors };
}

export interface ProgressFormResult {
  draft: ProgressDraft[];
  report: Array<{ status: ProgressKey; note: string }>;
  errors: string[];
}

export function readProgressForm(form: FormValues, itemCount: number): ProgressFormResult {
  const draft: ProgressDraft[] = [];
  const report: Array<{ status: ProgressKey; note: string }> = [];
  const errors: string[] = [];
  for (let n = 1; n <= itemCount; n++) {
    const status = formText(form[progressField.status(n)]);
    const note = formText(form[progressField.note(n)]);
    draft.push({ status: status || undefined, note: note || undefined });
    if (!status) errors.push(`第${n}项·完成情况：请选择 未开始、进行中 或 已完成。`);
    else if (!(status in PROGRESS_LABELS)) errors.push(`第${n}项·完成情况：「${status}」不是可选的状态。`);
    if ([...note].length > NOTE_MAX) errors.push(`第${n}项·进展说明：最多 ${NOTE_MAX} 字，现在 ${[...note].length} 字。`);
    report.push({ status: status as ProgressKey, note });
  }
  return { draft, report, errors };
}
