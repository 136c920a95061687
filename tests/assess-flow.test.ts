// A model-post campaign from declaration to second scoring, over signed webhooks with real libSQL:
// declare, self-assess page by page with drafts, submit, edit until close, confirm the list, score again.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import { assessments, assessmentSubmissions, auditLog, campaignPhases, phaseResponses, postDeclarations } from '../db/schema.js';
import { campaignRubric, completeAssessment, declare, declareAndAssess, pageForm, press, type Json } from './support/assess.js';
import { cardActionEvent, groupCommand } from './support/feishu-wire.js';
import { startTestBot, type TestBot } from './support/harness.js';
import { ADMIN, CHAT_A, headline, LEADER, pushed, say, sayPrivately, setUpOrg } from './support/org.js';

const HOUR = 3600_000;
let bot: TestBot;
let declarePhase: typeof campaignPhases.$inferSelect;

beforeEach(async () => {
  bot = await startTestBot({ admins: [ADMIN], now: '2026-08-20T10:00:00+08:00' });
  await setUpOrg(bot);
  await say(bot, ADMIN, CHAT_A, '/活动 新建 示范岗 2026-09-01');
  const phases = await bot.db.select().from(campaignPhases).orderBy(asc(campaignPhases.seq));
  declarePhase = phases.find((p) => p.kind === 'declare')!;
  bot.clock.set(new Date(declarePhase.opensAt.getTime() + 10 * HOUR));
});
afterEach(async () => bot.close());

const P = () => String(declarePhase.id);
const text = (body: { card?: { data: Json } }) => JSON.stringify(body.card?.data);

function field(card: Json | undefined, name: string): Json | undefined {
  const forms = ((card?.body as { elements: Json[] } | undefined)?.elements ?? []).filter((e) => e.tag === 'form');
  return forms.flatMap((f) => f.elements as Json[]).find((e) => e.name === name);
}

function title(card: Json | undefined): string {
  return ((card?.header as Json | undefined)?.title as { content: string } | undefined)?.content ?? '';
}

describe('when the declare phase opens', () => {
  it('sends each member the declaration form privately and puts the form button on the phase card', async () => {
    await bot.tick();
    expect(
      pushed(bot)
        .filter((s) => s.endsWith('岗位申报（一人一报）'))
        .map((s) => s.split(' ')[0]),
    ).toEqual(['ou_a1', 'ou_a2', 'ou_a3', 'ou_b1', 'ou_b2']);
    const announce = bot.fake.sent.find((m) => m.receiveId === CHAT_A && headline(m) === '申报与自评打分 阶段开始')!;
    expect(JSON.stringify(announce.content)).toContain('"content":"申报并自评"');
    expect(JSON.stringify(announce.content)).toContain(`"p":"${declarePhase.id}","a":"assess.open","v":1`);
    // Pressed in the branch group, the personal card goes to the direct chat.
    const body = await press(bot, 'ou_a2', { a: 'assess.open', v: 1, p: P() }, undefined, CHAT_A);
    expect(body).toEqual({ toast: { type: 'success', content: '已私信发送申报卡片，请在与我的单聊中填写。' } });
    expect(headline(bot.fake.sent.at(-1)!)).toBe('岗位申报（一人一报）');
    expect(bot.fake.sent.at(-1)!.receiveId).toBe('ou_a2');
  });
});

describe('declaring', () => {
  it('names every wrong field and returns the form as typed', async () => {
    const empty = await press(bot, 'ou_a2', { a: 'declare.submit', v: 1, p: P() }, {});
    expect(empty.toast).toEqual({ type: 'error', content: '有 2 处需要修改' });
    expect(text(empty)).toContain('申报岗位：请选择一个岗位类别。');
    expect(text(empty)).toContain('申报说明：请填写申报理由。');
    const bad = await press(bot, 'ou_a2', { a: 'declare.submit', v: 1, p: P() }, { post_kind: '先锋岗', statement: '长'.repeat(301) });
    expect(text(bad)).toContain('申报岗位：「先锋岗」不在可选类别中（管理育人示范岗、服务育人示范岗）。');
    expect(text(bad)).toContain('申报说明：最多 300 字，现在 301 字。');
    expect(field(bad.card!.data, 'statement')!.default_value).toBe('长'.repeat(301));
    expect(await bot.db.select().from(postDeclarations)).toHaveLength(0);
  });

  it('stores the declaration, then leads to the self-assessment; the answer is recorded only on the final submit', async () => {
    const ok = await declare(bot, 'ou_a2', declarePhase.id);
    expect(ok.toast).toEqual({ type: 'success', content: '申报已提交，请继续自评打分' });
    expect(title(ok.card!.data)).toBe('申报已提交：服务育人示范岗');
    expect(text(ok)).toContain('"a":"assess.open"');
    expect(text(ok)).toContain('"a":"declare.edit"');
    expect(await bot.db.select().from(postDeclarations)).toMatchObject([{ postKind: '服务育人示范岗', revision: 1 }]);
    expect(await bot.db.select().from(phaseResponses)).toHaveLength(0);
    const again = await declare(bot, 'ou_a2', declarePhase.id);
    expect(again.toast!.content).toBe('申报未改变');
  });

  it('asks for the declaration first when /自评 is sent before declaring', async () => {
    const reply = await sayPrivately(bot, 'ou_a3', '/自评');
    expect(headline(reply)).toBe('岗位申报（一人一报）');
  });
});

