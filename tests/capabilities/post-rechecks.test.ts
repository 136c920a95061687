// Held model posts are re-checked every semester of the calendar, after the campaign that awarded them
// has finished: the holder's self-assessment form, the linked committee member's invitation and
// reminder (never at night, never in a holiday), the result flagged when it fails, and 撤销 with a
// reason that ends the re-checks. And the calendar itself, edited by admins.
import { and, asc, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ASSESS_ACTIONS } from '../../cards/assess-cards.js';
import { POST_ACTIONS } from '../../cards/post-cards.js';
import { auditLog, campaignPhases, campaigns, members, postDeclarations, postRechecks, semesters } from '../../db/schema.js';
import { actionsOf, cardOf, cardText, type NeutralBot, type Person, pushed, startNeutralBot, textOf } from '../support/neutral.js';
import { ADMIN, answered, BRANCH_A, BRANCH_B, CHAT_A, CHAT_B, LEADER, setUpOrg } from '../support/neutral-org.js';
import { completeAssessment, declareAndAssess, privateCard } from '../support/neutral-assess.js';
import { fetchLink, readXlsx, type ReadBook } from '../support/ledger-read.js';
import { ledgerPort } from '../../handlers/ledger/port.js';
import { surveyPages } from '../../bot/platforms/web/survey-routes.js';
import { ledgerUrl } from '../../bot/platforms/web/ledger-routes.js';
import type { PublicPages } from '../../bot/platform.js';

const ZHANG = BRANCH_A[1]!;
const QIAN = BRANCH_B[1]!;
/** A second committee member, linking branch B. */
const CHEN: Person = { id: 'l2', name: '陈委员' };
const HOUR = 3600_000;
const SECRET = 'post-rechecks-link-secret-0123';
const PUBLIC_URL = 'https://bot.example.edu.cn';
const pages: PublicPages = { ...surveyPages(SECRET, PUBLIC_URL), ledgerUrl: (g) => ledgerUrl(SECRET, PUBLIC_URL, g) };
let bot: NeutralBot;

/** The committee's ledger of the (finished) campaign, read back from its download link. */
async function ledger(): Promise<ReadBook> {
  const links = cardOf(await bot.sayPrivately(ADMIN, '/台账'))?.blocks.find((b) => b.type === 'links');
  if (links?.type !== 'links') throw new Error('no ledger link');
  const got = await fetchLink({ db: bot.db, config: bot.config, clock: bot.clock }, ledgerPort, SECRET, links.links[0]!.url);
  return readXlsx(got!.bytes);
}
const column = (book: ReadBook, sheet: string, header: string) => {
  const rows = book.sheets[sheet]!;
  const i = rows[0]!.indexOf(header);
  return rows.slice(1).map((r) => r[i]!);
};

const at = (local: string) => bot.clock.set(new Date(`${local}+08:00`));
const memberId = async (userId: string) => (await bot.db.select().from(members).where(eq(members.userId, userId)))[0]!.id;
/** The card a person last received from the scheduler with this title. */
const received = (userId: string, title: string) =>
  cardOf(bot.sent.filter((m) => m.via === 'send' && m.to === userId && cardOf(m.content)?.title.startsWith(title)).at(-1)?.content);

/** The phase a holder is re-checked in during the semester labelled, e.g. "2027-2028学年第二学期". */
async function recheckPhase(label: string) {
  const [row] = await bot.db
    .select()
    .from(campaignPhases)
    .where(eq(campaignPhases.title, `${label}示范岗复核`));
  expect(row, `no re-check phase for ${label}`).toBeDefined();
  return row!;
}

async function tickAt(local: string): Promise<string[]> {
  at(local);
  const mark = bot.sent.length;
  await bot.tick();
  return pushed(bot, mark);
}

