// Anonymous peer review over signed webhooks with real libSQL: a whole round, its refusals, the
// k-threshold, a scan proving no stored row or log line pairs a rater with a ratee, and 领导点评.
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { asc, eq, sql } from 'drizzle-orm';
import { campaignPhases, leaderReviews, members, outbox, processedEvents, reviewBallots, reviewRoundMembers, reviewRounds } from '../db/schema.js';
import { parseFeishu } from '../bot/platforms/feishu/parse.js';
import { cardActionEvent, groupCommand } from './support/feishu-wire.js';
import { startTestBot, type TestBot } from './support/harness.js';
import { headline, say } from './support/org.js';

const ADMIN = 'ou_admin';
const CHAT_A = 'oc_branch_a';
const CHAT_B = 'oc_branch_b';
const A = [
  { openId: 'ou_a1', name: '王书记' },
  { openId: 'ou_a2', name: '张三' },
  { openId: 'ou_a3', name: '李四' },
  { openId: 'ou_a4', name: '赵五' },
  { openId: 'ou_a5', name: '孙六' },
];
const B = [
  { openId: 'ou_b1', name: '周书记' },
  { openId: 'ou_b2', name: '吴七' },
];
const LEADER = { openId: 'ou_l', name: '刘委员' };
type Json = Record<string, unknown>;

let bot: TestBot;
let ids: Map<string, number>;

beforeEach(async () => {
  bot = await startTestBot({ admins: [ADMIN], now: '2026-11-02T10:00:00+08:00' });
  await say(bot, ADMIN, CHAT_A, '/绑定 后勤第一党支部');
  await say(bot, ADMIN, CHAT_B, '/绑定 后勤第二党支部');
  bot.fake.setChatMembers(CHAT_A, [...A, LEADER], 3);
  bot.fake.setChatMembers(CHAT_B, B, 3);
  await say(bot, ADMIN, CHAT_A, '/角色 @_user_2 委员', [LEADER]);
  await say(bot, ADMIN, CHAT_A, '/同步');
  await say(bot, ADMIN, CHAT_B, '/同步');
  await say(bot, ADMIN, CHAT_A, '/角色 @_user_2 书记', [A[0]!]);
  await say(bot, ADMIN, CHAT_B, '/角色 @_user_2 书记', [B[0]!]);
  ids = new Map((await bot.db.select().from(members)).map((m) => [m.userId, m.id]));
});
afterEach(async () => bot.close());

const LEADER2 = { openId: 'ou_l2', name: '陈委员' };

/** A second committee member (linked to branch B): the committee that receives a review's copy is the roster's leaders. */
async function addSecondLeader(): Promise<void> {
  bot.fake.setChatMembers(CHAT_B, [...B, LEADER2], 3);
  await say(bot, ADMIN, CHAT_B, '/同步');
  await say(bot, ADMIN, CHAT_B, '/角色 @_user_2 委员', [LEADER2]);
}

async function act(from: string, value: Json, formValue?: Json) {
  const res = await bot.deliver(cardActionEvent({ from, chatId: 'oc_dm', value, formValue }));
  expect(res.status).toBe(200);
  const body = (await res.json()) as { toast?: { type: string; content: string }; card?: { data: Json } };
  await bot.settle();
  return body;
}

async function startRound() {
  const before = bot.fake.sent.length;
  await bot.deliver(groupCommand('ou_a1', CHAT_A, '/评议 开始'));
  await bot.settle();
  const [round] = await bot.db.select().from(reviewRounds);
  return { round: round!, sent: bot.fake.sent.slice(before) };
}

/** A ballot from `who` grading everyone else in branch A, with a comment that names the rater (to trace leaks). */
function fullBallot(who: string, grade = 'excellent'): Json {
  const form: Json = {};
  for (const p of A) {
    if (p.openId === who) continue;
    const id = ids.get(p.openId)!;
    form[`grade_${id}`] = grade;
    form[`s1_${id}`] = '5';
    form[`s3_${id}`] = '4';
    form[`comment_${id}`] = `trace-${who.slice(3)}-about-${p.openId.slice(3)}`;
  }
  return form;
}

const ballot = (who: string, roundId: number, form: Json, page = 0) => act(who, { a: 'review.ballot', v: 1, r: String(roundId), page: String(page) }, form);

