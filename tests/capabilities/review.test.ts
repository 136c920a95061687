// The review capability (党员互评 and 领导点评) over the neutral harness, with real libSQL: a whole
// round, its refusals, the k-threshold, a scan proving no stored row or log line pairs a rater with
// a ratee, rounds that follow the campaign (and their repair), and the leader's review with its
// copies, re-queued when a crashed event resumes.
import { createHash } from 'node:crypto';
import { asc, eq, sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CardActionEvent } from '../../bot/types.js';
import { REVIEW_ACTIONS } from '../../cards/review-cards.js';
import { campaignPhases, leaderReviews, members, outbox, processedEvents, reviewBallots, reviewRoundMembers, reviewRounds } from '../../db/schema.js';
import {
  actionsOf,
  cardOf,
  cardText,
  formField,
  type NeutralBot,
  type Person,
  PLATFORM,
  type Sent,
  startNeutralBot,
  TENANT,
  textOf,
} from '../support/neutral.js';
import { ADMIN, answered, CHAT_A, CHAT_B, confirmSynced, LEADER } from '../support/neutral-org.js';

const HOUR = 3600_000;

// A larger branch A than the shared org's: a round needs k = 3 ballots about someone to show them.
const A: Person[] = [
  { id: 'a1', name: '王书记' },
  { id: 'a2', name: '张三' },
  { id: 'a3', name: '李四' },
  { id: 'a4', name: '赵五' },
  { id: 'a5', name: '孙六' },
];
const B: Person[] = [
  { id: 'b1', name: '周书记' },
  { id: 'b2', name: '吴七' },
];
const LEADER2: Person = { id: 'l2', name: '陈委员' };

let bot: NeutralBot;
let ids: Map<string, number>;

beforeEach(async () => {
  bot = await startNeutralBot({ admins: [ADMIN], now: '2026-11-02T10:00:00+08:00' });
  await answered(bot, ADMIN, CHAT_A, '/绑定 后勤第一党支部');
  await answered(bot, ADMIN, CHAT_B, '/绑定 后勤第二党支部');
  bot.setChatMembers(CHAT_A, [...A, LEADER]);
  bot.setChatMembers(CHAT_B, B);
  await answered(bot, ADMIN, CHAT_A, `/角色 @${LEADER.name} 委员`, [LEADER]);
  await answered(bot, ADMIN, CHAT_A, '/同步');
  await answered(bot, ADMIN, CHAT_B, '/同步');
  await answered(bot, ADMIN, CHAT_A, `/角色 @${A[0]!.name} 书记`, [A[0]!]);
  await answered(bot, ADMIN, CHAT_B, `/角色 @${B[0]!.name} 书记`, [B[0]!]);
  await confirmSynced(bot, ADMIN, CHAT_A, A.slice(1));
  await confirmSynced(bot, ADMIN, CHAT_B, B.slice(1));
  ids = new Map((await bot.db.select().from(members)).map((m) => [m.userId, m.id]));
});
afterEach(async () => bot.close());

/** A card's title, or a text message's text. */
const headline = (m: Sent): string => cardOf(m.content)?.title ?? textOf(m.content) ?? '';

/** A second committee member (linked to branch B): the committee that receives a review's copy is the roster's leaders. */
async function addSecondLeader(): Promise<void> {
  bot.setChatMembers(CHAT_B, [...B, LEADER2]);
  await answered(bot, ADMIN, CHAT_B, '/同步');
  await answered(bot, ADMIN, CHAT_B, `/角色 @${LEADER2.name} 委员`, [LEADER2]);
}

async function startRound() {
  const before = bot.sent.length;
  await answered(bot, 'a1', CHAT_A, '/评议 开始');
  const [round] = await bot.db.select().from(reviewRounds);
  return { round: round!, sent: bot.sent.slice(before) };
}

/** A ballot from `who` grading everyone else in branch A, with a comment that names the rater (to trace leaks). */
function fullBallot(who: string, grade = 'excellent'): Record<string, string> {
  const form: Record<string, string> = {};
  for (const p of A) {
    if (p.id === who) continue;
    const id = ids.get(p.id)!;
    form[`grade_${id}`] = grade;
    form[`s1_${id}`] = '5';
    form[`s3_${id}`] = '4';
    form[`comment_${id}`] = `trace-${who}-about-${p.id}`;
  }
  return form;
}

