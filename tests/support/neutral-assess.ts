// Declaring and self-assessing over the neutral harness, the way a member's cards do it: presses
// carry the builders' ActionRefs and the form values as the adapter hands them to dispatch.
import { expect } from 'vitest';
import type { Rubric } from '../../bot/campaign/template.js';
import type { MessageContent, Reply } from '../../bot/types.js';
import { ASSESS_ACTIONS } from '../../cards/assess-cards.js';
import { DECLARE_ACTIONS } from '../../cards/assess-declare-cards.js';
import type { Button, CardModel } from '../../cards/model.js';
import { campaigns } from '../../db/schema.js';
import { cardOf, type NeutralBot } from './neutral.js';

export type Form = Record<string, string>;

export async function campaignRubric(bot: NeutralBot): Promise<Rubric> {
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
export function pageForm(r: Rubric, pageId: string, o: PageOptions = {}): Form {
  const cat = r.categories.find((c) => c.id === pageId);
  if (cat) {
    return Object.fromEntries(
      cat.items.flatMap((it) => [
        [`score_${it.no}`, String(o.score ? o.score(it.max, it.no) : it.max)],
        [`note_${it.no}`, `第${it.no}项依据`],
      ]),
    );
  }
  const form: Form = {};
  for (const b of r.bonus) {
    if (o.reviewing) form[`bonus_${b.no}`] = '0';
    else if (o.claim && b.no === r.bonus[0]!.no) form[`claim_${b.no}`] = o.claim;
  }
  r.veto.conditions.forEach((_, i) => {
    form[`veto_${i + 1}`] = o.veto ?? 'no';
  });
  return form;
}

export function pageIds(r: Rubric): string[] {
  return [...r.categories.map((c) => c.id), 'extra'];
}

export function declare(
  bot: NeutralBot,
  from: string,
  phaseId: number,
  postKind = '服务育人示范岗',
  statement = '负责宿舍维修服务，全年零投诉',
): Promise<Reply> {
  return bot.press(from, { ...DECLARE_ACTIONS.submit, args: { p: String(phaseId) } }, { post_kind: postKind, statement });
}

/** Saves every page and submits; `m` scores that member as a reviewer. Returns the final answer. */
export async function completeAssessment(bot: NeutralBot, from: string, phaseId: number, o: PageOptions & { m?: number } = {}): Promise<Reply> {
  const r = await campaignRubric(bot);
  const args = { p: String(phaseId), ...(o.m !== undefined ? { m: String(o.m) } : {}) };
  for (const pg of pageIds(r)) {
    const saved = await bot.press(from, { ...ASSESS_ACTIONS.page, args: { ...args, pg } }, pageForm(r, pg, { ...o, reviewing: o.m !== undefined }));
    expect(saved.toast?.type, JSON.stringify(saved.toast)).toBe('success');
  }
  return bot.press(from, { ...ASSESS_ACTIONS.submit, args });
}

/** Declares and self-assesses in a declare phase; expects the submit to be accepted. */
export async function declareAndAssess(bot: NeutralBot, from: string, phaseId: number, o: PageOptions = {}): Promise<Reply> {
  const declared = await declare(bot, from, phaseId);
  expect(declared.toast?.type).toBe('success');
  return completeAssessment(bot, from, phaseId, o);
}

/** Says something in the direct chat that must be answered; returns the answer. */
export async function privately(bot: NeutralBot, from: string, text: string): Promise<MessageContent> {
  const reply = await bot.sayPrivately(from, text);
  expect(reply, `no answer to ${text}`).not.toBeNull();
  return reply!;
}

/** The card answered in the direct chat (fails the test if the answer is not a card). */
export async function privateCard(bot: NeutralBot, from: string, text: string): Promise<CardModel> {
  const card = cardOf(await privately(bot, from, text));
  expect(card, `no card in answer to ${text}`).toBeDefined();
  return card!;
}

/** The labels of every button a card shows (its forms' submit buttons included). */
export function buttonLabels(card: CardModel | undefined): string[] {
  return (card?.blocks ?? []).flatMap((b): Button[] => (b.type === 'actions' ? b.buttons : b.type === 'form' ? [b.submit] : [])).map((x) => x.label);
}

/** Everything a card carries (text, prefilled form values, button args), for "never shows" checks. */
export const everything = (card: CardModel | undefined): string => JSON.stringify(card ?? null);
