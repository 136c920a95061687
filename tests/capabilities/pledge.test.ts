// The pledge capability (亮承诺/践诺) over the neutral harness: forms, validation, revisions, the
// wall, progress and checks. What the Feishu wire adds (signed callbacks, date-picker strings) is
// tested under tests/platforms/feishu/.
import { asc, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PLEDGE_ACTIONS } from '../../cards/pledge-cards.js';
import { campaignPhases, phaseResponses, pledgeProgress, pledgeRevisions, pledges, auditLog } from '../../db/schema.js';
import { actionsOf, cardOf, cardText, formField, type NeutralBot, PLATFORM, PROFILE, pushed, startNeutralBot, TENANT, textOf } from '../support/neutral.js';
import { ADMIN, answered, BRANCH_A, CHAT_A, setUpOrg } from '../support/neutral-org.js';

const HOUR = 3600_000;

let bot: NeutralBot;
let pledgePhase: typeof campaignPhases.$inferSelect;
let checkPhase: typeof campaignPhases.$inferSelect;

beforeEach(async () => {
  bot = await startNeutralBot({ admins: [ADMIN], now: '2026-07-20T10:00:00+08:00' });
  await setUpOrg(bot);
  await answered(bot, ADMIN, CHAT_A, '/活动 新建 创先争优 2026-08-01');
  const phases = await bot.db.select().from(campaignPhases).orderBy(asc(campaignPhases.seq));
  pledgePhase = phases.find((p) => p.kind === 'pledge')!;
  checkPhase = phases.find((p) => p.kind === 'create' && p.seq > pledgePhase.seq)!;
  bot.clock.set(new Date(pledgePhase.opensAt.getTime() + 10 * HOUR));
});
afterEach(async () => bot.close());

const GOOD = { area_1: '服务师生', promise_1: '每周走访宿舍楼，及时处理报修', due_1: '2026-12-31' };

const submit = (from: string, form: Record<string, string>, extra: Record<string, string> = {}) =>
  bot.press(from, { ...PLEDGE_ACTIONS.submit, args: { p: String(pledgePhase.id), o: 'member', ...extra } }, form);

const wallsIn = (chatId: string) => bot.sent.filter((m) => m.via === 'send' && m.to === chatId && cardOf(m.content)?.title.startsWith('承诺墙'));

describe('when the pledge phase opens', () => {
  it('sends each member the form and each secretary the branch form, privately', async () => {
    await bot.tick();
    const sent = pushed(bot);
    expect(sent.filter((s) => s.endsWith('亮承诺：填写我的承诺')).map((s) => s.split(' ')[0])).toEqual(['a1', 'a2', 'a3', 'b1', 'b2']);
    expect(sent.filter((s) => s.includes('支部承诺：'))).toEqual(['a1 支部承诺：后勤第一党支部', 'b1 支部承诺：后勤第二党支部']);
    const announce = bot.sent.find((m) => m.to === CHAT_A && cardOf(m.content)?.title.includes('公开承诺'))!;
    expect(actionsOf(cardOf(announce.content)).map((a) => a.id)).toContain('pledge.open');
  });
});

