// Declaring and self-assessing through signed card callbacks, the way a member's cards do it.
import { expect } from 'vitest';
import type { Rubric } from '../../bot/campaign/template.js';
import { campaigns } from '../../db/schema.js';
import { cardActionEvent } from './feishu-wire.js';
import type { TestBot } from './harness.js';

export type Json = Record<string, unknown>;
export interface CallbackBody {
  toast?: { type: string; content: string };
  card?: { type: string; data: Json };
}

/** Presses a button (with a form's values) in a direct chat; returns the callback's answer. */
export async function press(bot: TestBot, from: string, value: Json, formValue?: Json, chatId = 'oc_p2p'): Promise<CallbackBody> {
  const res = await bot.deliver(cardActionEvent({ from, chatId, value, formValue }));
  expect(res.status).toBe(200);
  const body = (await res.json()) as CallbackBody;
  await bot.settle();
  return body;
}

export async function campaignRubric(bot: TestBot): Promise<Rubric> {
  const [c] = await bot.db.select().from(campaigns);
  return c!.template.rubric!;
}

export interface PageOptions {
  /** Score of each item from its max (default: the max). */
  score?: (max: number, no: number) => number;
  veto?: 'no' | 'yes';
  /** A reviewer's page: bonus points instead of claims. */
  reviewing?: boolean;
  claim?: string;
}

/** The values a page's form sends back. */
export function pageForm(r: Rubric, pageId: string, o: PageOptions = {}): Json {
  const cat = r.categories.find((c) => c.id === pageId);
  if (cat) {
    return Object.fromEntries(
      cat.items.flatMap((it) => [
        [`score_${it.no}`, String(o.score ? o.score(it.max, it.no) : it.max)],
        [`note_${it.no}`, `第${it.no}项依据`],
      ]),
    );
  }
  const form: Json = {};
  for (const b of r.bonus) {
    if (o.reviewing) form[`bonus_${b.no}`] = '0';
    else if (o.claim && b.no === r.bonus[0]!.no) form[`claim_${b.no}`] = o.claim;
  }
  r.veto.conditions.forEach((_, i) => (form[`veto_${i + 1}`] = o.veto ?? 'no'));
  return form;
}

export function pageIds(r: Rubric): string[] {
  return [...r.categories.map((c) => c.id), 'extra'];
}

export async function declare(bot: TestBot, from: string, phaseId: number, postKind = '服务育人示范岗', statement = '负责宿舍维修服务，全年零投诉') {
  return press(bot, from, { a: 'declare.submit', v: 1, p: String(phaseId) }, { post_kind: postKind, statement });
}

/** Saves every page and submits; `m` scores that member as a reviewer. Returns the final answer. */
export async function completeAssessment(bot: TestBot, from: string, phaseId: number, o: PageOptions & { m?: number } = {}): Promise<CallbackBody> {
  const r = await campaignRubric(bot);
  const args = { p: String(phaseId), ...(o.m !== undefined ? { m: String(o.m) } : {}) };
  for (const pg of pageIds(r)) {
    const saved = await press(bot, from, { a: 'assess.page', v: 1, ...args, pg }, pageForm(r, pg, { ...o, reviewing: o.m !== undefined }));
    expect(saved.toast?.type, JSON.stringify(saved.toast)).toBe('success');
  }
  return press(bot, from, { a: 'assess.submit', v: 1, ...args });
}

/** Declares and self-assesses in a declare phase; expects the submit to be accepted. */
export async function declareAndAssess(bot: TestBot, from: string, phaseId: number, o: PageOptions = {}): Promise<CallbackBody> {
  const declared = await declare(bot, from, phaseId);
  expect(declared.toast?.type).toBe('success');
  return completeAssessment(bot, from, phaseId, o);
}
