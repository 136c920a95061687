// A pledge phase end to end over signed card callbacks: forms, validation, revisions, the wall, 践诺.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import { campaignPhases, phaseResponses, pledgeProgress, pledgeRevisions, pledges } from '../db/schema.js';
import { cardActionEvent, groupCommand } from './support/feishu-wire.js';
import { startTestBot, type TestBot } from './support/harness.js';
import { ADMIN, CHAT_A, headline, pushed, say, sayPrivately, setUpOrg } from './support/org.js';

const HOUR = 3600_000;
type Json = Record<string, unknown>;

let bot: TestBot;
let pledgePhase: typeof campaignPhases.$inferSelect;
let checkPhase: typeof campaignPhases.$inferSelect;

beforeEach(async () => {
  bot = await startTestBot({ admins: [ADMIN], now: '2026-07-20T10:00:00+08:00' });
  await setUpOrg(bot);
  await say(bot, ADMIN, CHAT_A, '/活动 新建 创先争优 2026-08-01');
  const phases = await bot.db.select().from(campaignPhases).orderBy(asc(campaignPhases.seq));
  pledgePhase = phases.find((p) => p.kind === 'pledge')!;
  checkPhase = phases.find((p) => p.kind === 'create' && p.seq > pledgePhase.seq)!;
  bot.clock.set(new Date(pledgePhase.opensAt.getTime() + 10 * HOUR));
});
afterEach(async () => bot.close());

const GOOD = { area_1: '服务师生', promise_1: '每周走访宿舍楼，及时处理报修', due_1: '2026-12-31' };

async function act(from: string, value: Json, formValue?: Json): Promise<{ toast?: { type: string; content: string }; card?: { data: Json } }> {
  const res = await bot.deliver(cardActionEvent({ from, chatId: 'oc_p2p', value, formValue }));
  expect(res.status).toBe(200);
  const body = (await res.json()) as { toast?: { type: string; content: string }; card?: { data: Json } };
  await bot.settle();
  return body;
}

const submit = (from: string, form: Json, extra: Json = {}) => act(from, { a: 'pledge.submit', v: 1, p: String(pledgePhase.id), o: 'member', ...extra }, form);

function formField(card: Json | undefined, name: string): Json | undefined {
  const form = ((card?.body as { elements: Json[] } | undefined)?.elements ?? []).find((e) => e.tag === 'form');
  return (form?.elements as Json[] | undefined)?.find((e) => e.name === name);
}

describe('when the pledge phase opens', () => {
  it('sends each member the form and each secretary the branch form, privately', async () => {
    await bot.tick();
    const sent = pushed(bot);
    expect(
      sent
        .filter((s) => s.endsWith('亮承诺：填写我的承诺'))
        .map((s) => s.split(' ')[0])
        .sort(),
    ).toEqual(['ou_a1', 'ou_a2', 'ou_a3', 'ou_b1', 'ou_b2']);
    expect(sent.filter((s) => s.includes('支部承诺：'))).toEqual(['ou_a1 支部承诺：后勤第一党支部', 'ou_b1 支部承诺：后勤第二党支部']);
    const announce = bot.fake.sent.find((m) => m.receiveId === CHAT_A && headline(m).includes('公开承诺'))!;
    expect(JSON.stringify(announce.content)).toContain('"a":"pledge.open"');
  });
});