describe('submitting a pledge', () => {
  it('names every wrong field in Chinese and returns the card with what was typed', async () => {
    const reply = await submit('a2', { area_1: '服务师生', promise_1: '', due_1: '2020-01-01', promise_2: '多'.repeat(201) });
    expect(reply.toast).toEqual({ type: 'error', text: '有 5 处需要修改' });
    const text = cardText(reply.card);
    expect(text).toContain('第1项·承诺内容：请填写。');
    expect(text).toContain('第1项·计划完成日期：不能早于今天（2026-09-12）。');
    expect(text).toContain('第2项·承诺类别：请选择一个类别。');
    expect(text).toContain('第2项·承诺内容：最多 200 字，现在 201 字。');
    expect(text).toContain('第2项·计划完成日期：请选择。');
    expect(text).toContain('<t red>**请修改以下 5 处后再提交：**</t>');
    expect(formField(reply.card, 'area_1')!.value).toBe('服务师生');
    expect(formField(reply.card, 'promise_2')!.value).toBe('多'.repeat(201));
    expect(await bot.db.select().from(pledges)).toHaveLength(0);
  });

  it('stores it, answers with the submitted card, records the answer and posts the wall', async () => {
    const reply = await submit('a2', GOOD);
    expect(reply.toast).toEqual({ type: 'success', text: '承诺已提交，已在承诺墙公示' });
    expect(cardText(reply.card)).toContain('【服务师生】每周走访宿舍楼，及时处理报修（计划 2026-12-31 前完成）');
    expect(actionsOf(reply.card).map((a) => a.id)).toContain('pledge.edit');
    const [row] = await bot.db.select().from(pledges);
    expect(row).toMatchObject({ kind: 'member', revision: 1, items: [{ area: '服务师生', promise: GOOD.promise_1, due: '2026-12-31' }] });
    expect(await bot.db.select().from(phaseResponses).where(eq(phaseResponses.phaseId, pledgePhase.id))).toHaveLength(1);
    const walls = wallsIn(CHAT_A);
    expect(walls).toHaveLength(1);
    expect(cardText(cardOf(walls[0]!.content))).toContain('**张三**');
    expect(cardText(cardOf(walls[0]!.content))).toContain('已亮承诺 **1/3** 人');
  });

  it('updates the wall in place as more pledges arrive, never a new message per pledge', async () => {
    await submit('a2', GOOD);
    await submit('a3', { area_1: '爱岗敬业', promise_1: '全年零差错', due_1: '2026-11-30' });
    await submit('a1', { area_1: '廉政勤政', promise_1: '带头执行八项规定', due_1: '2026-11-30' });
    const walls = wallsIn(CHAT_A);
    expect(walls).toHaveLength(1);
    const updates = bot.sent.filter((m) => m.via === 'update');
    expect(updates.map((u) => u.to)).toEqual([walls[0]!.messageId, walls[0]!.messageId]);
    const latest = cardText(cardOf(updates.at(-1)!.content));
    expect(latest).toContain('已亮承诺 **3/3** 人');
    for (const name of ['张三', '李四', '王书记']) expect(latest).toContain(`**${name}**`);
  });

  it('keeps every revision when edited, and a repeated identical submit changes nothing', async () => {
    await submit('a2', GOOD);
    const edit = await bot.press('a2', { ...PLEDGE_ACTIONS.edit, args: { p: String(pledgePhase.id), o: 'member' } });
    expect(formField(edit.card, 'promise_1')!.value).toBe(GOOD.promise_1);
    await submit('a2', { ...GOOD, promise_1: '每周两次走访宿舍楼' });
    const again = await submit('a2', { ...GOOD, promise_1: '每周两次走访宿舍楼' });
    expect(again.toast!.text).toBe('承诺未改变');
    const [row] = await bot.db.select().from(pledges);
    expect(row!.revision).toBe(2);
    const revisions = await bot.db.select().from(pledgeRevisions).orderBy(asc(pledgeRevisions.revision));
    expect(revisions.map((r) => r.items[0]!.promise)).toEqual([GOOD.promise_1, '每周两次走访宿舍楼']);
  });

  it('never lets a member edit another member’s pledge', async () => {
    await submit('a2', GOOD);
    // a3 presses the edit button of a card that was a2's: the action works on the presser's own pledge only.
    const edit = await bot.press('a3', { ...PLEDGE_ACTIONS.edit, args: { p: String(pledgePhase.id), o: 'member', m: 'a2' } });
    expect(formField(edit.card, 'promise_1')!.value).toBeUndefined();
    await submit('a3', { area_1: '爱岗敬业', promise_1: '别人的承诺我改不了', due_1: '2026-11-30' });
    const rows = await bot.db.select().from(pledges);
    expect(rows.find((r) => r.ownerKey.endsWith(`:${rows[0]!.memberId}`))!.items[0]!.promise).toBe(GOOD.promise_1);
    expect(rows).toHaveLength(2);
  });

  it('lets only the branch secretary submit the branch pledge, which heads the wall', async () => {
    const refused = await submit('a2', GOOD, { o: 'branch', b: '1' });
    expect(refused.toast).toEqual({ type: 'error', text: '只有本支部书记可以填写或修改支部承诺。' });
    const ok = await submit('a1', { area_1: '管理育人', promise_1: '建设学习型党支部', due_1: '2026-12-31' }, { o: 'branch', b: '1' });
    expect(cardText(ok.card)).toContain('支部承诺已提交：后勤第一党支部');
    expect(cardText(cardOf(wallsIn(CHAT_A)[0]!.content))).toContain('**支部承诺**');
    expect(await bot.db.select().from(phaseResponses)).toHaveLength(0);
  });

  it('refuses a pledge aimed at a phase that is not a pledge phase, or a tampered one', async () => {
    const other =
      (await bot.db.select().from(campaignPhases)).find((p) => p.kind === 'mobilize' && p.opensAt <= bot.clock.now() && bot.clock.now() < p.closesAt) ??
      checkPhase;
    const reply = await bot.press('a2', { ...PLEDGE_ACTIONS.submit, args: { p: String(other.id), o: 'member' } }, GOOD);
    expect(reply.toast).toEqual({ type: 'error', text: '该卡片已失效，请发送 /承诺 获取新卡片。' });
    expect(await bot.db.select().from(pledges)).toHaveLength(0);
    expect(await bot.db.select().from(phaseResponses)).toHaveLength(0);
    const tampered = await bot.press('a2', { ...PLEDGE_ACTIONS.submit, args: { p: 'abc', o: 'member' } }, GOOD);
    expect(tampered.toast!.type).toBe('error');
  });

  it('refuses a submit after the phase closed, leaving the typed card as it is', async () => {
    bot.clock.set(new Date(pledgePhase.closesAt.getTime() + HOUR));
    expect(await submit('a2', GOOD)).toEqual({ toast: { type: 'error', text: '「公开承诺（第一轮）」已结束，无法再提交承诺。' } });
    expect(await bot.db.select().from(pledges)).toHaveLength(0);
  });

  it('creates one pledge when the same submit arrives many times at once', async () => {
    const event = {
      kind: 'cardAction' as const,
      eventId: 'same-click',
      platform: PLATFORM,
      tenantKey: TENANT,
      chatId: 'dm:a2',
      userId: 'a2',
      messageId: 'card-x',
      action: { ...PLEDGE_ACTIONS.submit, args: { p: String(pledgePhase.id), o: 'member' } },
      formValue: GOOD,
      lateHandle: null,
    };
    await Promise.all(Array.from({ length: 5 }, () => bot.deliver(event)));
    await Promise.all(Array.from({ length: 5 }, (_, i) => bot.deliver({ ...event, eventId: `another-click-${i}` })));
    expect(await bot.db.select().from(pledges)).toHaveLength(1);
    expect(await bot.db.select().from(pledgeRevisions)).toHaveLength(1);
  });
});