beforeEach(async () => {
  bot = await startNeutralBot({ admins: [ADMIN], now: '2026-08-20T10:00:00+08:00', pages });
  await setUpOrg(bot);
  bot.setChatMembers(CHAT_B, [...BRANCH_B, CHEN]);
  await answered(bot, ADMIN, CHAT_B, `/角色 @${CHEN.name} 委员`, [CHEN]);
  await answered(bot, ADMIN, CHAT_A, '/活动 新建 示范岗 2026-09-01');
  const phases = await bot.db.select().from(campaignPhases).orderBy(asc(campaignPhases.seq));
  const declare = phases.find((p) => p.kind === 'declare')!;
  bot.clock.set(new Date(declare.opensAt.getTime() + 10 * HOUR));
  await declareAndAssess(bot, ZHANG.id, declare.id);
  await declareAndAssess(bot, QIAN.id, declare.id);
  bot.clock.set(new Date(phases.find((p) => p.kind === 'commend')!.opensAt.getTime() + 10 * HOUR));
  await answered(bot, ADMIN, CHAT_A, `/申报 授牌 @${ZHANG.name}`, [ZHANG]);
  await answered(bot, ADMIN, CHAT_B, `/申报 授牌 @${QIAN.name}`, [QIAN]);
  // Next summer's first days are a holiday, set while the campaign still runs.
  await answered(bot, ADMIN, CHAT_A, '/活动 假期 2028-07-06 2028-07-08 不顺延');
});
afterEach(async () => bot.close());

/** The campaign ends (its last phase closed on 2028-01-01); no tick ran before. */
async function finishCampaign() {
  await tickAt('2028-01-20T10:00:00');
  expect((await bot.db.select().from(campaigns))[0]!.status).toBe('finished');
}

describe('while the awarding campaign still runs', () => {
  it('re-checks in its own 每学期考核 phase, with the forms sent once, and invites the committee', async () => {
    // 2027-2028 第一学期: the campaign's 每学期考核 (2027-08-18 – 2027-12-31) overlaps the re-check window.
    const sent = await tickAt('2027-12-19T10:00:00');
    expect(sent.filter((s) => s.includes('自评打分'))).toEqual(['a2 自评打分 · 创建氛围浓', 'b2 自评打分 · 创建氛围浓']);
    const own = (await bot.db.select().from(campaignPhases)).find((p) => p.kind === 'semester')!;
    expect(new Set((await bot.db.select().from(postRechecks)).map((r) => r.phaseId))).toEqual(new Set([own.id]));
    expect(await bot.db.select().from(campaignPhases)).toHaveLength((await bot.db.select().from(campaigns))[0]!.template.phases.length);
    expect((await completeAssessment(bot, ZHANG.id, own.id)).toast!.text).toBe('自评已提交');
    expect((await tickAt('2027-12-19T11:00:00')).filter((s) => !s.startsWith('a1 '))).toEqual(['l1 示范岗复核打分：张三']);
  });
});

