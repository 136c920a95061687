// The phase engine over whole campaigns with a fixed clock: who gets what, once, and when. What the
// Feishu wire adds (a 5xx or a 429 from the Open API, its idempotency uuids) is tested in
// tests/platforms/feishu/engine-wire.test.ts.
import { and, asc, eq, inArray } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MessageContent } from '../../bot/types.js';
import { ASSESS_ACTIONS } from '../../cards/assess-cards.js';
import { PHASE_DONE } from '../../cards/campaign-cards.js';
import { campaignPhases, campaigns, outbox } from '../../db/schema.js';
import { cardOf, cardText, type NeutralBot, pushed, startNeutralBot, textOf } from '../support/neutral.js';
import { ADMIN, answered, BRANCH_A, BRANCH_B, CHAT_A, CHAT_B, LEADER, setUpOrg } from '../support/neutral-org.js';
import * as assess from '../support/neutral-assess.js';
import { expectNothingSentTwice } from '../support/neutral.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

let bot: NeutralBot;
beforeEach(async () => {
  bot = await startNeutralBot({ admins: [ADMIN], now: '2026-09-10T10:00:00+08:00' });
  await setUpOrg(bot);
});
afterEach(async () => bot.close());

async function phases() {
  return bot.db.select().from(campaignPhases).orderBy(asc(campaignPhases.seq));
}

async function phaseOf(kind: string) {
  return (await phases()).find((p) => p.kind === kind)!;
}

/** Local (Asia/Shanghai) wall time `hour`:00 on the day of `at` plus `days`. */
function local(at: Date, days: number, hour: number): Date {
  const midnight = new Date(Math.floor((at.getTime() + 8 * HOUR) / DAY) * DAY - 8 * HOUR);
  return new Date(midnight.getTime() + days * DAY + hour * HOUR);
}

async function tickAt(at: Date) {
  bot.clock.set(at);
  return bot.tick();
}

/** A text message's text, or a card's text. */
const contentText = (content: MessageContent | null | undefined): string => textOf(content) ?? cardText(cardOf(content));

/** Says something that must be answered; returns the answer's text. */
const sayText = async (from: string, text: string, mentions: Array<{ id: string; name: string }> = []) =>
  contentText(await answered(bot, from, CHAT_A, text, mentions));

async function clickDone(from: string, phaseId: number) {
  return (await bot.press(from, { ...PHASE_DONE, args: { p: String(phaseId) } }, {}, CHAT_A)).toast;
}

// Declaring and self-assessing, the way a member's cards do it.
const declare = (from: string, phaseId: number) => assess.declare(bot, from, phaseId);
const declareAndAssess = (from: string, phaseId: number) => assess.declareAndAssess(bot, from, phaseId);