describe('a peer-review round', () => {
  it('starts for the branch roster and invites each member privately; only secretaries may start', async () => {
    const refused = await say(bot, 'ou_a2', CHAT_A, '/评议 开始');
    expect(refused.content).toEqual({ text: '抱歉，/review start（/评议 开始） 仅限本支部书记或管理员使用。' });
    const { round, sent } = await startRound();
    expect(round).toMatchObject({
      status: 'open',
      minBallots: 3,
      criteria: ['带头学习提高', '带头争创佳绩', '带头服务师生员工', '带头遵纪守法', '带头弘扬正气'],
    });
    const invites = sent.filter((m) => headline(m).startsWith('请参加党员互评'));
    expect(invites.map((m) => m.receiveId).sort()).toEqual(A.map((p) => p.openId).sort());
    expect(sent.find((m) => m.via === 'reply')!.content).toEqual({
      text: '已开始「后勤第一党支部」党员互评：共 5 人参加，评议卡片已私信发送。评议匿名，结果只公布汇总（每人至少 3 份评价才显示）。',
    });
    const again = await say(bot, 'ou_a1', CHAT_A, '/评议 开始');
    expect(again.content).toEqual({ text: '本支部已有一轮进行中的互评，请先发送 /评议 结束。' });
  });

  it('shows a ballot of everyone else in the branch, never oneself, with uniquely named fields', async () => {
    const { round } = await startRound();
    const open = await act('ou_a2', { a: 'review.open', v: 1, r: String(round.id) });
    const form = (open.card!.data.body as { elements: Json[] }).elements.find((e) => e.tag === 'form')!.elements as Json[];
    const grades = form.filter((e) => String(e.name).startsWith('grade_')).map((e) => Number(String(e.name).slice(6)));
    expect(grades.sort()).toEqual(['ou_a1', 'ou_a3', 'ou_a4', 'ou_a5'].map((u) => ids.get(u)!).sort());
    const names = form.map((e) => e.name).filter(Boolean);
    expect(new Set(names).size).toBe(names.length);
    expect(form.at(-1)!.behaviors).toEqual([{ type: 'callback', value: { r: String(round.id), page: '0', a: 'review.ballot', v: 1 } }]);
  });

  it('stores one ballot per rater, replaced on resubmit', async () => {
    const { round } = await startRound();
    const first = await ballot('ou_a2', round.id, fullBallot('ou_a2'));
    expect(first.toast).toEqual({ type: 'success', content: '评议已提交' });
    await ballot('ou_a2', round.id, fullBallot('ou_a2', 'qualified'));
    const rows = await bot.db.select().from(reviewBallots);
    expect(rows).toHaveLength(4);
    // Every line has its own tag: the lines of one ballot cannot be grouped back together.
    expect(new Set(rows.map((r) => r.tag)).size).toBe(4);
    expect(rows.every((r) => r.grade === 'qualified')).toBe(true);
  });

  it('refuses a grade for oneself, for someone outside the branch, a missing grade, and a bad star', async () => {
    const { round } = await startRound();
    const self = await ballot('ou_a2', round.id, { ...fullBallot('ou_a2'), [`grade_${ids.get('ou_a2')}`]: 'excellent' });
    expect(JSON.stringify(self.card!.data)).toContain('不能给自己评分。');
    const outside = await ballot('ou_a2', round.id, { ...fullBallot('ou_a2'), [`grade_${ids.get('ou_b2')}`]: 'unqualified' });
    expect(JSON.stringify(outside.card!.data)).toContain('只能评议本支部本轮名册中的同志。');
    const missing = fullBallot('ou_a2');
    delete missing[`grade_${ids.get('ou_a3')}`];
    missing[`s2_${ids.get('ou_a4')}`] = '9';
    const bad = await ballot('ou_a2', round.id, missing);
    const text = JSON.stringify(bad.card!.data);
    expect(text).toContain('李四·等次：请选择 优秀、合格、基本合格 或 不合格。');
    expect(text).toContain('赵五·带头争创佳绩：星级应为 1 到 5。');
    expect(bad.toast!.type).toBe('error');
    expect(await bot.db.select().from(reviewBallots)).toHaveLength(0);
    const stranger = await act('ou_b1', { a: 'review.open', v: 1, r: String(round.id) });
    expect(stranger.toast!.content).toBe('您不在本轮评议名单中：只能评议本人所在支部、评议开始时名册中的同志。');
  });

  it('reports counts and names of non-voters only, and reminds at most once an hour', async () => {
    const { round } = await startRound();
    await ballot('ou_a2', round.id, fullBallot('ou_a2'));
    const status = await say(bot, 'ou_a1', CHAT_A, '/评议 进度');
    expect(status.content).toEqual({ text: '「后勤第一党支部」党员互评：已完成 1/5 人。尚未完成：王书记、李四、赵五、孙六。' });
    const before = bot.fake.sent.length;
    await bot.deliver(groupCommand('ou_a1', CHAT_A, '/评议 催办'));
    await bot.settle();
    const reminders = bot.fake.sent.slice(before).filter((m) => headline(m).startsWith('提醒：请完成党员互评'));
    expect(reminders.map((m) => m.receiveId).sort()).toEqual(['ou_a1', 'ou_a3', 'ou_a4', 'ou_a5']);
    const tooSoon = await say(bot, 'ou_a1', CHAT_A, '/评议 催办');
    expect((tooSoon.content as { text: string }).text).toBe('每小时最多催办一次，请在 2026-11-02 11:00 之后再试。');
    bot.clock.advance(61 * 60_000);
    const later = bot.fake.sent.length;
    await bot.deliver(groupCommand('ou_a1', CHAT_A, '/评议 催办'));
    await bot.settle();
    expect(bot.fake.sent.slice(later).filter((m) => headline(m).startsWith('提醒'))).toHaveLength(4);
  });

  it('closes with results: everyone sees only their own, below k nothing is shown, late ballots are refused', async () => {
    const { round } = await startRound();
    for (const who of ['ou_a2', 'ou_a3', 'ou_a4']) await ballot(who, round.id, fullBallot(who));
    const before = bot.fake.sent.length;
    await bot.deliver(groupCommand('ou_a1', CHAT_A, '/评议 结束'));
    await bot.settle();
    const out = bot.fake.sent.slice(before);
    const mine = (u: string) => JSON.stringify(out.find((m) => m.receiveId === u && headline(m).startsWith('我的互评结果'))!.content);
    // 孙六 was rated by a2, a3 and a4: three ballots, shown, with the comments but no names of raters.
    expect(mine('ou_a5')).toContain('共 3 份评价：优秀 3 · 合格 0 · 基本合格 0 · 不合格 0');
    expect(mine('ou_a5')).toContain('带头学习提高 5.0；带头服务师生员工 4.0');
    expect(mine('ou_a5')).toContain('trace-a2-about-a5');
    expect(mine('ou_a5')).toContain('"tag":"chart"');
    // 张三 was rated only by a3 and a4: below k = 3.
    expect(mine('ou_a2')).toContain('本轮对您的评价不足 3 份');
    expect(mine('ou_a2')).not.toContain('trace-');
    const secretary = JSON.stringify(out.find((m) => m.receiveId === 'ou_a1' && headline(m).startsWith('党员互评结果'))!.content);
    expect(secretary).toContain('**孙六**（3 份）');
    expect(secretary).toContain('**张三**：评价不足 3 份，不显示结果');
    expect(secretary).not.toContain('trace-');
    const summary = out.find((m) => m.receiveId === CHAT_A && headline(m).startsWith('党员互评结束'))!;
    expect(JSON.stringify(summary.content)).toContain('参评 **3/5** 人');
    const late = await ballot('ou_a5', round.id, fullBallot('ou_a5'));
    expect(late.toast).toEqual({ type: 'error', content: '本轮评议已结束，不能再提交或修改。' });
  });

  it('stores and logs nothing that pairs a rater with a ratee', async () => {
    const { round } = await startRound();
    const logStart = bot.logLines.length;
    for (const who of ['ou_a2', 'ou_a3', 'ou_a4']) await ballot(who, round.id, fullBallot(who));
    await bot.deliver(groupCommand('ou_a1', CHAT_A, '/评议 结束'));
    await bot.settle();
    await bot.tick();
    const tables = (
      await bot.db.all<{ name: string }>(sql`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%'`)
    ).map((t) => t.name);
    expect(tables).toContain('review_ballots');
    for (const table of tables) {
      const rows = await bot.db.all<Json>(sql.raw(`SELECT * FROM "${table}"`));
      for (const row of rows) {
        const text = JSON.stringify(row);
        for (const rater of ['ou_a2', 'ou_a3', 'ou_a4']) {
          // A rater's own words may reach the ratee's result, but never next to the rater's identity.
          if (text.includes(`trace-${rater.slice(3)}-`)) {
            expect(text, `${table} pairs ${rater} with their ballot`).not.toContain(`"${rater}"`);
            expect(text).not.toMatch(new RegExp(`"(member_id|memberId|rater\\w*)":\\s*${ids.get(rater)}\\b`));
          }
        }
      }
    }
    // The rater column holds a keyed hash: not an id, and not an unkeyed hash anyone could recompute.
    const ballots = await bot.db.select().from(reviewBallots);
    const guessable = [...ids.entries()].flatMap(([u, id]) =>
      [u, String(id), `ballot:${round.id}:${id}`].flatMap((x) => [
        x,
        createHash('sha256').update(x).digest('hex'),
        createHash('sha256').update(x).digest('hex').slice(0, 32),
      ]),
    );
    for (const b of ballots) {
      expect(b.tag).toMatch(/^[0-9a-f]{32}$/);
      expect(guessable).not.toContain(b.tag);
    }
    expect(new Set(ballots.map((b) => b.tag)).size).toBe(ballots.length);
    expect(Object.keys(ballots[0]!).sort()).toEqual(['comment', 'grade', 'rateeId', 'roundId', 's1', 's2', 's3', 's4', 's5', 'tag']);
    // Stored in tag order (WITHOUT ROWID), not in the order the raters wrote them.
    for (const table of ['review_ballots', 'review_voters']) {
      const [ddl] = await bot.db.all<{ sql: string }>(sql`SELECT sql FROM sqlite_master WHERE name = ${table}`);
      expect(ddl!.sql).toMatch(/WITHOUT ROWID$/);
    }
    for (const line of bot.logLines.slice(logStart)) {
      expect(line).not.toMatch(/trace-|ou_a2|ou_a3|ou_a4/);
    }
  });
});

