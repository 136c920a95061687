// Second scoring (考核打分) of a model-post campaign over signed webhooks: the committee scores each
// confirmed applicant's submitted self-assessment, beside the self-score, with large gaps flagged.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { and, asc, eq } from 'drizzle-orm';
import { assessments, campaignPhases, phaseResponses, postDeclarations } from '../db/schema.js';
import { campaignRubric, declare, declareAndAssess, pageForm, press, type Json } from './support/assess.js';
import { groupCommand } from './support/feishu-wire.js';
import { startTestBot, type TestBot } from './support/harness.js';
import { ADMIN, CHAT_A, LEADER, headline, say, sayPrivately, setUpOrg } from './support/org.js';

const HOUR = 3600_000;
let bot: TestBot;
let declarePhase: typeof campaignPhases.$inferSelect;
let reviewPhase: typeof campaignPhases.$inferSelect;

beforeEach(async () => {
  bot = await startTestBot({ admins: [ADMIN], now: '2026-08-20T10:00:00+08:00' });
  await setUpOrg(bot);
  await say(bot, ADMIN, CHAT_A, '/活动 新建 示范岗 2026-09-01');
  const phases = await bot.db.select().from(campaignPhases).orderBy(asc(campaignPhases.seq));
  declarePhase = phases.find((p) => p.kind === 'declare')!;
  reviewPhase = phases.find((p) => p.kind === 'review')!;
  bot.clock.set(new Date(declarePhase.opensAt.getTime() + 10 * HOUR));
});
afterEach(async () => bot.close());

const P = () => String(declarePhase.id);
const text = (body: { card?: { data: Json } }) => JSON.stringify(body.card?.data);
const title = (card: Json | undefined) => ((card?.header as Json | undefined)?.title as { content: string } | undefined)?.content ?? '';