describe('a model-post campaign from start to award', () => {
  it('announces, nudges, digests and summarises to exactly the right people, once', async () => {
    const createdText = await sayText(ADMIN, '/活动 新建 示范岗 2026-09-15');
    expect(createdText).toContain('已创建活动：创建“党员示范岗”活动');
    expect(createdText).toContain('「创建氛围浓」各项分值合计 11 分，与标注的 10 分不一致');
    expect(createdText).toContain('「人员素质高」各项分值合计 29 分，与标注的 30 分不一致');
    // The roster's party members as /同步 and the phases count them; the committee member apart (issue 13).
    expect(createdText).toContain('5 名党员、1 名党委委员（参加领导点评，不参加承诺和互评）');

    expect((await tickAt(new Date('2026-09-10T11:00:00+08:00'))).enqueued).toBe(0);
    const start = new Date('2026-09-15T00:00:00+08:00');

    // Opening at midnight: quiet hours hold the announcements until 08:00.
    await tickAt(local(start, 0, 0.5));
    expect(pushed(bot)).toEqual([]);
    const mark = bot.sent.length;
    await tickAt(local(start, 0, 8));
    expect(pushed(bot, mark)).toEqual([
      `${CHAT_A} 全面创建 阶段开始`,
      `${CHAT_A} 宣传发动 阶段开始`,
      `${CHAT_B} 全面创建 阶段开始`,
      `${CHAT_B} 宣传发动 阶段开始`,
    ]);
    await tickAt(local(start, 0, 8.5));
    // A restarted process (nothing in memory, the same database) sends nothing again.
    const restarted = bot.secondInstance();
    bot.clock.set(local(start, 0, 9));
    await restarted.tick();
    await restarted.close();
    await tickAt(local(start, 0, 9));
    expect(pushed(bot, mark)).toHaveLength(4);

    // Mobilisation closes after 30 days: a summary per branch chat.
    const mobilize = await phaseOf('mobilize');
    let m = bot.sent.length;
    await tickAt(local(mobilize.closesAt, 0, 10));
    expect(pushed(bot, m)).toEqual([`${CHAT_A} 宣传发动 阶段结束`, `${CHAT_B} 宣传发动 阶段结束`]);

    // Declaration (members answer): opening, the declaration form to each member privately, then a
    // member answers by declaring and submitting the self-assessment (the plain "done" is refused).
    const declarePhase = await phaseOf('declare');
    m = bot.sent.length;
    await tickAt(local(declarePhase.opensAt, 0, 8.5));
    expect(pushed(bot, m)).toEqual([
      ...['a1', 'a2', 'a3', 'b1', 'b2'].map((u) => `${u} 岗位申报（一人一报）`),
      `${CHAT_A} 全面创建 阶段结束`,
      `${CHAT_A} 申报与自评打分 阶段开始`,
      `${CHAT_B} 全面创建 阶段结束`,
      `${CHAT_B} 申报与自评打分 阶段开始`,
    ]);
    expect((await clickDone('a2', declarePhase.id))!.text).toBe('本阶段请通过申报、自评或自查卡片提交，发送 /自评 获取。');
    expect((await declareAndAssess('a2', declarePhase.id)).toast).toEqual({ type: 'success', text: '自评已提交' });
    expect((await bot.press('a2', { ...ASSESS_ACTIONS.submit, args: { p: String(declarePhase.id) } })).toast!.text).toBe('内容未改变，无需重新提交');
    expect((await bot.press(LEADER.id, { ...ASSESS_ACTIONS.open, args: { p: String(declarePhase.id) } })).toast!.text).toBe(
      '您不在「申报与自评打分」需要填写的名单中。',
    );

    // 09:00 digest to each secretary, naming only their branch's pending members.
    m = bot.sent.length;
    await tickAt(local(declarePhase.opensAt, 0, 9));
    const digests = bot.sent.slice(m);
    expect(digests.map((d) => d.to).sort()).toEqual(['a1', 'b1']);
    const digestA = contentText(digests.find((d) => d.to === 'a1')!.content);
    expect(digestA).toContain('已完成 **1/3** 人');
    expect(digestA).toContain('王书记、李四');
    expect(digestA).not.toContain('钱五');

    // Three days before the deadline: nudges to those who have not answered, by direct message.
    const threeDays = new Date(declarePhase.closesAt.getTime() - 3 * DAY);
    m = bot.sent.length;
    await tickAt(local(threeDays, 0, 8));
    expect(pushed(bot, m)).toEqual(['a1', 'a3', 'b1', 'b2'].map((u) => `${u} 提醒：「申报与自评打分」还有 3 天截止`));
    const nudgeIds = bot.sent.slice(m).map((s) => s.messageId);
    const nudgeRows = await bot.db.select().from(outbox).where(inArray(outbox.messageId, nudgeIds));
    expect(nudgeRows).toHaveLength(nudgeIds.length);
    expect(nudgeRows.every((r) => r.receiveIdType === 'user')).toBe(true);
    await tickAt(local(threeDays, 0, 8.2));
    expect(pushed(bot, m)).toHaveLength(4);

    expect((await declareAndAssess('a3', declarePhase.id)).toast!.type).toBe('success');
    const oneDay = new Date(declarePhase.closesAt.getTime() - DAY);
    m = bot.sent.length;
    await tickAt(local(oneDay, 0, 8));
    expect(pushed(bot, m)).toEqual(['a1', 'b1', 'b2'].map((u) => `${u} 提醒：「申报与自评打分」今天截止`));

    // Closing: completion per branch; a late click is refused.
    m = bot.sent.length;
    await tickAt(local(declarePhase.closesAt, 0, 8));
    const closing = bot.sent.slice(m).filter((s) => contentText(s.content).includes('申报与自评打分 阶段结束'));
    expect(closing.map((c) => c.to).sort()).toEqual([CHAT_A, CHAT_B]);
    expect(contentText(closing.find((c) => c.to === CHAT_A)!.content)).toContain('完成 2/3 人（67%）');
    expect(contentText(closing.find((c) => c.to === CHAT_B)!.content)).toContain('完成 0/2 人（0%）');
    expect((await declare('b2', declarePhase.id)).toast!.text).toBe('「申报与自评打分」已结束，无法再提交申报。');
    expect((await bot.press('b2', { ...ASSESS_ACTIONS.submit, args: { p: String(declarePhase.id) } })).toast!.text).toBe(
      '「申报与自评打分」已结束，无法再提交。',
    );

    // The committee's scoring phase nudges the leader only.
    const review = await phaseOf('review');
    m = bot.sent.length;
    await tickAt(local(new Date(review.closesAt.getTime() - 3 * DAY), 0, 10));
    expect(pushed(bot, m).filter((p) => p.includes('提醒'))).toEqual([`${LEADER.id} 提醒：「领导小组考核打分」还有 3 天截止`]);

    // After the last phase closes and the catch-up week passes, the campaign is finished.
    const last = (await phases()).at(-1)!;
    await tickAt(new Date(last.closesAt.getTime() + 8 * DAY));
    const [row] = await bot.db.select().from(campaigns);
    expect(row!.status).toBe('finished');

    // Nothing was ever sent twice.
    await expectNothingSentTwice(bot);
  });
});

