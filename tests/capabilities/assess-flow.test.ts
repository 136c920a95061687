// A model-post campaign from declaration to the confirmed list, over the neutral harness with real
// libSQL: declare, self-assess page by page with drafts, submit, edit until close, confirm the list.
import { asc, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ASSESS_ACTIONS } from '../../cards/assess-cards.js';
import { DECLARE_ACTIONS } from '../../cards/assess-declare-cards.js';
import { assessments, assessmentSubmissions, auditLog, campaignPhases, phaseResponses, postDeclarations } from '../../db/schema.js';
import { actionsOf, cardOf, cardText, formField, type NeutralBot, PLATFORM, pushed, startNeutralBot, TENANT, textOf } from '../support/neutral.js';
import { ADMIN, answered, CHAT_A, LEADER, setUpOrg } from '../support/neutral-org.js';
import {
  buttonLabels,
  campaignRubric,
  completeAssessment,
  declare,
  declareAndAssess,
  everything,
  type Form,
  pageForm,
  privateCard,
} from '../support/neutral-assess.js';

const HOUR = 3600_000;
let bot: NeutralBot;
let declarePhase: typeof campaignPhases.$inferSelect;

beforeEach(async () => {
  bot = await startNeutralBot({ admins: [ADMIN], now: '2026-08-20T10:00:00+08:00' });
  await setUpOrg(bot);
  await answered(bot, ADMIN, CHAT_A, '/活动 新建 示范岗 2026-09-01');
  const phases = await bot.db.select().from(campaignPhases).orderBy(asc(campaignPhases.seq));
  declarePhase = phases.find((p) => p.kind === 'declare')!;
  bot.clock.set(new Date(declarePhase.opensAt.getTime() + 10 * HOUR));
});
afterEach(async () => bot.close());

const P = () => String(declarePhase.id);
const page = (from: string, pg: string, form: Form) => bot.press(from, { ...ASSESS_ACTIONS.page, args: { p: P(), pg } }, form);
const goto = (from: string, pg: string) => bot.press(from, { ...ASSESS_ACTIONS.goto, args: { p: P(), pg } });
const submit = (from: string) => bot.press(from, { ...ASSESS_ACTIONS.submit, args: { p: P() } });
const ids = (card: Parameters<typeof actionsOf>[0]) => actionsOf(card).map((a) => a.id);

describe('when the declare phase opens', () => {
  it('sends each member the declaration form privately and puts the form button on the phase card', async () => {
    await bot.tick();
    expect(
      pushed(bot)
        .filter((s) => s.endsWith('岗位申报（一人一报）'))
        .map((s) => s.split(' ')[0]),
    ).toEqual(['a1', 'a2', 'a3', 'b1', 'b2']);
    const announce = cardOf(bot.sent.find((m) => m.to === CHAT_A && cardOf(m.content)?.title === '申报与自评打分 阶段开始')?.content);
    expect(buttonLabels(announce)).toContain('申报并自评');
    expect(actionsOf(announce)).toContainEqual({ ...ASSESS_ACTIONS.open, args: { p: P() } });
    // Pressed in the branch group, the personal card goes to the direct chat.
    const reply = await bot.press('a2', { ...ASSESS_ACTIONS.open, args: { p: P() } }, {}, CHAT_A);
    expect(reply).toEqual({ toast: { type: 'success', text: '已私信发送申报卡片，请在与我的单聊中填写。' } });
    const last = bot.sent.at(-1)!;
    expect(cardOf(last.content)?.title).toBe('岗位申报（一人一报）');
    expect(last).toMatchObject({ via: 'send', to: 'a2' });
  });
});