describe('rounds that follow the campaign', () => {
  it('opens one round per branch with the phase, repairs one left half-written, and publishes at the close', async () => {
    await say(bot, ADMIN, CHAT_A, '/活动 新建 创先争优 2026-08-01');
    const [phase] = (await bot.db.select().from(campaignPhases).orderBy(asc(campaignPhases.seq))).filter((p) => p.kind === 'review' && p.respond === 'member');
    bot.clock.set(new Date(phase!.opensAt.getTime() + 10 * 3600_000));
    await bot.tick();
    const rounds = await bot.db.select().from(reviewRounds).where(eq(reviewRounds.phaseId, phase!.id));
    expect(rounds).toHaveLength(2);
    const roundA = rounds[0]!;
    // As if the process died right after writing the round row.
    await bot.db.delete(reviewRoundMembers).where(eq(reviewRoundMembers.roundId, roundA.id));
    await bot.db.delete(outbox).where(sql`dedupe_key LIKE ${`review:${roundA.id}:invite:%`}`);
    const requestsBefore = bot.fake.requests.length;
    await bot.tick();
    const roster = await bot.db.select().from(reviewRoundMembers).where(eq(reviewRoundMembers.roundId, roundA.id));
    expect(roster.length).toBeGreaterThan(1);
    const invites = await bot.db
      .select()
      .from(outbox)
      .where(sql`dedupe_key LIKE ${`review:${roundA.id}:invite:%`}`);
    expect(invites.map((i) => i.status)).toEqual(roster.map(() => 'sent'));
    // Sent again with the same idempotency uuid: Feishu (and the fake) keep one message each.
    expect(bot.fake.requests.length - requestsBefore).toBe(roster.length);
    const sentBefore = bot.fake.sent.length;
    await bot.tick();
    expect(bot.fake.sent.length).toBe(sentBefore);
    bot.clock.set(new Date(phase!.closesAt.getTime() + 3600_000));
    await bot.tick();
    expect((await bot.db.select().from(reviewRounds).where(eq(reviewRounds.phaseId, phase!.id))).every((r) => r.status === 'closed')).toBe(true);
    expect(bot.fake.sent.filter((m) => headline(m).startsWith('我的互评结果'))).toHaveLength(0);
    bot.clock.set(new Date(phase!.closesAt.getTime() + 8 * 3600_000));
    await bot.tick();
    expect(bot.fake.sent.filter((m) => headline(m).startsWith('我的互评结果')).length).toBe(A.length + B.length);
  });
});