describe('downtime, quiet hours and holidays', () => {
  beforeEach(async () => {
    await answered(bot, ADMIN, CHAT_A, '/活动 新建 示范岗 2026-09-15');
  });

  it('after downtime sends a missed announcement once and drops the superseded nudge', async () => {
    const declarePhase = await phaseOf('declare');
    bot.clock.set(new Date(declarePhase.closesAt.getTime() - DAY + 10 * HOUR));
    const m = bot.sent.length;
    const result = await bot.tick();
    const sent = pushed(bot, m);
    expect(sent.filter((s) => s.includes('申报与自评打分 阶段开始'))).toHaveLength(2);
    expect(sent.filter((s) => s.includes('还有 3 天截止'))).toEqual([]);
    expect(sent.filter((s) => s.includes('今天截止'))).toHaveLength(5);
    expect(result.dropped).toBe(5);
    const dropped = await bot.db.select().from(outbox).where(eq(outbox.status, 'dropped'));
    expect(dropped.every((d) => d.dedupeKey.includes('nudge3') && d.lastError === 'superseded by a later nudge')).toBe(true);
  });

  it('drops nudges whose deadline passed during downtime, logs them, and still sends the summary', async () => {
    const declarePhase = await phaseOf('declare');
    bot.clock.set(new Date(declarePhase.closesAt.getTime() + 10 * HOUR));
    const m = bot.sent.length;
    await bot.tick();
    const sent = pushed(bot, m);
    expect(sent.some((s) => s.includes('提醒'))).toBe(false);
    expect(sent.filter((s) => s.includes('申报与自评打分 阶段开始'))).toEqual([]);
    expect(sent.filter((s) => s.includes('申报与自评打分 阶段结束'))).toHaveLength(2);
    const dropped = await bot.db.select().from(outbox).where(eq(outbox.status, 'dropped'));
    expect(dropped).toHaveLength(10);
    expect(dropped.every((d) => d.lastError === 'deadline passed')).toBe(true);
    expect(bot.logLines.filter((l) => l.includes('stale reminder dropped'))).toHaveLength(10);
  });

  it('holds a direct message due at night until 08:00', async () => {
    const declarePhase = await phaseOf('declare');
    const window = new Date(declarePhase.closesAt.getTime() - 3 * DAY);
    await tickAt(new Date(window.getTime() + 10 * 60_000));
    const m = bot.sent.length;
    await tickAt(local(window, 0, 7.9));
    expect(pushed(bot, m)).toEqual([]);
    const [pending] = await bot.db.select().from(outbox).where(eq(outbox.receiveId, 'a2'));
    expect(pending!.notBefore.toISOString()).toBe(local(window, 0, 8).toISOString());
    await tickAt(local(window, 0, 8));
    expect(pushed(bot, m).filter((s) => s.includes('提醒'))).toHaveLength(5);
  });

  it('pauses nudges and digests during a holiday and resumes before the deadline', async () => {
    const declarePhase = await phaseOf('declare');
    const three = new Date(declarePhase.closesAt.getTime() - 3 * DAY);
    const from = new Date(three.getTime() - DAY + 8 * HOUR).toISOString().slice(0, 10);
    const to = new Date(three.getTime() + DAY + 8 * HOUR).toISOString().slice(0, 10);
    expect(textOf(await answered(bot, ADMIN, CHAT_A, `/活动 假期 ${from} ${to}`))).toContain(`已设置假期 ${from} 至 ${to}`);
    let m = bot.sent.length;
    await tickAt(local(three, 0, 10));
    expect(pushed(bot, m).filter((s) => s.includes('提醒') || s.includes('每日进度'))).toEqual([]);
    m = bot.sent.length;
    await tickAt(local(three, 2, 10));
    const after = pushed(bot, m);
    expect(after.filter((s) => s.includes('今天截止'))).toHaveLength(5);
    expect(after.filter((s) => s.includes('还有 3 天截止'))).toEqual([]);
  });

  it('stops a campaign: pending reminders are cancelled and nothing more is sent', async () => {
    const declarePhase = await phaseOf('declare');
    bot.clock.set(local(declarePhase.opensAt, 0, 1));
    await bot.tick();
    expect((await bot.db.select().from(outbox).where(eq(outbox.status, 'pending'))).length).toBeGreaterThan(0);
    expect(textOf(await answered(bot, ADMIN, CHAT_A, '/活动 停止'))).toContain('已停止活动「创建“党员示范岗”活动」');
    const m = bot.sent.length;
    await tickAt(local(declarePhase.opensAt, 0, 9));
    expect(pushed(bot, m)).toEqual([]);
    expect((await bot.db.select().from(outbox).where(eq(outbox.status, 'pending'))).length).toBe(0);
  });
});