describe('declaring', () => {
  it('names every wrong field and returns the form as typed', async () => {
    const empty = await bot.press('a2', { ...DECLARE_ACTIONS.submit, args: { p: P() } }, {});
    expect(empty.toast).toEqual({ type: 'error', text: '有 2 处需要修改' });
    expect(cardText(empty.card)).toContain('申报岗位：请选择一个岗位类别。');
    expect(cardText(empty.card)).toContain('申报说明：请填写申报理由。');
    const bad = await bot.press('a2', { ...DECLARE_ACTIONS.submit, args: { p: P() } }, { post_kind: '先锋岗', statement: '长'.repeat(301) });
    expect(cardText(bad.card)).toContain('申报岗位：「先锋岗」不在可选类别中（管理育人示范岗、服务育人示范岗）。');
    expect(cardText(bad.card)).toContain('申报说明：最多 300 字，现在 301 字。');
    expect(formField(bad.card, 'statement')!.value).toBe('长'.repeat(301));
    expect(await bot.db.select().from(postDeclarations)).toHaveLength(0);
  });

  it('stores the declaration, then leads to the self-assessment; the answer is recorded only on the final submit', async () => {
    const ok = await declare(bot, 'a2', declarePhase.id);
    expect(ok.toast).toEqual({ type: 'success', text: '申报已提交，请继续自评打分' });
    expect(ok.card?.title).toBe('申报已提交：服务育人示范岗');
    expect(ids(ok.card)).toContain('assess.open');
    expect(ids(ok.card)).toContain('declare.edit');
    expect(await bot.db.select().from(postDeclarations)).toMatchObject([{ postKind: '服务育人示范岗', revision: 1 }]);
    expect(await bot.db.select().from(phaseResponses)).toHaveLength(0);
    const again = await declare(bot, 'a2', declarePhase.id);
    expect(again.toast!.text).toBe('申报未改变');
  });

  it('asks for the declaration first when /自评 is sent before declaring', async () => {
    expect((await privateCard(bot, 'a3', '/自评')).title).toBe('岗位申报（一人一报）');
  });
});