describe('submitting a pledge', () => {
  it('names every wrong field in Chinese and returns the card with what was typed', async () => {
    const body = await submit('ou_a2', { area_1: '服务师生', promise_1: '', due_1: '2020-01-01', promise_2: '多'.repeat(201) });
    expect(body.toast).toEqual({ type: 'error', content: '有 5 处需要修改' });
    const text = JSON.stringify(body.card!.data);
    expect(text).toContain('第1项·承诺内容：请填写。');
    expect(text).toContain('第1项·计划完成日期：不能早于今天（2026-09-12）。');
    expect(text).toContain('第2项·承诺类别：请选择一个类别。');
    expect(text).toContain('第2项·承诺内容：最多 200 字，现在 201 字。');
    expect(text).toContain('第2项·计划完成日期：请选择。');
    expect(formField(body.card!.data, 'area_1')!.initial_option).toBe('服务师生');
    expect(formField(body.card!.data, 'promise_2')!.default_value).toBe('多'.repeat(201));
    expect(await bot.db.select().from(pledges)).toHaveLength(0);
  });

  it('stores it, answers with the submitted card, records the answer and posts the wall', async () => {
    const body = await submit('ou_a2', { ...GOOD, due_1: '2026-12-31 +0800' });
    expect(body.toast).toEqual({ type: 'success', content: '承诺已提交，已在承诺墙公示' });
    const card = JSON.stringify(body.card!.data);
    expect(card).toContain('【服务师生】每周走访宿舍楼，及时处理报修（计划 2026-12-31 前完成）');
    expect(card).toContain('"a":"pledge.edit"');
    const [row] = await bot.db.select().from(pledges);
    expect(row).toMatchObject({ kind: 'member', revision: 1, items: [{ area: '服务师生', promise: GOOD.promise_1, due: '2026-12-31' }] });
    expect(await bot.db.select().from(phaseResponses).where(eq(phaseResponses.phaseId, pledgePhase.id))).toHaveLength(1);
    const walls = bot.fake.sent.filter((m) => m.receiveId === CHAT_A && headline(m).startsWith('承诺墙'));
    expect(walls).toHaveLength(1);
    expect(JSON.stringify(walls[0]!.content)).toContain('**张三**');
    expect(JSON.stringify(walls[0]!.content)).toContain('已亮承诺 **1/3** 人');
  });

  it('updates the wall in place as more pledges arrive, never a new message per pledge', async () => {
    await submit('ou_a2', GOOD);
    await submit('ou_a3', { area_1: '爱岗敬业', promise_1: '全年零差错', due_1: '2026-11-30' });
    await submit('ou_a1', { area_1: '廉政勤政', promise_1: '带头执行八项规定', due_1: '2026-11-30' });
    const walls = bot.fake.sent.filter((m) => m.receiveId === CHAT_A && headline(m).startsWith('承诺墙'));
    expect(walls).toHaveLength(1);
    expect(bot.fake.patches.map((p) => p.messageId)).toEqual([walls[0]!.messageId, walls[0]!.messageId]);
    const latest = JSON.stringify(bot.fake.patches.at(-1)!.content);
    expect(latest).toContain('已亮承诺 **3/3** 人');
    for (const name of ['张三', '李四', '王书记']) expect(latest).toContain(`**${name}**`);
  });

  it('keeps every revision when edited, and a repeated identical submit changes nothing', async () => {
    await submit('ou_a2', GOOD);
    const edit = await act('ou_a2', { a: 'pledge.edit', v: 1, p: String(pledgePhase.id), o: 'member' });
    expect(formField(edit.card!.data, 'promise_1')!.default_value).toBe(GOOD.promise_1);
    await submit('ou_a2', { ...GOOD, promise_1: '每周两次走访宿舍楼' });
    const again = await submit('ou_a2', { ...GOOD, promise_1: '每周两次走访宿舍楼' });
    expect(again.toast!.content).toBe('承诺未改变');
    const [row] = await bot.db.select().from(pledges);
    expect(row!.revision).toBe(2);
    const revisions = await bot.db.select().from(pledgeRevisions).orderBy(asc(pledgeRevisions.revision));
    expect(revisions.map((r) => r.items[0]!.promise)).toEqual([GOOD.promise_1, '每周两次走访宿舍楼']);
  });

  it('never lets a member edit another member’s pledge', async () => {
    await submit('ou_a2', GOOD);
    // ou_a3 presses the edit button of a card that was ou_a2's: the action works on the presser's own pledge only.
    const edit = await act('ou_a3', { a: 'pledge.edit', v: 1, p: String(pledgePhase.id), o: 'member', m: 'ou_a2' });
    expect(formField(edit.card!.data, 'promise_1')!.default_value).toBeUndefined();
    await submit('ou_a3', { area_1: '爱岗敬业', promise_1: '别人的承诺我改不了', due_1: '2026-11-30' });
    const rows = await bot.db.select().from(pledges);
    expect(rows.find((r) => r.ownerKey.endsWith(':' + rows[0]!.memberId))!.items[0]!.promise).toBe(GOOD.promise_1);
    expect(rows).toHaveLength(2);
  });

  it('lets only the branch secretary submit the branch pledge, which heads the wall', async () => {
    const refused = await submit('ou_a2', GOOD, { o: 'branch', b: '1' });
    expect(refused.toast).toEqual({ type: 'error', content: '只有本支部书记可以填写或修改支部承诺。' });
    const ok = await submit('ou_a1', { area_1: '管理育人', promise_1: '建设学习型党支部', due_1: '2026-12-31' }, { o: 'branch', b: '1' });
    expect(JSON.stringify(ok.card!.data)).toContain('支部承诺已提交：后勤第一党支部');
    const wall = bot.fake.sent.find((m) => m.receiveId === CHAT_A && headline(m).startsWith('承诺墙'))!;
    expect(JSON.stringify(wall.content)).toContain('**支部承诺**');
    const members = await bot.db.select().from(phaseResponses);
    expect(members).toHaveLength(0);
  });

  it('refuses a pledge aimed at a phase that is not a pledge phase', async () => {
    const other =
      (await bot.db.select().from(campaignPhases)).find((p) => p.kind === 'mobilize' && p.opensAt <= bot.clock.now() && bot.clock.now() < p.closesAt) ??
      checkPhase;
    const body = await act('ou_a2', { a: 'pledge.submit', v: 1, p: String(other.id), o: 'member' }, GOOD);
    expect(body.toast).toEqual({ type: 'error', content: '该卡片已失效，请发送 /承诺 获取新卡片。' });
    expect(await bot.db.select().from(pledges)).toHaveLength(0);
    expect(await bot.db.select().from(phaseResponses)).toHaveLength(0);
    const tampered = await act('ou_a2', { a: 'pledge.submit', v: 1, p: 'abc', o: 'member' }, GOOD);
    expect(tampered.toast!.type).toBe('error');
  });

  it('refuses a submit after the phase closed, leaving the typed card as it is', async () => {
    bot.clock.set(new Date(pledgePhase.closesAt.getTime() + HOUR));
    const body = await submit('ou_a2', GOOD);
    expect(body).toEqual({ toast: { type: 'error', content: '「公开承诺（第一轮）」已结束，无法再提交承诺。' } });
    expect(await bot.db.select().from(pledges)).toHaveLength(0);
  });

  it('creates one pledge when the same submit arrives many times at once', async () => {
    const events = Array.from({ length: 5 }, () =>
      cardActionEvent({ from: 'ou_a2', chatId: 'oc_p2p', value: { a: 'pledge.submit', v: 1, p: String(pledgePhase.id), o: 'member' }, formValue: GOOD }),
    );
    const responses = await Promise.all(events.map((e) => bot.deliver(e)));
    expect(responses.every((r) => r.status === 200)).toBe(true);
    await bot.settle();
    expect(await bot.db.select().from(pledges)).toHaveLength(1);
    expect(await bot.db.select().from(pledgeRevisions)).toHaveLength(1);
  });
});