const ballot = (who: string, roundId: number, form: Record<string, string>, page = 0) =>
  bot.press(who, { ...REVIEW_ACTIONS.ballot, args: { r: String(roundId), page: String(page) } }, form);

describe('a peer-review round', () => {
  it('starts for the branch roster and invites each member privately; only secretaries may start', async () => {
    const refused = await answered(bot, 'a2', CHAT_A, '/评议 开始');
    expect(textOf(refused)).toBe('抱歉，/review start（/评议 开始） 仅限本支部书记或管理员使用。');
    const { round, sent } = await startRound();
    expect(round).toMatchObject({
      status: 'open',
      minBallots: 3,
      criteria: ['带头学习提高', '带头争创佳绩', '带头服务师生员工', '带头遵纪守法', '带头弘扬正气'],
    });
    const invites = sent.filter((m) => headline(m).startsWith('请参加党员互评'));
    expect(invites.map((m) => m.to).sort()).toEqual(A.map((p) => p.id).sort());
    expect(invites.every((m) => m.via === 'send')).toBe(true);
    expect(textOf(sent.find((m) => m.via === 'reply')!.content)).toBe(
      '已开始「后勤第一党支部」党员互评：共 5 人参加，评议卡片已私信发送。评议匿名，结果只公布汇总（每人至少 3 份评价才显示）。',
    );
    const again = await answered(bot, 'a1', CHAT_A, '/评议 开始');
    expect(textOf(again)).toBe('本支部已有一轮进行中的互评，请先发送 /评议 结束。');
  });

  it('shows a ballot of everyone else in the branch, never oneself, with uniquely named fields', async () => {
    const { round } = await startRound();
    const open = await bot.press('a2', { ...REVIEW_ACTIONS.open, args: { r: String(round.id) } });
    const forms = (open.card?.blocks ?? []).filter((b) => b.type === 'form');
    expect(forms).toHaveLength(1);
    const fields = forms.flatMap((f) => f.sections.flatMap((s) => s.fields));
    const grades = fields.filter((f) => f.name.startsWith('grade_')).map((f) => Number(f.name.slice(6)));
    expect(grades.sort()).toEqual(['a1', 'a3', 'a4', 'a5'].map((u) => ids.get(u)!).sort());
    const names = fields.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    expect(forms[0]!.submit.action).toEqual({ id: 'review.ballot', v: 1, args: { r: String(round.id), page: '0' } });
  });

  it('stores one ballot per rater, replaced on resubmit', async () => {
    const { round } = await startRound();
    const first = await ballot('a2', round.id, fullBallot('a2'));
    expect(first.toast).toEqual({ type: 'success', text: '评议已提交' });
    await ballot('a2', round.id, fullBallot('a2', 'qualified'));
    const rows = await bot.db.select().from(reviewBallots);
    expect(rows).toHaveLength(4);
    // Every line has its own tag: the lines of one ballot cannot be grouped back together.
    expect(new Set(rows.map((r) => r.tag)).size).toBe(4);
    expect(rows.every((r) => r.grade === 'qualified')).toBe(true);
  });

  it('refuses a grade for oneself, for someone outside the branch, a missing grade, and a bad star', async () => {
    const { round } = await startRound();
    const self = await ballot('a2', round.id, { ...fullBallot('a2'), [`grade_${ids.get('a2')}`]: 'excellent' });
    expect(cardText(self.card)).toContain('不能给自己评分。');
    const outside = await ballot('a2', round.id, { ...fullBallot('a2'), [`grade_${ids.get('b2')}`]: 'unqualified' });
    expect(cardText(outside.card)).toContain('只能评议本支部本轮名册中的同志。');
    const missing = fullBallot('a2');
    delete missing[`grade_${ids.get('a3')}`];
    missing[`s2_${ids.get('a4')}`] = '9';
    const bad = await ballot('a2', round.id, missing);
    const text = cardText(bad.card);
    expect(text).toContain('李四·等次：请选择 优秀、合格、基本合格 或 不合格。');
    expect(text).toContain('赵五·带头争创佳绩：星级应为 1 到 5。');
    expect(bad.toast!.type).toBe('error');
    expect(await bot.db.select().from(reviewBallots)).toHaveLength(0);
    const stranger = await bot.press('b1', { ...REVIEW_ACTIONS.open, args: { r: String(round.id) } });
    expect(stranger.toast!.text).toBe('您不在本轮评议名单中：只能评议本人所在支部、评议开始时名册中的同志。');
  });

  it('reports counts and names of non-voters only, and reminds at most once an hour', async () => {
    const { round } = await startRound();
    await ballot('a2', round.id, fullBallot('a2'));
    const status = await answered(bot, 'a1', CHAT_A, '/评议 进度');
    expect(textOf(status)).toBe('「后勤第一党支部」党员互评：已完成 1/5 人。尚未完成：王书记、李四、赵五、孙六。');
    const before = bot.sent.length;
    await bot.say('a1', CHAT_A, '/评议 催办');
    const reminders = bot.sent.slice(before).filter((m) => headline(m).startsWith('提醒：请完成党员互评'));
    expect(reminders.map((m) => m.to).sort()).toEqual(['a1', 'a3', 'a4', 'a5']);
    const tooSoon = await answered(bot, 'a1', CHAT_A, '/评议 催办');
    expect(textOf(tooSoon)).toBe('每小时最多催办一次，请在 2026-11-02 11:00 之后再试。');
    bot.clock.advance(61 * 60_000);
    const later = bot.sent.length;
    await bot.say('a1', CHAT_A, '/评议 催办');
    expect(bot.sent.slice(later).filter((m) => headline(m).startsWith('提醒'))).toHaveLength(4);
  });

  it('closes with results: everyone sees only their own, below k nothing is shown, late ballots are refused', async () => {
    const { round } = await startRound();
    for (const who of ['a2', 'a3', 'a4']) await ballot(who, round.id, fullBallot(who));
    const before = bot.sent.length;
    await bot.say('a1', CHAT_A, '/评议 结束');
    const out = bot.sent.slice(before);
    const mine = (u: string) => cardOf(out.find((m) => m.to === u && headline(m).startsWith('我的互评结果'))!.content);
    // 孙六 was rated by a2, a3 and a4: three ballots, shown, with the comments but no names of raters.
    expect(cardText(mine('a5'))).toContain('共 3 份评价：优秀 3 · 合格 0 · 基本合格 0 · 不合格 0');
    expect(cardText(mine('a5'))).toContain('带头学习提高 5.0；带头服务师生员工 4.0');
    expect(cardText(mine('a5'))).toContain('trace-a2-about-a5');
    expect(mine('a5')!.blocks.some((b) => b.type === 'chart')).toBe(true);
    // 张三 was rated only by a3 and a4: below k = 3.
    expect(cardText(mine('a2'))).toContain('本轮对您的评价不足 3 份');
    expect(cardText(mine('a2'))).not.toContain('trace-');
    const secretary = cardText(cardOf(out.find((m) => m.to === 'a1' && headline(m).startsWith('党员互评结果'))!.content));
    expect(secretary).toContain('**孙六**（3 份）');
    expect(secretary).toContain('**张三**：评价不足 3 份，不显示结果');
    expect(secretary).not.toContain('trace-');
    const summary = out.find((m) => m.to === CHAT_A && headline(m).startsWith('党员互评结束'))!;
    expect(cardText(cardOf(summary.content))).toContain('参评 **3/5** 人');
    const late = await ballot('a5', round.id, fullBallot('a5'));
    expect(late.toast).toEqual({ type: 'error', text: '本轮评议已结束，不能再提交或修改。' });
  });

  it('stores and logs nothing that pairs a rater with a ratee', async () => {
    const { round } = await startRound();
    const logStart = bot.logLines.length;
    for (const who of ['a2', 'a3', 'a4']) await ballot(who, round.id, fullBallot(who));
    await bot.say('a1', CHAT_A, '/评议 结束');
    await bot.tick();
    const tables = (
      await bot.db.all<{ name: string }>(sql`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%'`)
    ).map((t) => t.name);
    expect(tables).toContain('review_ballots');
    let traced = 0;
    for (const table of tables) {
      const rows = await bot.db.all<Record<string, unknown>>(sql.raw(`SELECT * FROM "${table}"`));
      for (const row of rows) {
        const text = JSON.stringify(row);
        for (const rater of ['a2', 'a3', 'a4']) {
          // A rater's own words may reach the ratee's result, but never next to the rater's identity.
          if (text.includes(`trace-${rater}-`)) {
            traced++;
            expect(text, `${table} pairs ${rater} with their ballot`).not.toMatch(new RegExp(`["':]${rater}"`));
            expect(text).not.toMatch(new RegExp(`"(member_id|memberId|rater\\w*)":\\s*${ids.get(rater)}\\b`));
          }
        }
      }
    }
    // The scan saw the traced comments (in the ballots, at least): it is not vacuous.
    expect(traced).toBeGreaterThan(0);
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
    // Neutral ids are short: match them as whole words (e.g. "neutral:a2", "a2"), not inside hex.
    for (const line of bot.logLines.slice(logStart)) {
      expect(line).not.toMatch(/trace-|\b(a2|a3|a4)\b/);
    }
  });
});