describe('the self-assessment, page by page', () => {
  beforeEach(async () => {
    await declare(bot, 'a2', declarePhase.id);
  });

  it('saves a draft on each page and resumes at the first unfinished page', async () => {
    const first = await privateCard(bot, 'a2', '/自评');
    expect(first.title).toBe('自评打分 · 创建氛围浓');
    expect(cardText(first)).toContain('第 1/5 页 · 第1/4类 创建氛围浓');
    expect(cardText(first)).toContain('原文标注本类 10 分，与各项合计 11 分不一致，按各项分值计分。');
    const r = await campaignRubric(bot);
    const saved = await page('a2', 'atmosphere', pageForm(r, 'atmosphere', { score: (max) => max - 0.5 }));
    expect(saved.toast).toEqual({ type: 'success', text: '已保存「创建氛围浓」' });
    expect(saved.card?.title).toBe('自评打分 · 人员素质高');
    // The member leaves and comes back: page 2 is where they stopped.
    const back = await privateCard(bot, 'a2', '/自评');
    expect(back.title).toBe('自评打分 · 人员素质高');
    expect(cardText(back)).toContain('已保存 1/5 页');
    // Going back to page 1 shows what was saved.
    const page1 = await goto('a2', 'atmosphere');
    expect(formField(page1.card, 'score_1')!.value).toBe('4.5');
    expect(formField(page1.card, 'note_1')!.value).toBe('第1项依据');
    const [row] = await bot.db.select().from(assessments);
    expect(row).toMatchObject({ rater: 'self', raterId: 'a2', rubricId: 'model-post-rubric', rubricVersion: 1, pagesDone: ['atmosphere'], revision: 0 });
  });

  it('computes the totals, shows the subtotal warning, and records the answer on the final submit', async () => {
    const r = await campaignRubric(bot);
    for (const pg of ['atmosphere', 'quality', 'performance', 'reputation']) {
      await page('a2', pg, pageForm(r, pg, { score: (max, no) => (no === 6 ? 4 : max) }));
    }
    const summary = await page('a2', 'extra', pageForm(r, 'extra', { claim: '2026年获市级先进集体' }));
    expect(summary.toast!.text).toBe('已保存「加分项与一票否决」，请核对汇总后提交');
    const s = cardText(summary.card);
    expect(summary.card?.title).toBe('自评汇总：请确认后提交');
    expect(s).toContain('**人员素质高**　27/29 分');
    expect(s).toContain('**自评总分：98/100 分**（加分项待认定，不计入）');
    expect(s).toContain('**加分申请**：第18项（待考核组认定，暂不计分）');
    expect(s).toContain('**一票否决声明**：均不存在');
    expect(s).toContain(
      '注意：评分细则原文中「创建氛围浓」标注 10 分，各项合计 11 分；「人员素质高」标注 30 分，各项合计 29 分。本表按各项分值计分，满分 100 分。',
    );
    expect(actionsOf(summary.card)).toContainEqual({ ...ASSESS_ACTIONS.submit, args: { p: P() } });
    expect(await bot.db.select().from(phaseResponses)).toHaveLength(0);

    const done = await submit('a2');
    expect(done.toast).toEqual({ type: 'success', text: '自评已提交' });
    expect(done.card?.title).toBe('自评已提交');
    expect(ids(done.card)).toContain('assess.goto');
    expect(await bot.db.select().from(phaseResponses)).toMatchObject([{ phaseId: declarePhase.id }]);
    const [sub] = await bot.db.select().from(assessmentSubmissions);
    expect(sub).toMatchObject({ revision: 1, rubricId: 'model-post-rubric', rubricVersion: 1, total: 98, vetoed: false });
    expect(sub!.answers.find((a) => a.itemNo === 18)).toMatchObject({ flag: true, note: '2026年获市级先进集体', score: null });
  });

  it('freezes one submission when the same final submit arrives many times at once', async () => {
    const r = await campaignRubric(bot);
    for (const pg of ['atmosphere', 'quality', 'performance', 'reputation', 'extra']) await page('a2', pg, pageForm(r, pg));
    const click = (i: number) => ({
      kind: 'cardAction' as const,
      eventId: `final-submit-${i}`,
      platform: PLATFORM,
      tenantKey: TENANT,
      chatId: 'dm:a2',
      userId: 'a2',
      messageId: 'card-x',
      action: { ...ASSESS_ACTIONS.submit, args: { p: P() } },
      formValue: {},
      lateHandle: null,
    });
    await Promise.all(Array.from({ length: 5 }, (_, i) => bot.deliver(click(i))));
    expect(await bot.db.select().from(assessmentSubmissions)).toHaveLength(1);
    expect(await bot.db.select().from(phaseResponses)).toHaveLength(1);
    const [row] = await bot.db.select().from(assessments);
    expect(row).toMatchObject({ revision: 1, dirty: false });
  });

  it('refuses the final submit while pages are missing', async () => {
    const r = await campaignRubric(bot);
    await page('a2', 'atmosphere', pageForm(r, 'atmosphere'));
    const early = await submit('a2');
    expect(early.toast).toEqual({ type: 'warning', text: '还有未填写的页面，请填写完整后再提交' });
    expect(cardText(early.card)).toContain('尚未填写：人员素质高、工作绩效优、社会反响好、加分项与一票否决');
    expect(ids(early.card)).not.toContain('assess.submit');
  });

  it('makes a veto "yes" the result: 一票否决', async () => {
    const done = await completeAssessment(bot, 'a2', declarePhase.id, { veto: 'yes' });
    expect(cardText(done.card)).toContain('**自评结果：一票否决**');
    expect(cardText(done.card)).toContain('存在第1、2、3条情形');
    expect(everything(done.card)).not.toContain('自评总分');
    const [sub] = await bot.db.select().from(assessmentSubmissions);
    expect(sub).toMatchObject({ vetoed: true, total: 100 });
  });

  it('can be edited and resubmitted until the phase closes, keeping every submission; then it is read-only', async () => {
    await completeAssessment(bot, 'a2', declarePhase.id);
    const r = await campaignRubric(bot);
    const summary = await goto('a2', 'summary');
    expect(buttonLabels(summary.card)).toContain('修改：人员素质高');
    await page('a2', 'quality', pageForm(r, 'quality', { score: (max) => max - 1 }));
    // An unsubmitted edit: /自评 continues the draft; the last submission stands meanwhile.
    expect(cardText(await privateCard(bot, 'a2', '/自评'))).toContain('已提交第 1 版自评，之后的修改尚未提交');
    const again = await submit('a2');
    expect(again.toast!.text).toBe('自评已提交');
    expect(cardText(again.card)).toContain('**自评总分：95/100 分**');
    const subs = await bot.db.select().from(assessmentSubmissions).orderBy(asc(assessmentSubmissions.revision));
    expect(subs.map((s) => [s.revision, s.total])).toEqual([
      [1, 100],
      [2, 95],
    ]);
    // A later edit left unsubmitted at the close: the submitted version is what shows.
    await page('a2', 'quality', pageForm(r, 'quality', { score: () => 0 }));
    bot.clock.set(new Date(declarePhase.closesAt.getTime() + HOUR));
    expect(await page('a2', 'quality', pageForm(r, 'quality'))).toEqual({ toast: { type: 'error', text: '「申报与自评打分」已结束，无法再保存。' } });
    expect(await submit('a2')).toEqual({ toast: { type: 'error', text: '「申报与自评打分」已结束，无法再提交。' } });
    const shown = await privateCard(bot, 'a2', '/自评');
    expect(shown.title).toBe('自评已提交');
    expect(cardText(shown)).toContain('**自评总分：95/100 分**');
    expect(ids(shown)).not.toContain('assess.goto');
  });
});