describe('the self-assessment, page by page', () => {
  beforeEach(async () => {
    await declare(bot, 'ou_a2', declarePhase.id);
  });

  it('saves a draft on each page and resumes at the first unfinished page', async () => {
    const first = await sayPrivately(bot, 'ou_a2', '/自评');
    expect(headline(first)).toBe('自评打分 · 创建氛围浓');
    expect(JSON.stringify(first.content)).toContain('第 1/5 页 · 第1/4类 创建氛围浓');
    expect(JSON.stringify(first.content)).toContain('原文标注本类 10 分，与各项合计 11 分不一致，按各项分值计分。');
    const r = await campaignRubric(bot);
    const saved = await press(bot, 'ou_a2', { a: 'assess.page', v: 1, p: P(), pg: 'atmosphere' }, pageForm(r, 'atmosphere', { score: (max) => max - 0.5 }));
    expect(saved.toast).toEqual({ type: 'success', content: '已保存「创建氛围浓」' });
    expect(title(saved.card!.data)).toBe('自评打分 · 人员素质高');
    // The member leaves and comes back: page 2 is where they stopped.
    const back = await sayPrivately(bot, 'ou_a2', '/自评');
    expect(headline(back)).toBe('自评打分 · 人员素质高');
    expect(JSON.stringify(back.content)).toContain('已保存 1/5 页');
    // Going back to page 1 shows what was saved.
    const page1 = await press(bot, 'ou_a2', { a: 'assess.goto', v: 1, p: P(), pg: 'atmosphere' });
    expect(field(page1.card!.data, 'score_1')!.default_value).toBe('4.5');
    expect(field(page1.card!.data, 'note_1')!.default_value).toBe('第1项依据');
    const [row] = await bot.db.select().from(assessments);
    expect(row).toMatchObject({ rater: 'self', raterId: 'ou_a2', rubricId: 'model-post-rubric', rubricVersion: 1, pagesDone: ['atmosphere'], revision: 0 });
  });

  it('computes the totals, shows the subtotal warning, and records the answer on the final submit', async () => {
    const r = await campaignRubric(bot);
    for (const pg of ['atmosphere', 'quality', 'performance', 'reputation']) {
      await press(bot, 'ou_a2', { a: 'assess.page', v: 1, p: P(), pg }, pageForm(r, pg, { score: (max, no) => (no === 6 ? 4 : max) }));
    }
    const summary = await press(bot, 'ou_a2', { a: 'assess.page', v: 1, p: P(), pg: 'extra' }, pageForm(r, 'extra', { claim: '2026年获市级先进集体' }));
    expect(summary.toast!.content).toBe('已保存「加分项与一票否决」，请核对汇总后提交');
    const s = text(summary);
    expect(title(summary.card!.data)).toBe('自评汇总：请确认后提交');
    expect(s).toContain('**人员素质高**　27/29 分');
    expect(s).toContain('**自评总分：98/100 分**（加分项待认定，不计入）');
    expect(s).toContain('**加分申请**：第18项（待考核组认定，暂不计分）');
    expect(s).toContain('**一票否决声明**：均不存在');
    expect(s).toContain(
      '注意：评分细则原文中「创建氛围浓」标注 10 分，各项合计 11 分；「人员素质高」标注 30 分，各项合计 29 分。本表按各项分值计分，满分 100 分。',
    );
    expect(s).toContain(`"p":"${P()}","a":"assess.submit","v":1`);
    expect(await bot.db.select().from(phaseResponses)).toHaveLength(0);

    const done = await press(bot, 'ou_a2', { a: 'assess.submit', v: 1, p: P() });
    expect(done.toast).toEqual({ type: 'success', content: '自评已提交' });
    expect(title(done.card!.data)).toBe('自评已提交');
    expect(text(done)).toContain('"a":"assess.goto"');
    expect(await bot.db.select().from(phaseResponses)).toMatchObject([{ phaseId: declarePhase.id }]);
    const [sub] = await bot.db.select().from(assessmentSubmissions);
    expect(sub).toMatchObject({ revision: 1, rubricId: 'model-post-rubric', rubricVersion: 1, total: 98, vetoed: false });
    expect(sub!.answers.find((a) => a.itemNo === 18)).toMatchObject({ flag: true, note: '2026年获市级先进集体', score: null });
  });

  it('freezes one submission when the same final submit arrives many times at once', async () => {
    const r = await campaignRubric(bot);
    for (const pg of ['atmosphere', 'quality', 'performance', 'reputation', 'extra']) {
      await press(bot, 'ou_a2', { a: 'assess.page', v: 1, p: P(), pg }, pageForm(r, pg));
    }
    const events = Array.from({ length: 5 }, () => cardActionEvent({ from: 'ou_a2', chatId: 'oc_p2p', value: { a: 'assess.submit', v: 1, p: P() } }));
    const responses = await Promise.all(events.map((e) => bot.deliver(e)));
    expect(responses.every((res) => res.status === 200)).toBe(true);
    await bot.settle();
    expect(await bot.db.select().from(assessmentSubmissions)).toHaveLength(1);
    expect(await bot.db.select().from(phaseResponses)).toHaveLength(1);
    const [row] = await bot.db.select().from(assessments);
    expect(row).toMatchObject({ revision: 1, dirty: false });
  });

  it('refuses the final submit while pages are missing', async () => {
    const r = await campaignRubric(bot);
    await press(bot, 'ou_a2', { a: 'assess.page', v: 1, p: P(), pg: 'atmosphere' }, pageForm(r, 'atmosphere'));
    const early = await press(bot, 'ou_a2', { a: 'assess.submit', v: 1, p: P() });
    expect(early.toast).toEqual({ type: 'warning', content: '还有未填写的页面，请填写完整后再提交' });
    expect(text(early)).toContain('尚未填写：人员素质高、工作绩效优、社会反响好、加分项与一票否决');
    expect(text(early)).not.toContain('"a":"assess.submit"');
  });

  it('makes a veto "yes" the result: 一票否决', async () => {
    const done = await completeAssessment(bot, 'ou_a2', declarePhase.id, { veto: 'yes' });
    expect(text(done)).toContain('**自评结果：一票否决**');
    expect(text(done)).toContain('存在第1、2、3条情形');
    expect(text(done)).not.toContain('自评总分');
    const [sub] = await bot.db.select().from(assessmentSubmissions);
    expect(sub).toMatchObject({ vetoed: true, total: 100 });
  });

  it('can be edited and resubmitted until the phase closes, keeping every submission; then it is read-only', async () => {
    await completeAssessment(bot, 'ou_a2', declarePhase.id);
    const r = await campaignRubric(bot);
    const summary = await press(bot, 'ou_a2', { a: 'assess.goto', v: 1, p: P(), pg: 'summary' });
    expect(text(summary)).toContain('"content":"修改：人员素质高"');
    await press(bot, 'ou_a2', { a: 'assess.page', v: 1, p: P(), pg: 'quality' }, pageForm(r, 'quality', { score: (max) => max - 1 }));
    // An unsubmitted edit: /自评 continues the draft; the last submission stands meanwhile.
    const draft = await sayPrivately(bot, 'ou_a2', '/自评');
    expect(JSON.stringify(draft.content)).toContain('已提交第 1 版自评，之后的修改尚未提交');
    const again = await press(bot, 'ou_a2', { a: 'assess.submit', v: 1, p: P() });
    expect(again.toast!.content).toBe('自评已提交');
    expect(text(again)).toContain('**自评总分：95/100 分**');
    const subs = await bot.db.select().from(assessmentSubmissions).orderBy(asc(assessmentSubmissions.revision));
    expect(subs.map((s) => [s.revision, s.total])).toEqual([
      [1, 100],
      [2, 95],
    ]);
    // A later edit left unsubmitted at the close: the submitted version is what shows.
    await press(bot, 'ou_a2', { a: 'assess.page', v: 1, p: P(), pg: 'quality' }, pageForm(r, 'quality', { score: () => 0 }));
    bot.clock.set(new Date(declarePhase.closesAt.getTime() + HOUR));
    const refused = await press(bot, 'ou_a2', { a: 'assess.page', v: 1, p: P(), pg: 'quality' }, pageForm(r, 'quality'));
    expect(refused).toEqual({ toast: { type: 'error', content: '「申报与自评打分」已结束，无法再保存。' } });
    const late = await press(bot, 'ou_a2', { a: 'assess.submit', v: 1, p: P() });
    expect(late).toEqual({ toast: { type: 'error', content: '「申报与自评打分」已结束，无法再提交。' } });
    const shown = await sayPrivately(bot, 'ou_a2', '/自评');
    expect(headline(shown)).toBe('自评已提交');
    expect(JSON.stringify(shown.content)).toContain('**自评总分：95/100 分**');
    expect(JSON.stringify(shown.content)).not.toContain('"a":"assess.goto"');
  });
});