describe('领导点评', () => {
  it('sends each leader a card per linked branch, requires the comments, and shares the review with the secretary and the committee', async () => {
    await say(bot, ADMIN, CHAT_A, '/活动 新建 创先争优 2026-08-01');
    await addSecondLeader();
    const [phase] = (await bot.db.select().from(campaignPhases).orderBy(asc(campaignPhases.seq))).filter((p) => p.kind === 'review' && p.respond === 'leader');
    bot.clock.set(new Date(phase!.opensAt.getTime() + 10 * 3600_000));
    await bot.tick();
    const forms = bot.fake.sent.filter((m) => m.receiveId === LEADER.openId && headline(m).startsWith('领导点评'));
    expect(forms.map(headline)).toEqual(['领导点评 · 后勤第一党支部']);
    const branchA = (await bot.db.select().from(members).where(eq(members.userId, 'ou_a1')))[0]!.branchId!;
    const branchB = (await bot.db.select().from(members).where(eq(members.userId, 'ou_b1')))[0]!.branchId!;
    const grades = { g_leadership: 'good', g_members: 'fair', g_mechanism: 'good', g_performance: 'good', g_reputation: 'average' };
    const submit = (b: number, form: Json) => act(LEADER.openId, { a: 'review.leader', v: 1, p: String(phase!.id), b: String(b) }, form);

    const missing = await submit(branchA, { ...grades, strengths: '学习扎实', direction: '' });
    const text = JSON.stringify(missing.card!.data);
    expect(text).toContain('存在问题：请填写。');
    expect(text).toContain('努力方向：请填写。');
    expect(text).toContain('"default_value":"学习扎实"');

    const before = bot.fake.sent.length;
    const ok = await submit(branchA, { ...grades, strengths: '学习扎实', problems: '台账不全', direction: '完善制度建设' });
    expect(ok.toast).toEqual({ type: 'success', content: '点评已提交，已发送支部书记和党委并记入台账' });
    // The committee is the roster's leaders (not BOT_ADMINS), the author aside.
    expect(
      bot.fake.sent
        .slice(before)
        .map((m) => m.receiveId)
        .sort(),
    ).toEqual(['ou_a1', LEADER2.openId]);
    const shared = bot.fake.sent.slice(before).find((m) => m.receiveId === 'ou_a1')!;
    expect(JSON.stringify(shared.content)).toContain('**存在问题**：台账不全');
    expect(JSON.stringify(shared.content)).toContain('师生员工反映好：一般');
    expect(await bot.db.select().from(leaderReviews)).toMatchObject([{ branchId: branchA, problems: '台账不全', revision: 1 }]);

    const notLinked = await submit(branchB, { ...grades, strengths: 'x', problems: 'y', direction: 'z' });
    expect(notLinked.toast!.content).toBe('您没有联系该支部，不能点评。');
    const member = await act('ou_a2', { a: 'review.leader', v: 1, p: String(phase!.id), b: String(branchA) }, grades);
    expect(member.toast!.content).toBe('仅限党委委员操作。');
  });

  it('queues the copies of a review whose process died after saving it, when the event is resumed', async () => {
    await say(bot, ADMIN, CHAT_A, '/活动 新建 创先争优 2026-08-01');
    await addSecondLeader();
    const [phase] = (await bot.db.select().from(campaignPhases).orderBy(asc(campaignPhases.seq))).filter((p) => p.kind === 'review' && p.respond === 'leader');
    bot.clock.set(new Date(phase!.opensAt.getTime() + 10 * 3600_000));
    await bot.tick();
    const branchA = (await bot.db.select().from(members).where(eq(members.userId, 'ou_a1')))[0]!.branchId!;
    const form = {
      g_leadership: 'good',
      g_members: 'fair',
      g_mechanism: 'good',
      g_performance: 'good',
      g_reputation: 'average',
      strengths: '学习扎实',
      problems: '台账不全',
      direction: '完善制度建设',
    };
    const click = cardActionEvent({
      from: LEADER.openId,
      chatId: 'oc_dm',
      value: { a: 'review.leader', v: 1, p: String(phase!.id), b: String(branchA) },
      formValue: form,
    });
    expect((await bot.deliver(click)).status).toBe(200);
    await bot.settle();
    const copies = sql`${outbox.dedupeKey} LIKE 'leader:%'`;
    expect(await bot.db.select().from(outbox).where(copies)).toHaveLength(2);
    // The state a kill -9 between the save and the queueing leaves: the review saved, no copies, the event pending.
    const stored = parseFeishu(JSON.parse(JSON.stringify(click)) as Record<string, unknown>);
    await bot.db.delete(outbox).where(copies);
    await bot.db
      .update(processedEvents)
      .set({ status: 'pending', payload: JSON.stringify(stored.type === 'event' ? stored.event : null), claimedBy: 'dead', claimedUntil: 0, doneAt: null })
      .where(eq(processedEvents.eventId, click.header.event_id));
    await bot.crash();
    await bot.tick();
    expect((await bot.db.select().from(outbox).where(copies)).map((r) => r.receiveId).sort()).toEqual(['ou_a1', LEADER2.openId]);
    expect(await bot.db.select().from(leaderReviews)).toMatchObject([{ branchId: branchA, revision: 1 }]);
  });
});