describe('held posts are re-checked every semester after their campaign finished', () => {
  beforeEach(finishCampaign);
  it('sends the holder the form, invites and reminds the linked committee member, never at night or in a holiday', async () => {
    // 2027-2028 第二学期 (default 2028-02-25 – 2028-07-10): the re-check opens four weeks before its end.
    expect(await tickAt('2028-06-12T10:00:00')).toEqual([]);
    expect(await tickAt('2028-06-13T10:00:00')).toEqual(['a2 自评打分 · 创建氛围浓', 'b2 自评打分 · 创建氛围浓']);
    const spring = await recheckPhase('2027-2028学年第二学期');
    expect(spring.campaignId).toBe((await bot.db.select().from(campaigns))[0]!.id);
    const form = received(QIAN.id, '自评打分')!;
    expect(form.subtitle).toBe('创建“党员示范岗”活动 · 2027-2028学年第二学期示范岗复核');
    expect(cardText(form)).toContain('申报岗位：服务育人示范岗');

    // The holder answers with the rubric of the campaign that awarded the post, though it has finished.
    expect((await completeAssessment(bot, QIAN.id, spring.id)).toast!.text).toBe('自评已提交');
    // 23:00: the invitation waits for the morning; it goes to the member linking 钱五's branch only.
    expect(await tickAt('2028-06-13T23:00:00')).toEqual([]);
    expect(await tickAt('2028-06-14T08:00:00')).toEqual(['l2 示范岗复核打分：钱五']);
    const invite = received(CHEN.id, '示范岗复核打分')!;
    expect(cardText(invite)).toContain('**钱五**（后勤第二党支部·服务育人示范岗）已提交本学期自评（自评 100 分）');
    expect(cardText(invite)).toContain('2028-07-10 24:00');
    // Sent once: the next tick adds nothing.
    expect(await tickAt('2028-06-14T09:00:00')).toEqual([]);

    // Three days before the deadline falls in the holiday (07-06 – 07-08): the reminders wait for 07-09.
    expect(await tickAt('2028-07-08T10:00:00')).toEqual([]);
    const after = await tickAt('2028-07-09T08:00:00');
    expect(after).toEqual(['a2 提醒：「2027-2028学年第二学期示范岗复核」明天截止', 'l2 提醒：示范岗复核打分明天截止']);
    expect(cardText(received(CHEN.id, '提醒'))).toContain('以下示范岗尚待您打分：钱五');

    // The invitation's button opens the scoring card; the leader scores, and is not reminded again.
    const open = actionsOf(invite).find((a) => a.id === ASSESS_ACTIONS.open.id)!;
    expect((await bot.press(CHEN.id, open)).card?.title).toBe('考核打分 · 钱五 · 创建氛围浓');
    const qian = await memberId(QIAN.id);
    expect((await completeAssessment(bot, CHEN.id, spring.id, { m: qian })).toast!.text).toBe('已提交对 钱五 的考核评分');
    expect((await tickAt('2028-07-10T09:00:00')).filter((s) => s.startsWith('l2 '))).toEqual([]);

    // After the window: the committee (admins and every committee member) gets the result.
    const result = await tickAt('2028-07-11T10:00:00');
    expect(result).toEqual([
      'admin 示范岗复核结果：2027-2028学年第二学期示范岗复核',
      'l1 示范岗复核结果：2027-2028学年第二学期示范岗复核',
      'l2 示范岗复核结果：2027-2028学年第二学期示范岗复核',
    ]);
    const text = cardText(received(ADMIN, '示范岗复核结果'));
    expect(text).toContain('**钱五**（后勤第二党支部·服务育人示范岗）：合格（1 位委员评分，平均 100 分）');
    expect(text).toContain('**张三**（后勤第一党支部·服务育人示范岗）：未提交自评');

    // 2028-2029 第一学期 (default 2028-09-01 – 2029-01-15): the next re-check, the same way.
    expect(await tickAt('2028-12-19T10:00:00')).toEqual(['a2 自评打分 · 创建氛围浓', 'b2 自评打分 · 创建氛围浓']);
    const autumn = await recheckPhase('2028-2029学年第一学期');
    expect((await completeAssessment(bot, QIAN.id, autumn.id)).toast!.text).toBe('自评已提交');
    expect(await tickAt('2028-12-19T22:30:00')).toEqual([]);
    expect(await tickAt('2028-12-20T08:00:00')).toEqual(['l2 示范岗复核打分：钱五']);
    expect((await tickAt('2029-01-13T09:00:00')).filter((s) => s.startsWith('l2 '))).toEqual(['l2 提醒：示范岗复核打分还有 3 天截止']);
    expect(await bot.db.select().from(postRechecks)).toHaveLength(4);
    expect((await bot.db.select().from(campaigns))[0]!.status).toBe('finished');

    // /示范岗 lists the posts with their latest re-check.
    const list = cardText(await privateCard(bot, ADMIN, '/示范岗'));
    expect(list).toContain('党员示范岗 · 在岗 2 个');
    expect(list).toContain('最近复核：2028-2029学年第一学期：复核中：自评 100 分，委员尚未评分');
    expect(list).toContain('最近复核：2028-2029学年第一学期：复核中：待本人提交自评');
    // A secretary sees the own branch's posts; a member is not shown the list.
    const own = cardText(await privateCard(bot, 'a1', '/示范岗'));
    expect(own).toContain('张三');
    expect(own).not.toContain('钱五');
    expect(textOf(await bot.sayPrivately(BRANCH_A[2]!.id, '/示范岗'))).toContain('仅限');
  });

  it('invites a branch secretary who sits on the committee to score the branch they link', async () => {
    await answered(bot, ADMIN, CHAT_B, `/角色 @${BRANCH_B[0]!.name} 委员`, [BRANCH_B[0]!]);
    await tickAt('2028-06-13T10:00:00');
    await completeAssessment(bot, QIAN.id, (await recheckPhase('2027-2028学年第二学期')).id);
    expect(await tickAt('2028-06-14T08:00:00')).toEqual(['b1 示范岗复核打分：钱五', 'l2 示范岗复核打分：钱五']);
  });

  it('lets the holder answer with /自评 while no campaign runs', async () => {
    await tickAt('2028-06-13T10:00:00');
    const page = await privateCard(bot, ZHANG.id, '/自评');
    expect(page.title).toBe('自评打分 · 创建氛围浓');
    expect(page.subtitle).toBe('创建“党员示范岗”活动 · 2027-2028学年第二学期示范岗复核');
    expect(textOf(await bot.sayPrivately(BRANCH_A[2]!.id, '/自评'))).toBe('当前没有进行中的活动。管理员可发送 /活动 新建 <模板> [开始日期] 开始。');
  });
});