describe('the secretary', () => {
  beforeEach(async () => {
    await declareAndAssess(bot, 'ou_a2', declarePhase.id);
    await declare(bot, 'ou_a3', declarePhase.id, '管理育人示范岗', '负责后勤档案管理');
    const r = await campaignRubric(bot);
    await press(bot, 'ou_a3', { a: 'assess.page', v: 1, p: P(), pg: 'atmosphere' }, pageForm(r, 'atmosphere'));
  });

  it('sees who has submitted, drafted and not started', async () => {
    const status = JSON.stringify((await sayPrivately(bot, 'ou_a1', '/自评 进度')).content);
    expect(status).toContain('已提交 **1** 人 · 草稿 **1** 人 · 未开始 **1** 人');
    expect(status).toContain('- 张三（服务育人示范岗，自评已提交 100 分）');
    expect(status).toContain('- 李四（管理育人示范岗，自评草稿（已保存 1/5 页））');
    expect(status).toContain('- 王书记（未申报）');
    expect(status).toContain('申报名单：已申报 2 人，尚未确认报送（发送 /申报 确认）。');
    // Asked in the branch group, the status (members' scores) still goes to the secretary privately.
    await bot.deliver(groupCommand('ou_a1', CHAT_A, '/自评 进度'));
    await bot.settle();
    const lastTwo = bot.fake.sent.slice(-2);
    expect(lastTwo.find((m) => m.via === 'reply')!.content).toEqual({ text: '已私信发送自评进度，请在与我的单聊中填写。' });
    expect(lastTwo.filter((m) => m.via === 'create').map((m) => `${m.receiveId} ${headline(m)}`)).toEqual(['ou_a1 自评进度 · 后勤第一党支部']);
    const member = await say(bot, 'ou_a3', CHAT_A, '/自评 进度');
    expect(member.content).toEqual({ text: '抱歉，/assess status（/自评 进度） 仅限本支部书记或管理员使用。' });
  });

  it('confirms the branch list, which is audited and sent to the committee', async () => {
    const list = await sayPrivately(bot, 'ou_a1', '/申报 确认');
    const card = JSON.stringify(list.content);
    expect(card).toContain('1. **张三**｜服务育人示范岗｜自评已提交 100 分');
    expect(card).toContain('2. **李四**｜管理育人示范岗｜自评草稿（已保存 1/5 页）');
    expect(card).toContain('未申报（1 人）：王书记');
    const value = /"behaviors":\[\{"type":"callback","value":(\{[^}]*"a":"declare\.confirm"[^}]*\})/.exec(card)![1]!;
    const confirmValue = JSON.parse(value) as Json;
    expect(confirmValue).toMatchObject({ p: P(), b: '1', a: 'declare.confirm', v: 1 });

    const ok = await press(bot, 'ou_a1', confirmValue);
    expect(ok.toast).toEqual({ type: 'success', content: '第 1 版名单已确认，已报送集团党委' });
    expect(text(ok)).toContain('由 王书记 确认第 1 版名单并报送集团党委');
    // The committee is the roster's leaders, not BOT_ADMINS.
    const toCommittee = bot.fake.sent.filter((m) => m.receiveId === LEADER.openId && headline(m) === '参评名单报送：后勤第一党支部');
    expect(bot.fake.sent.filter((m) => m.receiveId === ADMIN && headline(m) === '参评名单报送：后勤第一党支部')).toHaveLength(0);
    expect(toCommittee).toHaveLength(1);
    expect(JSON.stringify(toCommittee[0]!.content)).toContain('负责后勤档案管理');
    expect(await bot.db.select().from(auditLog).where(eq(auditLog.action, 'declare.confirm'))).toHaveLength(1);

    const twice = await press(bot, 'ou_a1', confirmValue);
    expect(twice.toast!.content).toBe('该名单已确认报送，无需重复操作。');
    const notSecretary = await press(bot, 'ou_a2', confirmValue);
    expect(notSecretary.toast!.content).toBe('仅限本支部书记或管理员操作。');

    // A new applicant changes the list: the old button is refused and the list must be confirmed again.
    await declare(bot, 'ou_a1', declarePhase.id);
    const stale = await press(bot, 'ou_a1', confirmValue);
    expect(stale.toast).toEqual({ type: 'warning', content: '申报名单已有变化，请核对后重新确认。' });
    expect(text(stale)).toContain('报送后申报有变化，请重新确认');

    const overview = JSON.stringify((await sayPrivately(bot, ADMIN, '/申报 名单')).content);
    expect(overview).toContain('已报送 **1/2** 个支部，共 2 人。');
    expect(overview).toContain('张三（服务育人示范岗）、李四（管理育人示范岗）');
    expect(overview).toContain('**后勤第二党支部**：未报送');
  });
});
