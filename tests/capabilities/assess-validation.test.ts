// Score validation of the self-assessment: each wrong field is named and explained in Chinese, and
// the card comes back with everything that was typed; nothing is saved until the page is right.
import { asc } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ASSESS_ACTIONS } from '../../cards/assess-cards.js';
import { assessmentAnswers, campaignPhases } from '../../db/schema.js';
import { parseScore } from '../../handlers/assess/validate.js';
import { cardText, formField, type NeutralBot, startNeutralBot } from '../support/neutral.js';
import { campaignRubric, declare, type Form, pageForm } from '../support/neutral-assess.js';
import { ADMIN, answered, CHAT_A, setUpOrg } from '../support/neutral-org.js';

let bot: NeutralBot;
let phaseId: string;

beforeEach(async () => {
  bot = await startNeutralBot({ admins: [ADMIN], now: '2026-08-20T10:00:00+08:00' });
  await setUpOrg(bot);
  await answered(bot, ADMIN, CHAT_A, '/活动 新建 示范岗 2026-09-01');
  const declarePhase = (await bot.db.select().from(campaignPhases).orderBy(asc(campaignPhases.seq))).find((p) => p.kind === 'declare')!;
  phaseId = String(declarePhase.id);
  bot.clock.set(new Date(declarePhase.opensAt.getTime() + 10 * 3600_000));
  expect((await declare(bot, 'a2', declarePhase.id)).toast?.type).toBe('success');
});
afterEach(async () => bot.close());

const savePage = (pg: string, form: Form) => bot.press('a2', { ...ASSESS_ACTIONS.page, args: { p: phaseId, pg } }, form);

/** Saves page 2 (人员素质高: item 5 max 5, items 6-9 max 6) with item 6 set to `score`. */
async function saveQuality(score: string, extra: Form = {}) {
  return savePage('quality', { ...pageForm(await campaignRubric(bot), 'quality'), score_6: score, ...extra });
}

describe('a score on the self-assessment', () => {
  it.each([
    ['0', 0],
    ['6', 6],
    ['5.5', 5.5],
    ['０.５', 0.5],
  ])('accepts %s', async (typed, stored) => {
    const reply = await saveQuality(typed);
    expect(reply.toast).toEqual({ type: 'success', text: '已保存「人员素质高」' });
    const rows = await bot.db.select().from(assessmentAnswers);
    expect(rows.find((r) => r.itemNo === 6)!.score).toBe(stored);
  });

  it.each([
    ['6.5', '第6项：最高 6 分，填写了 6.5 分。'],
    ['7', '第6项：最高 6 分，填写了 7 分。'],
    ['八', '第6项：「八」不是数字，请填写 0–6 分之间的数字，如 4 或 3.5。'],
    ['', '第6项：请填写得分（0–6 分）。'],
    ['-1', '第6项：得分不能为负数，填写了 -1 分。'],
    ['0.3', '第6项：得分须为 0.5 分的整数倍，填写了 0.3 分。'],
    ['4.25', '第6项：得分须为 0.5 分的整数倍，填写了 4.25 分。'],
    ['1e1', '第6项：「1e1」不是数字，请填写 0–6 分之间的数字，如 4 或 3.5。'],
  ])('refuses %j, naming the item, the rule and what was typed', async (typed, message) => {
    const reply = await saveQuality(typed);
    expect(reply.toast).toEqual({ type: 'error', text: '有 1 处需要修改' });
    expect(cardText(reply.card)).toContain(`- ${message}`);
    // Everything typed comes back: the wrong field and the others.
    expect(formField(reply.card, 'score_6')!.value || undefined).toBe(typed === '' ? undefined : typed);
    expect(formField(reply.card, 'score_5')!.value).toBe('5');
    expect(formField(reply.card, 'note_7')!.value).toBe('第7项依据');
    expect(await bot.db.select().from(assessmentAnswers)).toHaveLength(0);
  });

  it('lists several problems at once, evidence length included', async () => {
    const reply = await saveQuality('八', { score_5: '5.5', note_9: '据'.repeat(201), score_8: '' });
    expect(reply.toast!.text).toBe('有 4 处需要修改');
    const text = cardText(reply.card);
    expect(text).toContain('第5项：最高 5 分，填写了 5.5 分。');
    expect(text).toContain('第6项：「八」不是数字');
    expect(text).toContain('第8项：请填写得分（0–6 分）。');
    expect(text).toContain('第9项·依据：最多 200 字，现在 201 字。');
  });

  it('requires an answer to every veto condition', async () => {
    const form = pageForm(await campaignRubric(bot), 'extra');
    delete form.veto_2;
    const reply = await savePage('extra', form);
    expect(cardText(reply.card)).toContain('一票否决·第2条：请选择“否”或“是”。');
    expect(formField(reply.card, 'veto_1')!.value).toBe('no');
  });
});

describe('parseScore', () => {
  const rule = { label: '第6项', max: 6, step: 0.5, noun: '得分', required: true };
  it('reads edge values exactly', () => {
    expect(parseScore('0', rule)).toEqual({ value: 0, error: null });
    expect(parseScore('6', rule)).toEqual({ value: 6, error: null });
    expect(parseScore('6.0', rule)).toEqual({ value: 6, error: null });
    expect(parseScore('.5', rule)).toEqual({ value: 0.5, error: null });
    expect(parseScore('6.5', rule).error).toBe('第6项：最高 6 分，填写了 6.5 分。');
    expect(parseScore('', { ...rule, required: false })).toEqual({ value: null, error: null });
  });
});
