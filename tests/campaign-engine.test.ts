// The phase engine over whole campaigns with a fixed clock: who gets what, once, and when.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { and, asc, eq } from 'drizzle-orm';
import { campaignPhases, campaigns, outbox } from '../db/schema.js';
import { cardActionEvent } from './support/feishu-wire.js';
import { declare as submitDeclaration, declareAndAssess, press } from './support/assess.js';
import { startTestBot, type TestBot } from './support/harness.js';
import { ADMIN, BRANCH_A, BRANCH_B, CHAT_A, CHAT_B, LEADER, pushed, say, setUpOrg } from './support/org.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

let bot: TestBot;
beforeEach(async () => {
  bot = await startTestBot({ admins: [ADMIN], now: '2026-09-10T10:00:00+08:00' });
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

async function clickDone(openId: string, phaseId: number) {
  const res = await bot.deliver(cardActionEvent({ from: openId, chatId: CHAT_A, value: { a: 'phase.done', v: 1, p: String(phaseId) } }));
  return ((await res.json()) as { toast: { type: string; content: string } }).toast;
}

describe('a model-post campaign from start to award', () => {
  it('announces, nudges, digests and summarises to exactly the right people, once', async () => {
    const created = await say(bot, ADMIN, CHAT_A, '/活动 新建 示范岗 2026-09-15');
    const createdText = JSON.stringify(created.content);
    expect(createdText).toContain('已创建活动：创建“党员示范岗”活动');
    expect(createdText).toContain('「创建氛围浓」各项分值合计 11 分，与标注的 10 分不一致');
    expect(createdText).toContain('「人员素质高」各项分值合计 29 分，与标注的 30 分不一致');
    expect(createdText).toContain('6 人');

    expect((await tickAt(new Date('2026-09-10T11:00:00+08:00'))).enqueued).toBe(0);
    const start = new Date('2026-09-15T00:00:00+08:00');

    // Opening at midnight: quiet hours hold the announcements until 08:00.
    await tickAt(local(start, 0, 0.5));
    expect(pushed(bot)).toEqual([]);
    const mark = bot.fake.sent.length;
    await tickAt(local(start, 0, 8));
    expect(pushed(bot, mark)).toEqual([
      `${CHAT_A} 全面创建 阶段开始`,
      `${CHAT_A} 宣传发动 阶段开始`,
      `${CHAT_B} 全面创建 阶段开始`,
      `${CHAT_B} 宣传发动 阶段开始`,
    ]);
    await tickAt(local(start, 0, 8.5));
    await bot.restart();
    await tickAt(local(start, 0, 9));
    expect(pushed(bot, mark)).toHaveLength(4);

    // Mobilisation closes after 30 days: a summary per branch chat.
    const mobilize = await phaseOf('mobilize');
    let m = bot.fake.sent.length;
    await tickAt(local(mobilize.closesAt, 0, 10));
    expect(pushed(bot, m)).toEqual([`${CHAT_A} 宣传发动 阶段结束`, `${CHAT_B} 宣传发动 阶段结束`]);

    // Declaration (members answer): opening, the declaration form to each member privately, then a
    // member answers by declaring and submitting the self-assessment (the plain "done" is refused).
    const declare = await phaseOf('declare');
    m = bot.fake.sent.length;
    await tickAt(local(declare.opensAt, 0, 8.5));
    expect(pushed(bot, m)).toEqual([
      `${CHAT_A} 全面创建 阶段结束`,
      `${CHAT_A} 申报与自评打分 阶段开始`,
      `${CHAT_B} 全面创建 阶段结束`,
      `${CHAT_B} 申报与自评打分 阶段开始`,
      ...['ou_a1', 'ou_a2', 'ou_a3', 'ou_b1', 'ou_b2'].map((u) => `${u} 岗位申报（一人一报）`),
    ]);
    expect((await clickDone('ou_a2', declare.id)).content).toBe('本阶段请通过申报、自评或自查卡片提交，发送 /自评 获取。');
    expect((await declareAndAssess(bot, 'ou_a2', declare.id)).toast).toEqual({ type: 'success', content: '自评已提交' });
    expect((await press(bot, 'ou_a2', { a: 'assess.submit', v: 1, p: String(declare.id) })).toast!.content).toBe('内容未改变，无需重新提交');
    expect((await press(bot, LEADER.openId, { a: 'assess.open', v: 1, p: String(declare.id) })).toast!.content).toBe(
      '您不在「申报与自评打分」需要填写的名单中。',
    );

    // 09:00 digest to each secretary, naming only their branch's pending members.
    m = bot.fake.sent.length;
    await tickAt(local(declare.opensAt, 0, 9));
    const digests = bot.fake.sent.slice(m);
    expect(digests.map((d) => d.receiveId).sort()).toEqual(['ou_a1', 'ou_b1']);
    const digestA = JSON.stringify(digests.find((d) => d.receiveId === 'ou_a1')!.content);
    expect(digestA).toContain('已完成 **1/3** 人');
    expect(digestA).toContain('王书记、李四');
    expect(digestA).not.toContain('钱五');

    // Three days before the deadline: nudges to those who have not answered, by direct message.
    const threeDays = new Date(declare.closesAt.getTime() - 3 * DAY);
    m = bot.fake.sent.length;
    await tickAt(local(threeDays, 0, 8));
    expect(pushed(bot, m)).toEqual(['ou_a1', 'ou_a3', 'ou_b1', 'ou_b2'].map((u) => `${u} 提醒：「申报与自评打分」还有 3 天截止`));
    expect(bot.fake.sent.slice(m).every((s) => s.receiveIdType === 'open_id')).toBe(true);
    await tickAt(local(threeDays, 0, 8.2));
    expect(pushed(bot, m)).toHaveLength(4);

    expect((await declareAndAssess(bot, 'ou_a3', declare.id)).toast!.type).toBe('success');
    const oneDay = new Date(declare.closesAt.getTime() - DAY);
    m = bot.fake.sent.length;
    await tickAt(local(oneDay, 0, 8));
    expect(pushed(bot, m)).toEqual(['ou_a1', 'ou_b1', 'ou_b2'].map((u) => `${u} 提醒：「申报与自评打分」还有 1 天截止`));

    // Closing: completion per branch; a late click is refused.
    m = bot.fake.sent.length;
    await tickAt(local(declare.closesAt, 0, 8));
    const closing = bot.fake.sent.slice(m).filter((s) => JSON.stringify(s.content).includes('申报与自评打分 阶段结束'));
    expect(closing.map((c) => c.receiveId).sort()).toEqual([CHAT_A, CHAT_B]);
    expect(JSON.stringify(closing.find((c) => c.receiveId === CHAT_A)!.content)).toContain('完成 2/3 人（67%）');
    expect(JSON.stringify(closing.find((c) => c.receiveId === CHAT_B)!.content)).toContain('完成 0/2 人（0%）');
    expect((await submitDeclaration(bot, 'ou_b2', declare.id)).toast!.content).toBe('「申报与自评打分」已结束，无法再提交申报。');
    expect((await press(bot, 'ou_b2', { a: 'assess.submit', v: 1, p: String(declare.id) })).toast!.content).toBe('「申报与自评打分」已结束，无法再提交。');

    // The committee's scoring phase nudges the leader only.
    const review = await phaseOf('review');
    m = bot.fake.sent.length;
    await tickAt(local(new Date(review.closesAt.getTime() - 3 * DAY), 0, 10));
    expect(pushed(bot, m).filter((p) => p.includes('提醒'))).toEqual([`${LEADER.openId} 提醒：「领导小组考核打分」还有 3 天截止`]);

    // After the last phase closes and the catch-up week passes, the campaign is finished.
    const last = (await phases()).at(-1)!;
    await tickAt(new Date(last.closesAt.getTime() + 8 * DAY));
    const [row] = await bot.db.select().from(campaigns);
    expect(row!.status).toBe('finished');

    // Nothing was ever sent twice.
    const keys = bot.fake.sent.filter((s) => s.via === 'create').map((s) => s.uuid);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('downtime, quiet hours and holidays', () => {
  beforeEach(async () => {
    await say(bot, ADMIN, CHAT_A, '/活动 新建 示范岗 2026-09-15');
  });

  it('after downtime sends a missed announcement once and drops the superseded nudge', async () => {
    const declare = await phaseOf('declare');
    bot.clock.set(new Date(declare.closesAt.getTime() - DAY + 10 * HOUR));
    const m = bot.fake.sent.length;
    const result = await bot.tick();
    const sent = pushed(bot, m);
    expect(sent.filter((s) => s.includes('申报与自评打分 阶段开始'))).toHaveLength(2);
    expect(sent.filter((s) => s.includes('还有 3 天截止'))).toEqual([]);
    expect(sent.filter((s) => s.includes('还有 1 天截止'))).toHaveLength(5);
    expect(result.dropped).toBe(5);
    const dropped = await bot.db.select().from(outbox).where(eq(outbox.status, 'dropped'));
    expect(dropped.every((d) => d.dedupeKey.includes('nudge3') && d.lastError === 'superseded by a later nudge')).toBe(true);
  });

  it('drops nudges whose deadline passed during downtime, logs them, and still sends the summary', async () => {
    const declare = await phaseOf('declare');
    bot.clock.set(new Date(declare.closesAt.getTime() + 10 * HOUR));
    const m = bot.fake.sent.length;
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
    const declare = await phaseOf('declare');
    const window = new Date(declare.closesAt.getTime() - 3 * DAY);
    await tickAt(new Date(window.getTime() + 10 * 60_000));
    const m = bot.fake.sent.length;
    await tickAt(local(window, 0, 7.9));
    expect(pushed(bot, m)).toEqual([]);
    const [pending] = await bot.db.select().from(outbox).where(eq(outbox.receiveId, 'ou_a2'));
    expect(pending!.notBefore.toISOString()).toBe(local(window, 0, 8).toISOString());
    await tickAt(local(window, 0, 8));
    expect(pushed(bot, m).filter((s) => s.includes('提醒'))).toHaveLength(5);
  });

  it('pauses nudges and digests during a holiday and resumes before the deadline', async () => {
    const declare = await phaseOf('declare');
    const three = new Date(declare.closesAt.getTime() - 3 * DAY);
    const from = new Date(three.getTime() - DAY + 8 * HOUR).toISOString().slice(0, 10);
    const to = new Date(three.getTime() + DAY + 8 * HOUR).toISOString().slice(0, 10);
    const reply = await say(bot, ADMIN, CHAT_A, `/活动 假期 ${from} ${to}`);
    expect((reply.content as { text: string }).text).toContain(`已设置假期 ${from} 至 ${to}`);
    let m = bot.fake.sent.length;
    await tickAt(local(three, 0, 10));
    expect(pushed(bot, m).filter((s) => s.includes('提醒') || s.includes('每日进度'))).toEqual([]);
    m = bot.fake.sent.length;
    await tickAt(local(three, 2, 10));
    const after = pushed(bot, m);
    expect(after.filter((s) => s.includes('还有 1 天截止'))).toHaveLength(5);
    expect(after.filter((s) => s.includes('还有 3 天截止'))).toEqual([]);
  });

  it('stops a campaign: pending reminders are cancelled and nothing more is sent', async () => {
    const declare = await phaseOf('declare');
    bot.clock.set(local(declare.opensAt, 0, 1));
    await bot.tick();
    expect((await bot.db.select().from(outbox).where(eq(outbox.status, 'pending'))).length).toBeGreaterThan(0);
    const reply = await say(bot, ADMIN, CHAT_A, '/活动 停止');
    expect((reply.content as { text: string }).text).toContain('已停止活动「创建“党员示范岗”活动」');
    const m = bot.fake.sent.length;
    await tickAt(local(declare.opensAt, 0, 9));
    expect(pushed(bot, m)).toEqual([]);
    expect((await bot.db.select().from(outbox).where(eq(outbox.status, 'pending'))).length).toBe(0);
  });
});

describe('sending', () => {
  beforeEach(async () => {
    await say(bot, ADMIN, CHAT_A, '/活动 新建 示范岗 2026-09-15');
  });

  it('dead-letters a message after repeated 5xx and shows it to admins in /campaign', async () => {
    bot.fake.failRecipient(CHAT_B, { status: 503, body: { code: 500, msg: 'server busy' } });
    const start = new Date('2026-09-15T08:00:00+08:00');
    for (let i = 0; i < 8; i++) await tickAt(new Date(start.getTime() + i * 3 * HOUR));
    const dead = await bot.db.select().from(outbox).where(eq(outbox.status, 'dead'));
    expect(dead.map((d) => d.receiveId)).toEqual([CHAT_B, CHAT_B]);
    expect(dead[0]!.attempts).toBe(5);
    expect(pushed(bot).filter((p) => p.startsWith(CHAT_A))).toHaveLength(2);
    const status = await say(bot, ADMIN, CHAT_A, '/活动');
    expect(JSON.stringify(status.content)).toContain('发送失败 2');
    const memberView = await say(bot, 'ou_a2', CHAT_A, '/活动');
    expect(JSON.stringify(memberView.content)).not.toContain('发送失败');
  });

  it('honours the rate-limit wait Feishu asks for', async () => {
    bot.fake.failNext('/open-apis/im/v1/messages', {
      status: 429,
      body: { code: 99991400, msg: 'request trigger frequency limit' },
      headers: { 'x-ogw-ratelimit-reset': '3' },
    });
    await tickAt(new Date('2026-09-15T08:00:00+08:00'));
    expect(bot.gateWaits.some((w) => w >= 3000)).toBe(true);
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

  it('sends each message once when two instances tick at the same time', async () => {
    const other = await bot.secondInstance();
    bot.clock.set(new Date('2026-09-15T08:00:00+08:00'));
    await Promise.all([bot.tick(), other.tick(), bot.tick(), other.tick()]);
    other.close();
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
    await say(bot, ADMIN, CHAT_A, '/活动 新建 示范岗 2026-09-15');
    const declare = await phaseOf('declare');
    bot.clock.set(local(declare.opensAt, 0, 10));
    await declareAndAssess(bot, 'ou_b2', declare.id);
    const status = JSON.stringify((await say(bot, 'ou_a2', CHAT_A, '/活动')).content);
    expect(status).toContain('申报与自评打分');
    expect(status).toContain('后勤第一党支部：0/3（0%）');
    expect(status).toContain('后勤第二党支部：1/2（50%）');
  });

  it('refuses campaign changes to a secretary, naming who may', async () => {
    const reply = await say(bot, BRANCH_A[0]!.openId, CHAT_A, '/活动 新建 示范岗');
    expect(reply.content).toEqual({ text: '抱歉，/campaign new（/活动 新建） 仅限管理员使用。' });
    expect(await bot.db.select().from(campaigns)).toHaveLength(0);
  });

  it('names the bad field of /campaign new', async () => {
    expect(((await say(bot, ADMIN, CHAT_A, '/活动 新建 不存在')).content as { text: string }).text).toContain('未找到模板「不存在」');
    expect(((await say(bot, ADMIN, CHAT_A, '/活动 新建 示范岗 2026-13-01')).content as { text: string }).text).toContain('开始日期「2026-13-01」格式不对');
  });

  it('moves to the next phase and adjusts dates, with an audit trail', async () => {
    await say(bot, ADMIN, CHAT_A, '/活动 新建 三亮三比三评 2026-09-15');
    bot.clock.set('2026-09-16T10:00:00+08:00');
    const moved = await say(bot, ADMIN, CHAT_A, '/活动 阶段 下一阶段');
    expect((moved.content as { text: string }).text).toContain('已开始「亮承诺」');
    const pledge = await phaseOf('pledge');
    expect(pledge.opensAt.toISOString()).toBe(new Date('2026-09-16T10:00:00+08:00').toISOString());
    const dated = await say(bot, ADMIN, CHAT_A, '/活动 日期 承诺 2026-09-20 2026-10-10');
    expect((dated.content as { text: string }).text).toBe('已将「亮承诺」调整为 2026-09-20 至 2026-10-10（含当日）。');
    expect((await phaseOf('pledge')).closesAt.toISOString()).toBe(new Date('2026-10-11T00:00:00+08:00').toISOString());
    const bad = await say(bot, ADMIN, CHAT_A, '/活动 日期 承诺 2026-10-10 2026-09-20');
    expect((bad.content as { text: string }).text).toBe('结束日期 2026-09-20 早于开始日期 2026-10-10。');
  });

  it('amends the frozen roster explicitly', async () => {
    await say(bot, ADMIN, CHAT_A, '/活动 新建 示范岗 2026-09-15');
    const removed = await say(bot, BRANCH_A[0]!.openId, CHAT_A, '/活动 名册 移除 @_user_2', [BRANCH_A[2]!]);
    expect((removed.content as { text: string }).text).toBe('已移出活动名册：李四。');
    const notMine = await say(bot, BRANCH_A[0]!.openId, CHAT_A, '/活动 名册 移除 @_user_2', [BRANCH_B[1]!]);
    expect((notMine.content as { text: string }).text).toBe('钱五 不在您的支部，只有管理员可以调整。');
    const declare = await phaseOf('declare');
    const m = bot.fake.sent.length;
    await tickAt(new Date(declare.closesAt.getTime() - 3 * DAY + 10 * HOUR));
    expect(
      pushed(bot, m)
        .filter((p) => p.includes('提醒'))
        .map((p) => p.split(' ')[0]),
    ).toEqual(['ou_a1', 'ou_a2', 'ou_b1', 'ou_b2']);
  });
});