describe('/承诺', () => {
  it('sends the card privately when asked in the group, and directly in a direct chat', async () => {
    const before = bot.sent.length;
    const reply = await bot.say('a2', CHAT_A, '/承诺');
    expect(textOf(reply)).toBe('已私信发送承诺卡片，请在与我的单聊中填写。');
    const card = bot.sent.slice(before).find((m) => m.via === 'send')!;
    expect(card.to).toBe('a2');
    expect(cardOf(card.content)!.title).toBe('亮承诺：填写我的承诺');
    expect(cardOf(await bot.sayPrivately('a2', '/承诺'))!.title).toBe('亮承诺：填写我的承诺');
  });
});

describe('践诺: progress and checks', () => {
  beforeEach(async () => {
    await submit('a2', { ...GOOD, area_2: '爱岗敬业', promise_2: '全年零差错', due_2: '2026-11-30' });
    bot.clock.set(new Date(checkPhase.opensAt.getTime() + 10 * HOUR));
  });

  const progress = (form: Record<string, string>) => bot.press('a2', { ...PLEDGE_ACTIONS.progress, args: { p: String(checkPhase.id) } }, form);

  it('asks those who pledged for progress, validates it, and shows it to the secretary to check', async () => {
    await bot.tick();
    const forms = bot.sent.filter((m) => cardOf(m.content)?.title === '践诺：报告承诺进度');
    expect(forms.map((m) => m.to)).toEqual(['a2']);
    // The form lists the items pledged (read from the pledge when the form is built).
    expect(cardText(cardOf(forms[0]!.content)!)).toContain('全年零差错');

    const bad = await progress({ status_1: 'done', note_2: '长'.repeat(201) });
    expect(cardText(bad.card)).toContain('第2项·完成情况：请选择 未开始、进行中 或 已完成。');
    expect(cardText(bad.card)).toContain('第2项·进展说明：最多 200 字，现在 201 字。');
    const ok = await progress({ status_1: 'done', note_1: '已走访 12 栋楼', status_2: 'doing' });
    expect(ok.toast!.text).toBe('进度已提交');
    expect((await bot.db.select().from(pledgeProgress)).map((r) => r.status)).toEqual(['done', 'doing']);

    const status = cardText(cardOf(await answered(bot, 'a1', CHAT_A, '/承诺 进度')));
    expect(status).toContain('已承诺 **1/3** 人');
    expect(status).toContain('张三：1.服务师生 已完成；2.爱岗敬业 进行中');
    expect(status).toContain('李四：**未承诺**');

    const checked = await answered(bot, 'a1', CHAT_A, '/承诺 核实 @张三 1 走访记录齐全', [BRANCH_A[1]!]);
    expect(textOf(checked)).toBe('已核实 张三 第1项承诺：走访记录齐全');
    expect(cardText(cardOf(await answered(bot, 'a1', CHAT_A, '/承诺 进度')))).toContain('1.服务师生 已完成 ✔已核实（走访记录齐全）');
    // A second check replaces the row's comment; the audit trail keeps both.
    await answered(bot, 'a1', CHAT_A, '/承诺 核实 @张三 1 复核：记录完整', [BRANCH_A[1]!]);
    const checks = (await bot.db.select().from(auditLog)).filter((r) => r.action === 'pledge.check').map((r) => r.detail?.comment);
    expect(checks).toEqual(['走访记录齐全', '复核：记录完整']);
  });

  it("puts each member's own items on their progress form", async () => {
    bot.clock.set(new Date(pledgePhase.opensAt.getTime() + 10 * HOUR));
    await submit('a3', { area_1: '爱岗敬业', promise_1: '食堂每日巡检', due_1: '2026-12-31' });
    bot.clock.set(new Date(checkPhase.opensAt.getTime() + 10 * HOUR));
    await bot.tick();
    const formOf = (to: string) => cardText(cardOf(bot.sent.find((m) => m.to === to && cardOf(m.content)?.title === '践诺：报告承诺进度')!.content)!);
    expect(formOf('a2')).toContain('全年零差错');
    expect(formOf('a2')).not.toContain('食堂每日巡检');
    expect(formOf('a3')).toContain('食堂每日巡检');
    expect(formOf('a3')).not.toContain('全年零差错');
  });

  it('refuses progress reports and checks from the wrong people', async () => {
    expect(textOf(await answered(bot, 'a3', CHAT_A, '/承诺 进度'))).toBe('抱歉，/pledge status（/承诺 进度） 仅限本支部书记或管理员使用。');
    expect((await bot.press('a3', { ...PLEDGE_ACTIONS.progress, args: { p: String(checkPhase.id) } }, { status_1: 'done' })).toast!.text).toBe(
      '您在承诺阶段没有提交承诺，无需报告进度。',
    );
    const unreported = await answered(bot, 'a1', CHAT_A, '/承诺 核实 @张三 1 好', [BRANCH_A[1]!]);
    expect(textOf(unreported)).toBe('张三 还没有报告第1项的进度，报告后才能核实。');
  });
});