describe('second scoring by the committee', () => {
  let zhang: number;
  beforeEach(async () => {
    await declareAndAssess(bot, 'ou_a2', declarePhase.id, { score: (max, no) => (no === 6 ? 6 : max) });
    await declare(bot, 'ou_a3', declarePhase.id);
    const list = JSON.stringify((await sayPrivately(bot, 'ou_a1', '/申报 确认')).content);
    const value = JSON.parse(/"value":(\{[^}]*"a":"declare\.confirm"[^}]*\})/.exec(list)![1]!) as Json;
    await press(bot, 'ou_a1', value);
    zhang = (await bot.db.select().from(postDeclarations).where(eq(postDeclarations.phaseId, declarePhase.id)))[0]!.memberId;
  });

  it('is not open before the review phase', async () => {
    const early = await press(bot, LEADER.openId, { a: 'assess.open', v: 1, p: P(), m: String(zhang) });
    expect(early.toast!.content).toBe('「领导小组考核打分」尚未开始，暂不能评分。');
  });

  it('shows the self-score beside the leader’s, flags large gaps, and never shows reviewers to the member', async () => {
    bot.clock.set(new Date(reviewPhase.opensAt.getTime() + 10 * HOUR));
    await bot.tick();
    const invite = bot.fake.sent.find((m) => m.receiveId === LEADER.openId && headline(m) === '考核打分：领导小组考核打分')!;
    expect(JSON.stringify(invite.content)).toContain(`"p":"${P()}","page":"0","a":"assess.reviews","v":1`);

    const list = JSON.stringify((await sayPrivately(bot, LEADER.openId, '/自评 复评')).content);
    expect(list).toContain('可评分的申报人 **1** 人，我已评 **0** 人。');
    expect(list).toContain('1. **张三**（后勤第一党支部·联系点）服务育人示范岗\\n   自评 100 分｜暂无评分｜我未评');
    expect(list).toContain(`"p":"${P()}","m":"${zhang}","a":"assess.open","v":1`);
    expect(list).not.toContain('李四');

    // In the group the leader @-mentions the applicant; the card comes privately.
    await bot.deliver(groupCommand(LEADER.openId, CHAT_A, '/自评 复评 @_user_2', [{ openId: 'ou_a2', name: '张三' }]));
    await bot.settle();
    expect(bot.fake.sent.find((m) => m.via === 'reply' && m.replyTo !== null && JSON.stringify(m.content).includes('评分卡片'))!.content).toEqual({
      text: '已私信发送张三 的评分卡片，请在与我的单聊中填写。',
    });
    const page = bot.fake.sent.find((m) => m.receiveId === LEADER.openId && headline(m) === '考核打分 · 张三 · 创建氛围浓')!;
    expect(JSON.stringify(page.content)).toContain('自评：**5** 分｜依据：第1项依据');

    const r = await campaignRubric(bot);
    const args = { p: P(), m: String(zhang) };
    await press(bot, LEADER.openId, { a: 'assess.page', v: 1, ...args, pg: 'atmosphere' }, pageForm(r, 'atmosphere'));
    const quality = await press(
      bot,
      LEADER.openId,
      { a: 'assess.page', v: 1, ...args, pg: 'quality' },
      pageForm(r, 'quality', { score: (max, no) => (no === 6 ? 3 : no === 7 ? 3.5 : max) }),
    );
    expect(quality.toast!.type).toBe('success');
    const back = await press(bot, LEADER.openId, { a: 'assess.goto', v: 1, ...args, pg: 'quality' });
    expect(text(back)).toContain("自评：**6** 分｜依据：第6项依据　<font color='red'>⚠ 与您的评分相差较大</font>");
    for (const pg of ['performance', 'reputation']) await press(bot, LEADER.openId, { a: 'assess.page', v: 1, ...args, pg }, pageForm(r, pg));
    const extra = { ...pageForm(r, 'extra', { reviewing: true }), bonus_18: '2', bonus_note_18: '市级荣誉属实' };
    const summary = await press(bot, LEADER.openId, { a: 'assess.page', v: 1, ...args, pg: 'extra' }, extra);
    const s = text(summary);
    expect(title(summary.card!.data)).toBe('考核打分汇总 · 张三');
    expect(s).toContain("- 第6项（满分 6）自评 6｜复评 3 <font color='red'>⚠差距大</font>");
    expect(s).toContain('- 第7项（满分 6）自评 6｜复评 3.5\\n');
    expect(s).toContain('**复评总分：96.5/100 分**（各项 94.5 分 + 认定加分 2 分）｜自评 100 分');
    expect(await bot.db.select().from(phaseResponses).where(eq(phaseResponses.phaseId, reviewPhase.id))).toHaveLength(0);

    const done = await press(bot, LEADER.openId, { a: 'assess.submit', v: 1, ...args });
    expect(done.toast).toEqual({ type: 'success', content: '已提交对 张三 的考核评分' });
    expect(title(done.card!.data)).toBe('考核评分已提交 · 张三');
    const [review] = await bot.db
      .select()
      .from(assessments)
      .where(and(eq(assessments.rater, 'review'), eq(assessments.memberId, zhang)));
    expect(review).toMatchObject({ raterId: LEADER.openId, rubricId: 'model-post-rubric', rubricVersion: 1, revision: 1 });
    // The leader scored every applicant of the branch they link: the engine stops nudging them.
    expect(await bot.db.select().from(phaseResponses).where(eq(phaseResponses.phaseId, reviewPhase.id))).toHaveLength(1);

    const aggregate = JSON.stringify((await sayPrivately(bot, ADMIN, '/自评 复评')).content);
    expect(aggregate).toContain('自评 100 分｜1 人评分，平均 96.5 分｜我未评');

    // The member sees their own self-assessment only: no reviewer, no review score.
    const mine = JSON.stringify((await sayPrivately(bot, 'ou_a2', '/自评')).content);
    expect(mine).toContain('自评已提交');
    for (const hidden of ['刘委员', '复评', '96.5', '考核评分']) expect(mine).not.toContain(hidden);
  });

  it('refuses scoring to members, of oneself, and of applicants not on a confirmed list', async () => {
    bot.clock.set(new Date(reviewPhase.opensAt.getTime() + 10 * HOUR));
    const member = await press(bot, 'ou_a3', { a: 'assess.open', v: 1, p: P(), m: String(zhang) });
    expect(member.toast!.content).toBe('只有党委委员或管理员可以为申报人评分。');
    const cmd = await say(bot, 'ou_a3', CHAT_A, '/自评 复评 @_user_2', [{ openId: 'ou_a2', name: '张三' }]);
    expect(cmd.content).toEqual({ text: '抱歉，/assess review（/自评 复评） 仅限党委委员或管理员使用。' });
    const notListed = await say(bot, LEADER.openId, CHAT_A, '/自评 复评 @_user_2', [{ openId: 'ou_b2', name: '钱五' }]);
    expect(notListed.content).toEqual({ text: '钱五 不在支部已报送党委的参评名单中。' });
    const [li] = await bot.db
      .select()
      .from(postDeclarations)
      .where(eq(postDeclarations.memberId, zhang + 1));
    const unsubmitted = await press(bot, LEADER.openId, { a: 'assess.open', v: 1, p: P(), m: String(li!.memberId) });
    expect(unsubmitted.toast!.content).toBe('李四 还没有提交自评，提交后才能评分。');
  });
});