describe('the secretary', () => {
  beforeEach(async () => {
    await declareAndAssess(bot, 'a2', declarePhase.id);
    await declare(bot, 'a3', declarePhase.id, '管理育人示范岗', '负责后勤档案管理');
    const r = await campaignRubric(bot);
    await page('a3', 'atmosphere', pageForm(r, 'atmosphere'));
  });

  it('sees who has submitted, drafted and not started', async () => {
    const status = cardText(await privateCard(bot, 'a1', '/自评 进度'));
    expect(status).toContain('已提交 **1** 人 · 草稿 **1** 人 · 未开始 **1** 人');
    expect(status).toContain('- 张三（服务育人示范岗，自评已提交 100 分）');
    expect(status).toContain('- 李四（管理育人示范岗，自评草稿（已保存 1/5 页））');
    expect(status).toContain('- 王书记（未申报）');
    expect(status).toContain('申报名单：已申报 2 人，尚未确认报送（发送 /申报 确认）。');
    // Asked in the branch group, the status (members' scores) still goes to the secretary privately.
    const before = bot.sent.length;
    expect(textOf(await answered(bot, 'a1', CHAT_A, '/自评 进度'))).toBe('已私信发送自评进度，请在与我的单聊中填写。');
    expect(pushed(bot, before)).toEqual(['a1 自评进度 · 后勤第一党支部']);
    expect(textOf(await answered(bot, 'a3', CHAT_A, '/自评 进度'))).toBe('抱歉，/assess status（/自评 进度） 仅限本支部书记或管理员使用。');
  });

  it('confirms the branch list, which is audited and sent to the committee', async () => {
    const list = await privateCard(bot, 'a1', '/申报 确认');
    const card = cardText(list);
    expect(card).toContain('1. **张三**｜服务育人示范岗｜自评已提交 100 分');
    expect(card).toContain('2. **李四**｜管理育人示范岗｜自评草稿（已保存 1/5 页）');
    expect(card).toContain('未申报（1 人）：王书记');
    const confirm = actionsOf(list).find((a) => a.id === DECLARE_ACTIONS.confirm.id)!;
    expect(confirm).toMatchObject({ ...DECLARE_ACTIONS.confirm, args: { p: P(), b: '1' } });

    const ok = await bot.press('a1', confirm);
    expect(ok.toast).toEqual({ type: 'success', text: '第 1 版名单已确认，已报送集团党委' });
    expect(cardText(ok.card)).toContain('由 王书记 确认第 1 版名单并报送集团党委');
    // The committee is the roster's leaders, not BOT_ADMINS.
    const reported = (to: string) => bot.sent.filter((m) => m.to === to && cardOf(m.content)?.title === '参评名单报送：后勤第一党支部');
    expect(reported(ADMIN)).toHaveLength(0);
    const toCommittee = reported(LEADER.id);
    expect(toCommittee).toHaveLength(1);
    expect(cardText(cardOf(toCommittee[0]!.content))).toContain('负责后勤档案管理');
    expect(await bot.db.select().from(auditLog).where(eq(auditLog.action, 'declare.confirm'))).toHaveLength(1);

    expect((await bot.press('a1', confirm)).toast!.text).toBe('该名单已确认报送，无需重复操作。');
    expect((await bot.press('a2', confirm)).toast!.text).toBe('仅限本支部书记或管理员操作。');

    // A new applicant changes the list: the old button is refused and the list must be confirmed again.
    await declare(bot, 'a1', declarePhase.id);
    const stale = await bot.press('a1', confirm);
    expect(stale.toast).toEqual({ type: 'warning', text: '申报名单已有变化，请核对后重新确认。' });
    expect(cardText(stale.card)).toContain('报送后申报有变化，请重新确认');

    const overview = cardText(await privateCard(bot, ADMIN, '/申报 名单'));
    expect(overview).toContain('已报送 **1/2** 个支部，共 2 人。');
    expect(overview).toContain('张三（服务育人示范岗）、李四（管理育人示范岗）');
    expect(overview).toContain('**后勤第二党支部**：未报送');
  });
});