describe('a failing re-check', () => {
  beforeEach(finishCampaign);
  it('is flagged to the committee with the 撤销 suggestion; 撤销 with a reason is audited, announced, and ends the re-checks', async () => {
    await tickAt('2028-06-13T10:00:00');
    const spring = await recheckPhase('2027-2028学年第二学期');
    await completeAssessment(bot, ZHANG.id, spring.id);
    await tickAt('2028-06-14T08:00:00');
    expect(received(LEADER.id, '示范岗复核打分')?.title).toBe('示范岗复核打分：张三');
    // 刘委员 finds every item at about 40 %.
    await completeAssessment(bot, LEADER.id, spring.id, { m: await memberId(ZHANG.id), score: (max) => Math.floor(max * 0.8) / 2 });
    expect(await tickAt('2028-07-10T10:00:00')).not.toContain('admin 示范岗复核结果：2027-2028学年第二学期示范岗复核');

    await tickAt('2028-07-11T10:00:00');
    const forAdmin = received(ADMIN, '示范岗复核结果')!;
    expect(forAdmin.title).toBe('示范岗复核结果：2027-2028学年第二学期示范岗复核');
    const text = cardText(forAdmin);
    expect(text).toContain('合格线 60 分，**1 个未通过**');
    expect(text).toContain('- ⚠ **张三**（后勤第一党支部·服务育人示范岗）：未达标：平均 36 分，低于 60 分（1 位委员评分）');
    expect(text).toContain('建议研究撤销**张三**的示范岗称号。撤销不会自动进行。');
    expect(cardText(received(LEADER.id, '示范岗复核结果'))).not.toContain('撤销 张三 的示范岗');
    // Flagged, never revoked by itself.
    expect((await bot.db.select().from(postDeclarations)).every((d) => d.revokedAt === null)).toBe(true);
    expect(cardText(await privateCard(bot, ADMIN, '/示范岗'))).toContain('⚠ 2027-2028学年第二学期：未达标：平均 36 分');

    // The admin's button asks for the reason in a form of its own.
    const ask = actionsOf(forAdmin).find((a) => a.id === POST_ACTIONS.revokeForm.id)!;
    expect((await bot.press(LEADER.id, ask)).toast?.type).toBe('error');
    expect((await bot.press(ADMIN, ask)).toast?.text).toBe('已私信发送撤销表单，请填写原因后确认。');
    const form = cardOf(bot.sent.at(-1)!.content)!;
    expect(form.title).toBe('撤销示范岗：张三');
    const submit = actionsOf(form).find((a) => a.id === POST_ACTIONS.revoke.id)!;
    const empty = await bot.press(ADMIN, submit, { reason: ' ' });
    expect(empty.toast).toEqual({ type: 'error', text: '请写明撤销原因，例如：/示范岗 撤销 张三 本学期复核未达标，经党委研究撤销' });
    expect((await bot.db.select().from(postDeclarations)).every((d) => d.revokedAt === null)).toBe(true);

    const reason = '2027-2028学年第二学期复核平均 36 分，未达到示范岗标准';
    const mark = bot.sent.length;
    const done = await bot.press(ADMIN, submit, { reason });
    expect(done.toast).toEqual({ type: 'success', text: '已撤销' });
    expect(cardText(done.card)).toContain('已撤销 张三 的「服务育人示范岗」称号');
    const [audit] = await bot.db.select().from(auditLog).where(eq(auditLog.action, 'post.revoke'));
    expect(audit).toMatchObject({ actorId: ADMIN, detail: { name: '张三', postKind: '服务育人示范岗', reason } });
    const told = bot.sent.slice(mark).filter((m) => m.via === 'send');
    expect(told.map((m) => `${m.to} ${cardOf(m.content)?.title}`).sort()).toEqual(['a1 示范岗撤销：张三', 'a2 示范岗称号撤销通知']);
    expect(cardText(cardOf(told.find((m) => m.to === ZHANG.id)!.content))).toContain(reason);
    // A second press changes nothing.
    expect((await bot.press(ADMIN, submit, { reason })).toast?.type).toBe('error');

    const list = cardText(await privateCard(bot, ADMIN, '/示范岗'));
    expect(list).toContain('党员示范岗 · 在岗 1 个');
    expect(list).toContain(`- 张三（后勤第一党支部）· 服务育人示范岗，2028-07-11 撤销：${reason}`);

    // The next semester re-checks 钱五 only.
    expect(await tickAt('2028-12-19T10:00:00')).toEqual(['b2 自评打分 · 创建氛围浓']);
    const autumn = await recheckPhase('2028-2029学年第一学期');
    expect(await bot.db.select().from(postRechecks).where(eq(postRechecks.phaseId, autumn.id))).toMatchObject([{ memberId: await memberId(QIAN.id) }]);
    expect(textOf(await bot.sayPrivately(ZHANG.id, '/自评'))).toBe('当前没有进行中的活动。管理员可发送 /活动 新建 <模板> [开始日期] 开始。');
    await tickAt('2029-01-20T10:00:00');
    expect(cardText(received(ADMIN, '示范岗复核结果'))).not.toContain('张三');

    // The ledger keeps the re-checks (self-assessments and committee scores, by semester) and the 撤销.
    const book = await ledger();
    // One row per self-assessment: the declaration's and the re-check's.
    expect(column(book, '申报与自评', '授牌').filter((c) => c.includes('已撤销'))).toEqual([
      `已授牌（2027-06-17 10:00）；已撤销（2028-07-11 10:00）：${reason}`,
      `已授牌（2027-06-17 10:00）；已撤销（2028-07-11 10:00）：${reason}`,
    ]);
    expect(column(book, '申报与自评', '阶段')).toContain('2027-2028学年第二学期示范岗复核');
    expect(column(book, '考核打分', '阶段')).toEqual(['2027-2028学年第二学期示范岗复核']);
    expect(column(book, '审计日志', '操作')).toContain('撤销示范岗');
  });

  it('can be revoked by command: admins only, a named holder, a reason required', async () => {
    expect(textOf(await answered(bot, 'a1', CHAT_A, '/示范岗 撤销 钱五 调离岗位'))).toBe('抱歉，/posts revoke（/示范岗 撤销） 仅限管理员使用。');
    expect(textOf(await answered(bot, ADMIN, CHAT_A, '/示范岗 撤销 王五 调离岗位'))).toBe('没有找到 王五 在岗的示范岗，发送 /示范岗 查看在岗名单和编号。');
    // Without a reason, the form that asks for it comes privately.
    expect(textOf(await answered(bot, ADMIN, CHAT_A, '/示范岗 撤销 钱五'))).toBe('已私信发送撤销表单，请在与我的单聊中填写。');
    expect(received(ADMIN, '撤销示范岗')?.title).toBe('撤销示范岗：钱五');
    expect(textOf(await answered(bot, ADMIN, CHAT_B, `/示范岗 撤销 @${QIAN.name} 调离服务岗位`, [QIAN]))).toBe(
      '已撤销 钱五 的「服务育人示范岗」称号（原因：调离服务岗位），已私信告知本人并通知其支部书记。此后不再复核。',
    );
    expect(textOf(await answered(bot, ADMIN, CHAT_B, '/示范岗 撤销 钱五 再次'))).toBe('没有找到 钱五 在岗的示范岗，发送 /示范岗 查看在岗名单和编号。');
    expect(await tickAt('2028-06-13T10:00:00')).toEqual(['a2 自评打分 · 创建氛围浓']);
    expect((await bot.db.select().from(auditLog).where(eq(auditLog.action, 'post.revoke'))).map((r) => r.detail)).toEqual([
      { name: '钱五', postKind: '服务育人示范岗', reason: '调离服务岗位' },
    ]);
  });
});

