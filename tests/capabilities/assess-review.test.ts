// Second scoring (考核打分) of a model-post campaign over the neutral harness: the committee scores each
// confirmed applicant's submitted self-assessment, beside the self-score, with large gaps flagged.
import { and, asc, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ASSESS_ACTIONS } from '../../cards/assess-cards.js';
import { DECLARE_ACTIONS } from '../../cards/assess-declare-cards.js';
import { assessments, campaignPhases, phaseResponses, postDeclarations } from '../../db/schema.js';
import { actionsOf, cardOf, cardText, type NeutralBot, startNeutralBot, textOf } from '../support/neutral.js';
import { ADMIN, answered, BRANCH_A, BRANCH_B, CHAT_A, LEADER, setUpOrg } from '../support/neutral-org.js';
import { campaignRubric, declare, declareAndAssess, everything, pageForm, privateCard } from '../support/neutral-assess.js';

const HOUR = 3600_000;
const ZHANG = BRANCH_A[1]!;
const QIAN = BRANCH_B[1]!;
let bot: NeutralBot;
let declarePhase: typeof campaignPhases.$inferSelect;
let reviewPhase: typeof campaignPhases.$inferSelect;

beforeEach(async () => {
  bot = await startNeutralBot({ admins: [ADMIN], now: '2026-08-20T10:00:00+08:00' });
  await setUpOrg(bot);
  await answered(bot, ADMIN, CHAT_A, '/活动 新建 示范岗 2026-09-01');
  const phases = await bot.db.select().from(campaignPhases).orderBy(asc(campaignPhases.seq));
  declarePhase = phases.find((p) => p.kind === 'declare')!;
  reviewPhase = phases.find((p) => p.kind === 'review')!;
  bot.clock.set(new Date(declarePhase.opensAt.getTime() + 10 * HOUR));
});
afterEach(async () => bot.close());

const P = () => String(declarePhase.id);