describe('rounds that follow the campaign', () => {
  it('opens one round per branch with the phase, repairs one left half-written, and publishes at the close', async () => {
    await answered(bot, ADMIN, CHAT_A, '/活动 新建 创先争优 2026-08-01');
    const [phase] = (await bot.db.select().from(campaignPhases).orderBy(asc(campaignPhases.seq))).filter((p) => p.kind === 'review' && p.respond === 'member');
    bot.clock.set(new Date(phase!.opensAt.getTime() + 10 * HOUR));
    await bot.tick();
    const rounds = await bot.db.select().from(reviewRounds).where(eq(reviewRounds.phaseId, phase!.id));
    expect(rounds).toHaveLength(2);
    const roundA = rounds[0]!;
    const inviteRows = () =>
      bot.db
        .select()
        .from(outbox)
        .where(sql`dedupe_key LIKE ${`review:${roundA.id}:invite:%`}`);
    const keysBefore = (await inviteRows()).map((i) => i.dedupeKey).sort();
    expect(keysBefore.length).toBeGreaterThan(1);
    // As if the process died right after writing the round row.
    await bot.db.delete(reviewRoundMembers).where(eq(reviewRoundMembers.roundId, roundA.id));
    await bot.db.delete(outbox).where(sql`dedupe_key LIKE ${`review:${roundA.id}:invite:%`}`);
    const sendsBefore = bot.sent.length;
    await bot.tick();
    const roster = await bot.db.select().from(reviewRoundMembers).where(eq(reviewRoundMembers.roundId, roundA.id));
    expect(roster.length).toBeGreaterThan(1);
    const invites = await inviteRows();
    expect(invites.map((i) => i.status)).toEqual(roster.map(() => 'sent'));
    // Sent again under the same idempotency keys (the outbox's dedupe keys): a platform that honours
    // them (Feishu's uuid) keeps one message each. The recording adapter records every send.
    expect(invites.map((i) => i.dedupeKey).sort()).toEqual(keysBefore);
    const resent = bot.sent.slice(sendsBefore);
    expect(resent).toHaveLength(roster.length);
    const userOf = new Map([...ids.entries()].map(([u, id]) => [id, u]));
    expect(resent.map((m) => m.to).sort()).toEqual(roster.map((r) => userOf.get(r.memberId)).sort());
    const sentBefore = bot.sent.length;
    await bot.tick();
    expect(bot.sent.length).toBe(sentBefore);
    bot.clock.set(new Date(phase!.closesAt.getTime() + HOUR));
    await bot.tick();
    expect((await bot.db.select().from(reviewRounds).where(eq(reviewRounds.phaseId, phase!.id))).every((r) => r.status === 'closed')).toBe(true);
    expect(bot.sent.filter((m) => headline(m).startsWith('我的互评结果'))).toHaveLength(0);
    bot.clock.set(new Date(phase!.closesAt.getTime() + 8 * HOUR));
    await bot.tick();
    expect(bot.sent.filter((m) => headline(m).startsWith('我的互评结果')).length).toBe(A.length + B.length);
  });
});