describe('the semester calendar', () => {
  beforeEach(finishCampaign);
  it('starts from the defaults, is changed by admins (audited) and moves the re-check', async () => {
    at('2028-01-20T11:00:00');
    const calendar = cardText(await privateCard(bot, 'a2', '/学期'));
    expect(calendar).toContain('**2027-2028学年第一学期**（已结束）\n2027-09-01 至 2028-01-15；示范岗复核 2027-12-19 至 2028-01-15');
    expect(calendar).toContain('**2027-2028学年第二学期**（未开始）\n2028-02-25 至 2028-07-10；示范岗复核 2028-06-13 至 2028-07-10');
    expect(calendar).toContain('**2028-2029学年第一学期**（未开始）');

    expect(textOf(await answered(bot, 'a1', CHAT_A, '/学期 设置 2027-2028 第二学期 2028-02-20 2028-07-05'))).toBe(
      '抱歉，/semester set（/学期 设置） 仅限管理员使用。',
    );
    const refused = async (args: string) => textOf(await answered(bot, ADMIN, CHAT_A, `/学期 设置 ${args}`));
    expect(await refused('2027-2028 第二学期 2028-02-30 2028-07-05')).toBe('开始日期「2028-02-30」应为 YYYY-MM-DD 格式的日期，例如 2027-09-01。');
    expect(await refused('2027-2028 第二学期 2028-07-05 2028-02-20')).toBe('结束日期 2028-02-20 应晚于开始日期 2028-07-05。');
    expect(await refused('2027-2029 第二学期 2028-02-20 2028-07-05')).toBe('学年「2027-2029」应写作相邻的两年，例如 2026-2027。');
    expect(await refused('2027-2028 第三学期 2028-02-20 2028-07-05')).toBe('学期「第三学期」应为 第一学期 或 第二学期。');
    expect(await refused('2027-2028 第二学期 2028-01-10 2028-07-05')).toBe(
      '第二学期与第一学期（2027-09-01 至 2028-01-15）重叠：第一学期应在第二学期开始前结束。',
    );
    expect(await refused('2027-2028 第二学期 2028-02-20 2028-09-05')).toBe('2027-2028学年的学期应在 2027-08-01 至 2028-08-31 之间。');
    expect(await refused('2027-2028 第二学期 2028-02-20 2028-07-05 2028-08-01')).toBe('复核开始日期 2028-08-01 应在学期之内（2028-02-20 至 2028-07-05）。');
    expect(await refused('2027-2028 第二学期')).toContain('请写明学年、学期和起止日期。');
    expect(await bot.db.select().from(auditLog).where(eq(auditLog.action, 'semester.set'))).toEqual([]);

    expect(await refused('2027-2028 第二学期 2028-02-20 2028-07-05 复核 2028-05-20')).toBe(
      '已设置2027-2028学年第二学期：2028-02-20 至 2028-07-05，示范岗复核 2028-05-20 至 2028-07-05。',
    );
    const [audit] = await bot.db.select().from(auditLog).where(eq(auditLog.action, 'semester.set'));
    expect(audit).toMatchObject({
      actorId: ADMIN,
      target: '2027-2028/2',
      detail: { before: { startsOn: '2028-02-25', endsOn: '2028-07-10', recheckFrom: '2028-06-13' }, after: { recheckFrom: '2028-05-20' } },
    });
    // The re-check now opens on the new day, and ends with the new end of the semester.
    expect(await tickAt('2028-05-19T10:00:00')).toEqual([]);
    expect(await tickAt('2028-05-20T10:00:00')).toEqual(['a2 自评打分 · 创建氛围浓', 'b2 自评打分 · 创建氛围浓']);
    const spring = await recheckPhase('2027-2028学年第二学期');
    expect(cardText(received(ZHANG.id, '自评打分'))).toContain('2028-07-05 24:00 截止');

    // Changed while it runs, the re-check follows; once over, it cannot be changed.
    await refused('2027-2028 第二学期 2028-02-20 2028-07-08 2028-05-20');
    const [moved] = await bot.db.select().from(campaignPhases).where(eq(campaignPhases.id, spring.id));
    expect(moved!.closesAt.toISOString()).toBe(new Date('2028-07-09T00:00:00+08:00').toISOString());
    at('2028-07-20T10:00:00');
    expect(await refused('2027-2028 第二学期 2028-02-20 2028-07-10')).toBe('2027-2028学年第二学期的示范岗复核已于 2028-07-08 24:00 结束，不能再修改日期。');
    const rows = await bot.db
      .select()
      .from(semesters)
      .where(and(eq(semesters.schoolYear, '2027-2028'), eq(semesters.term, 2)));
    expect(rows).toMatchObject([{ endsOn: '2028-07-08', updatedBy: ADMIN }]);
  });
});