describe('/承诺', () => {
  it('sends the card privately when asked in the group, and directly in a direct chat', async () => {
    await bot.deliver(groupCommand('ou_a2', CHAT_A, '/承诺'));
    await bot.settle();
    const [reply, card] = bot.fake.sent.slice(-2).sort((a, b) => (a.via === 'reply' ? -1 : b.via === 'reply' ? 1 : 0));
    expect(reply!.content).toEqual({ text: '已私信发送承诺卡片，请在与我的单聊中填写。' });
    expect(card).toMatchObject({ receiveId: 'ou_a2', receiveIdType: 'open_id', via: 'create' });
    expect(headline(card!)).toBe('亮承诺：填写我的承诺');
    const direct = await sayPrivately(bot, 'ou_a2', '/承诺');
    expect(headline(direct)).toBe('亮承诺：填写我的承诺');
  });
});

describe('践诺: progress and checks', () => {
  beforeEach(async () => {
    await submit('ou_a2', { ...GOOD, area_2: '爱岗敬业', promise_2: '全年零差错', due_2: '2026-11-30' });
    bot.clock.set(new Date(checkPhase.opensAt.getTime() + 10 * HOUR));
  });

  it('asks those who pledged for progress, validates it, and shows it to the secretary to check', async () => {
    await bot.tick();
    const forms = bot.fake.sent.filter((m) => headline(m) === '践诺：报告承诺进度');
    expect(forms.map((f) => f.receiveId)).toEqual(['ou_a2']);

    const progress = (form: Json) => act('ou_a2', { a: 'pledge.progress', v: 1, p: String(checkPhase.id) }, form);
    const bad = await progress({ status_1: 'done', note_2: '长'.repeat(201) });
    expect(JSON.stringify(bad.card!.data)).toContain('第2项·完成情况：请选择 未开始、进行中 或 已完成。');
    expect(JSON.stringify(bad.card!.data)).toContain('第2项·进展说明：最多 200 字，现在 201 字。');
    const ok = await progress({ status_1: 'done', note_1: '已走访 12 栋楼', status_2: 'doing' });
    expect(ok.toast!.content).toBe('进度已提交');
    expect((await bot.db.select().from(pledgeProgress)).map((r) => r.status)).toEqual(['done', 'doing']);

    const status = JSON.stringify((await say(bot, 'ou_a1', CHAT_A, '/承诺 进度')).content);
    expect(status).toContain('已承诺 **1/3** 人');
    expect(status).toContain('张三：1.服务师生 已完成；2.爱岗敬业 进行中');
    expect(status).toContain('李四：**未承诺**');

    const checked = await say(bot, 'ou_a1', CHAT_A, '/承诺 核实 @_user_2 1 走访记录齐全', [{ openId: 'ou_a2', name: '张三' }]);
    expect(checked.content).toEqual({ text: '已核实 张三 第1项承诺：走访记录齐全' });
    const after = JSON.stringify((await say(bot, 'ou_a1', CHAT_A, '/承诺 进度')).content);
    expect(after).toContain('1.服务师生 已完成 ✔已核实（走访记录齐全）');
  });

  it('refuses progress reports and checks from the wrong people', async () => {
    const member = await say(bot, 'ou_a3', CHAT_A, '/承诺 进度');
    expect(member.content).toEqual({ text: '抱歉，/pledge status（/承诺 进度） 仅限本支部书记或管理员使用。' });
    const noPledge = await act('ou_a3', { a: 'pledge.progress', v: 1, p: String(checkPhase.id) }, { status_1: 'done' });
    expect(noPledge.toast!.content).toBe('您在承诺阶段没有提交承诺，无需报告进度。');
    const unreported = await say(bot, 'ou_a1', CHAT_A, '/承诺 核实 @_user_2 1 好', [{ openId: 'ou_a2', name: '张三' }]);
    expect(unreported.content).toEqual({ text: '张三 还没有报告第1项的进度，报告后才能核实。' });
  });
});