// DingTalk has no update window (its messages are not edited in place: an update is sent anew).
describe.skipIf(PROFILE === 'dingtalk')('a wall older than the platform lets a message be updated', () => {
  it('is posted anew before 14 days and the old message marked as superseded', async () => {
    expect((await submit('a2', GOOD)).toast?.type).toBe('success');
    await bot.settle();
    const [first] = wallsIn(CHAT_A);
    expect(first).toBeDefined();
    // 13 days and a half later (the phase lasts 31): the next pledge re-posts the wall.
    bot.clock.set(new Date(bot.clock.now().getTime() + 13.5 * 24 * HOUR));
    expect((await submit('a3', GOOD)).toast?.type).toBe('success');
    await bot.settle();
    const walls = wallsIn(CHAT_A);
    expect(walls).toHaveLength(2);
    expect(cardText(cardOf(walls[1]!.content))).toContain('李四');
    const marked = bot.sent.filter((m) => m.via === 'update' && m.to === first!.messageId).at(-1)!;
    expect(cardText(cardOf(marked.content))).toContain('此承诺墙已停止更新，最新的承诺墙已重新发送到本群');
    // Later pledges update the new message in place.
    expect((await submit('a1', GOOD)).toast?.type).toBe('success');
    await bot.settle();
    expect(wallsIn(CHAT_A)).toHaveLength(2);
    expect(bot.sent.filter((m) => m.via === 'update' && m.to === walls[1]!.messageId).length).toBeGreaterThan(0);
  });
});