describe('sending', () => {
  beforeEach(async () => {
    await answered(bot, ADMIN, CHAT_A, '/活动 新建 示范岗 2026-09-15');
  });

  it('sends each message once when two instances tick at the same time', async () => {
    const other = bot.secondInstance();
    bot.clock.set(new Date('2026-09-15T08:00:00+08:00'));
    await Promise.all([bot.tick(), other.tick(), bot.tick(), other.tick()]);
    await other.close();
    await bot.settle();
    expect(pushed(bot)).toHaveLength(4);
    expect(
      (
        await bot.db
          .select()
          .from(outbox)
          .where(and(eq(outbox.status, 'sent'), eq(outbox.priority, 1)))
      ).length,
    ).toBe(4);
  });
});

describe('/campaign for members and admins', () => {
  it('shows the open phases and completion per branch', async () => {
    await answered(bot, ADMIN, CHAT_A, '/活动 新建 示范岗 2026-09-15');
    const declarePhase = await phaseOf('declare');
    bot.clock.set(local(declarePhase.opensAt, 0, 10));
    await declareAndAssess('b2', declarePhase.id);
    const status = await sayText('a2', '/活动');
    expect(status).toContain('申报与自评打分');
    expect(status).toContain('后勤第一党支部：0/3（0%）');
    expect(status).toContain('后勤第二党支部：1/2（50%）');
  });

  it('refuses campaign changes to a secretary, naming who may', async () => {
    expect(textOf(await answered(bot, BRANCH_A[0]!.id, CHAT_A, '/活动 新建 示范岗'))).toBe('抱歉，/campaign new（/活动 新建） 仅限管理员使用。');
    expect(await bot.db.select().from(campaigns)).toHaveLength(0);
  });

  it('names the bad field of /campaign new', async () => {
    expect(textOf(await answered(bot, ADMIN, CHAT_A, '/活动 新建 不存在'))).toContain('未找到模板「不存在」');
    expect(textOf(await answered(bot, ADMIN, CHAT_A, '/活动 新建 示范岗 2026-13-01'))).toContain('开始日期「2026-13-01」格式不对');
  });

  it('moves to the next phase and adjusts dates, with an audit trail', async () => {
    await answered(bot, ADMIN, CHAT_A, '/活动 新建 三亮三比三评 2026-09-15');
    bot.clock.set('2026-09-16T10:00:00+08:00');
    expect(textOf(await answered(bot, ADMIN, CHAT_A, '/活动 阶段 下一阶段'))).toContain('已开始「亮承诺」');
    const pledge = await phaseOf('pledge');
    expect(pledge.opensAt.toISOString()).toBe(new Date('2026-09-16T10:00:00+08:00').toISOString());
    expect(textOf(await answered(bot, ADMIN, CHAT_A, '/活动 日期 承诺 2026-09-20 2026-10-10'))).toBe(
      '已将「亮承诺」调整为 2026-09-20 至 2026-10-10（含当日）。',
    );
    expect((await phaseOf('pledge')).closesAt.toISOString()).toBe(new Date('2026-10-11T00:00:00+08:00').toISOString());
    expect(textOf(await answered(bot, ADMIN, CHAT_A, '/活动 日期 承诺 2026-10-10 2026-09-20'))).toBe('结束日期 2026-09-20 早于开始日期 2026-10-10。');
  });

  it('amends the frozen roster explicitly', async () => {
    await answered(bot, ADMIN, CHAT_A, '/活动 新建 示范岗 2026-09-15');
    const secretary = BRANCH_A[0]!.id;
    expect(textOf(await answered(bot, secretary, CHAT_A, `/活动 名册 移除 @${BRANCH_A[2]!.name}`, [BRANCH_A[2]!]))).toBe('已移出活动名册：李四。');
    expect(textOf(await answered(bot, secretary, CHAT_A, `/活动 名册 移除 @${BRANCH_B[1]!.name}`, [BRANCH_B[1]!]))).toBe(
      '钱五 不在您的支部，只有管理员可以调整。',
    );
    const declarePhase = await phaseOf('declare');
    const m = bot.sent.length;
    await tickAt(new Date(declarePhase.closesAt.getTime() - 3 * DAY + 10 * HOUR));
    expect(
      pushed(bot, m)
        .filter((p) => p.includes('提醒'))
        .map((p) => p.split(' ')[0]),
    ).toEqual(['a1', 'a2', 'b1', 'b2']);
  });
});