describe('领导点评', () => {
  const GRADES = { g_leadership: 'good', g_members: 'fair', g_mechanism: 'good', g_performance: 'good', g_reputation: 'average' };

  async function openLeaderPhase() {
    await answered(bot, ADMIN, CHAT_A, '/活动 新建 创先争优 2026-08-01');
    await addSecondLeader();
    const [phase] = (await bot.db.select().from(campaignPhases).orderBy(asc(campaignPhases.seq))).filter((p) => p.kind === 'review' && p.respond === 'leader');
    bot.clock.set(new Date(phase!.opensAt.getTime() + 10 * HOUR));
    await bot.tick();
    const branchOf = async (userId: string) => (await bot.db.select().from(members).where(eq(members.userId, userId)))[0]!.branchId!;
    return { phase: phase!, branchA: await branchOf('a1'), branchB: await branchOf('b1') };
  }

  it('sends each leader a card per linked branch, requires the comments, and shares the review with the secretary and the committee', async () => {
    const { phase, branchA, branchB } = await openLeaderPhase();
    const forms = bot.sent.filter((m) => m.to === LEADER.id && headline(m).startsWith('领导点评'));
    expect(forms.map(headline)).toEqual(['领导点评 · 后勤第一党支部']);
    const submit = (b: number, form: Record<string, string>) =>
      bot.press(LEADER.id, { ...REVIEW_ACTIONS.leaderSubmit, args: { p: String(phase.id), b: String(b) } }, form);

    const missing = await submit(branchA, { ...GRADES, strengths: '学习扎实', direction: '' });
    const text = cardText(missing.card);
    expect(text).toContain('存在问题：请填写。');
    expect(text).toContain('努力方向：请填写。');
    expect(formField(missing.card, 'strengths')!.value).toBe('学习扎实');
    expect(actionsOf(missing.card)).toContainEqual({ id: 'review.leader', v: 1, args: { p: String(phase.id), b: String(branchA) } });

    const before = bot.sent.length;
    const ok = await submit(branchA, { ...GRADES, strengths: '学习扎实', problems: '台账不全', direction: '完善制度建设' });
    expect(ok.toast).toEqual({ type: 'success', text: '点评已提交，已发送支部书记和党委并记入台账' });
    // The committee is the roster's leaders (not BOT_ADMINS), the author aside.
    expect(
      bot.sent
        .slice(before)
        .map((m) => m.to)
        .sort(),
    ).toEqual(['a1', LEADER2.id]);
    const shared = cardOf(bot.sent.slice(before).find((m) => m.to === 'a1')!.content);
    expect(cardText(shared)).toContain('存在问题：台账不全');
    expect(cardText(shared)).toContain('师生员工反映好：一般');
    expect(await bot.db.select().from(leaderReviews)).toMatchObject([{ branchId: branchA, problems: '台账不全', revision: 1 }]);

    const notLinked = await submit(branchB, { ...GRADES, strengths: 'x', problems: 'y', direction: 'z' });
    expect(notLinked.toast!.text).toBe('您没有联系该支部，不能点评。');
    const member = await bot.press('a2', { ...REVIEW_ACTIONS.leaderSubmit, args: { p: String(phase.id), b: String(branchA) } }, GRADES);
    expect(member.toast!.text).toBe('仅限党委委员操作。');
  });

  it('queues the copies of a review whose process died after saving it, when the event is resumed', async () => {
    const { phase, branchA } = await openLeaderPhase();
    const click: CardActionEvent = {
      kind: 'cardAction',
      eventId: 'leader-review-click',
      platform: PLATFORM,
      tenantKey: TENANT,
      chatId: `dm:${LEADER.id}`,
      userId: LEADER.id,
      messageId: 'card-leader',
      action: { ...REVIEW_ACTIONS.leaderSubmit, args: { p: String(phase.id), b: String(branchA) } },
      formValue: { ...GRADES, strengths: '学习扎实', problems: '台账不全', direction: '完善制度建设' },
      lateHandle: null,
    };
    const answer = await bot.deliver(click);
    expect(answer?.toast?.type).toBe('success');
    const copies = sql`${outbox.dedupeKey} LIKE 'leader:%'`;
    expect(await bot.db.select().from(outbox).where(copies)).toHaveLength(2);
    // The state a kill -9 between the save and the queueing leaves: the review saved, no copies, the
    // event pending with its payload and a dead process's expired claim.
    await bot.db.delete(outbox).where(copies);
    await bot.db
      .update(processedEvents)
      .set({ status: 'pending', payload: JSON.stringify(click), claimedBy: 'dead', claimedUntil: 0, doneAt: null })
      .where(eq(processedEvents.eventId, click.eventId));
    expect(await bot.db.select().from(outbox).where(copies)).toHaveLength(0);
    await bot.tick();
    expect((await bot.db.select().from(outbox).where(copies)).map((r) => r.receiveId).sort()).toEqual(['a1', LEADER2.id]);
    expect(await bot.db.select().from(leaderReviews)).toMatchObject([{ branchId: branchA, revision: 1 }]);
    const [event] = await bot.db.select().from(processedEvents).where(eq(processedEvents.eventId, click.eventId));
    expect(event!.status).toBe('done');
  });
});