describe('second scoring by the committee', () => {
  let zhang: number;
  beforeEach(async () => {
    await declareAndAssess(bot, 'a2', declarePhase.id, { score: (max, no) => (no === 6 ? 6 : max) });
    await declare(bot, 'a3', declarePhase.id);
    const list = await privateCard(bot, 'a1', '/申报 确认');
    const confirm = actionsOf(list).find((a) => a.id === DECLARE_ACTIONS.confirm.id)!;
    expect((await bot.press('a1', confirm)).toast?.type).toBe('success');
    zhang = (await bot.db.select().from(postDeclarations).where(eq(postDeclarations.phaseId, declarePhase.id)))[0]!.memberId;
  });

  it('is not open before the review phase', async () => {
    const early = await bot.press(LEADER.id, { ...ASSESS_ACTIONS.open, args: { p: P(), m: String(zhang) } });
    expect(early.toast!.text).toBe('「领导小组考核打分」尚未开始，暂不能评分。');
  });

  it('shows the self-score beside the leader’s, flags large gaps, and never shows reviewers to the member', async () => {
    bot.clock.set(new Date(reviewPhase.opensAt.getTime() + 10 * HOUR));
    await bot.tick();
    const invite = bot.sent.find((m) => m.to === LEADER.id && cardOf(m.content)?.title === '考核打分：领导小组考核打分')!;
    expect(actionsOf(cardOf(invite.content))).toContainEqual({ ...ASSESS_ACTIONS.reviews, args: { p: P(), page: '0' } });

    const listCard = await privateCard(bot, LEADER.id, '/自评 复评');
    const list = cardText(listCard);
    expect(list).toContain('可评分的申报人 **1** 人，我已评 **0** 人。');
    expect(list).toContain('1. **张三**（后勤第一党支部·联系点）服务育人示范岗\n   自评 100 分｜暂无评分｜我未评');
    expect(actionsOf(listCard)).toContainEqual({ ...ASSESS_ACTIONS.open, args: { p: P(), m: String(zhang) } });
    expect(everything(listCard)).not.toContain('李四');

    // In the group the leader @-mentions the applicant; the card comes privately.
    const sent = await answered(bot, LEADER.id, CHAT_A, `/自评 复评 @${ZHANG.name}`, [ZHANG]);
    expect(textOf(sent)).toBe('已私信发送张三 的评分卡片，请在与我的单聊中填写。');
    const page = bot.sent.find((m) => m.via === 'send' && m.to === LEADER.id && cardOf(m.content)?.title === '考核打分 · 张三 · 创建氛围浓')!;
    expect(cardText(cardOf(page.content))).toContain('自评：**5** 分｜依据：第1项依据');

    const r = await campaignRubric(bot);
    const args = { p: P(), m: String(zhang) };
    const save = (pg: string, form: Record<string, string>) => bot.press(LEADER.id, { ...ASSESS_ACTIONS.page, args: { ...args, pg } }, form);
    await save('atmosphere', pageForm(r, 'atmosphere'));
    const quality = await save('quality', pageForm(r, 'quality', { score: (max, no) => (no === 6 ? 3 : no === 7 ? 3.5 : max) }));
    expect(quality.toast!.type).toBe('success');
    const back = await bot.press(LEADER.id, { ...ASSESS_ACTIONS.goto, args: { ...args, pg: 'quality' } });
    expect(cardText(back.card)).toContain('自评：**6** 分｜依据：第6项依据　<t red>⚠ 与您的评分相差较大</t>');
    for (const pg of ['performance', 'reputation']) await save(pg, pageForm(r, pg));
    const summary = await save('extra', { ...pageForm(r, 'extra', { reviewing: true }), bonus_18: '2', bonus_note_18: '市级荣誉属实' });
    const s = cardText(summary.card);
    expect(summary.card?.title).toBe('考核打分汇总 · 张三');
    expect(s).toContain('- 第6项（满分 6）自评 6｜复评 3 <t red>⚠差距大</t>');
    expect(s).toContain('- 第7项（满分 6）自评 6｜复评 3.5\n');
    expect(s).toContain('**复评总分：96.5/100 分**（各项 94.5 分 + 认定加分 2 分）｜自评 100 分');
    expect(await bot.db.select().from(phaseResponses).where(eq(phaseResponses.phaseId, reviewPhase.id))).toHaveLength(0);

    const done = await bot.press(LEADER.id, { ...ASSESS_ACTIONS.submit, args });
    expect(done.toast).toEqual({ type: 'success', text: '已提交对 张三 的考核评分' });
    expect(done.card?.title).toBe('考核评分已提交 · 张三');
    const [review] = await bot.db
      .select()
      .from(assessments)
      .where(and(eq(assessments.rater, 'review'), eq(assessments.memberId, zhang)));
    expect(review).toMatchObject({ raterId: LEADER.id, rubricId: 'model-post-rubric', rubricVersion: 1, revision: 1 });
    // The leader scored every applicant of the branch they link: the engine stops nudging them.
    expect(await bot.db.select().from(phaseResponses).where(eq(phaseResponses.phaseId, reviewPhase.id))).toHaveLength(1);

    expect(cardText(await privateCard(bot, ADMIN, '/自评 复评'))).toContain('自评 100 分｜1 人评分，平均 96.5 分｜我未评');

    // The member sees their own self-assessment only: no reviewer, no review score.
    const mine = await privateCard(bot, 'a2', '/自评');
    expect(cardText(mine)).toContain('自评已提交');
    for (const hidden of ['刘委员', '复评', '96.5', '考核评分']) expect(everything(mine)).not.toContain(hidden);
  });

  it('refuses scoring to members, of oneself, and of applicants not on a confirmed list', async () => {
    bot.clock.set(new Date(reviewPhase.opensAt.getTime() + 10 * HOUR));
    const member = await bot.press('a3', { ...ASSESS_ACTIONS.open, args: { p: P(), m: String(zhang) } });
    expect(member.toast!.text).toBe('只有党委委员或管理员可以为申报人评分。');
    const cmd = await answered(bot, 'a3', CHAT_A, `/自评 复评 @${ZHANG.name}`, [ZHANG]);
    expect(textOf(cmd)).toBe('抱歉，/assess review（/自评 复评） 仅限党委委员或管理员使用。');
    const notListed = await answered(bot, LEADER.id, CHAT_A, `/自评 复评 @${QIAN.name}`, [QIAN]);
    expect(textOf(notListed)).toBe('钱五 不在支部已报送党委的参评名单中。');
    const [li] = await bot.db
      .select()
      .from(postDeclarations)
      .where(eq(postDeclarations.memberId, zhang + 1));
    const unsubmitted = await bot.press(LEADER.id, { ...ASSESS_ACTIONS.open, args: { p: P(), m: String(li!.memberId) } });
    expect(unsubmitted.toast!.text).toBe('李四 还没有提交自评，提交后才能评分。');
  });
});
