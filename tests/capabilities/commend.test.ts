// The end of an excellence campaign over the neutral harness: results from the leaders' reviews and a
// peer round (a tie, a part missing, a branch under the k threshold), nominations within the quota,
// the committee's vote, 公示 with an objection, and the confirmed list with its congratulations.
import { asc, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COMMEND_ACTIONS } from '../../cards/commend-cards.js';
import { REVIEW_ACTIONS } from '../../cards/review-cards.js';
import { auditLog, campaignPhases, commendNominees, commendObjections, commendVotes, members, reviewRounds } from '../../db/schema.js';
import { defaultRegistry } from '../../handlers/index.js';
import { actionsOf, cardOf, cardText, type NeutralBot, type Person, startNeutralBot, textOf } from '../support/neutral.js';
import { ADMIN, answered, CHAT_A, CHAT_B, confirmSynced, LEADER } from '../support/neutral-org.js';

const HOUR = 3600_000;
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
const GOOD = { g_leadership: 'good', g_members: 'good', g_mechanism: 'good', g_performance: 'good', g_reputation: 'fair' };
const FAIR = { g_leadership: 'fair', g_members: 'average', g_mechanism: 'fair', g_performance: 'average', g_reputation: 'average' };
const COMMENTS = { strengths: '学习扎实', problems: '台账不全', direction: '完善制度' };

let bot: NeutralBot;
let ids: Map<string, number>;
let phases: Array<typeof campaignPhases.$inferSelect>;

async function at(phase: typeof campaignPhases.$inferSelect, hours = 10): Promise<void> {
  bot.clock.set(new Date(phase.opensAt.getTime() + hours * HOUR));
  await bot.tick();
}

/** Everyone in branch A grades everyone else 优秀 (so A's members tie); branch B's two members cannot reach k = 3. */
async function peerRound(): Promise<void> {
  const peer = phases.find((p) => p.kind === 'review' && p.respond === 'member')!;
  await at(peer);
  const rounds = await bot.db.select().from(reviewRounds);
  for (const [people, who] of [
    [A, 'a'],
    [B, 'b'],
  ] as const) {
    const branchId = (
      await bot.db
        .select()
        .from(members)
        .where(eq(members.userId, `${who}1`))
    )[0]!.branchId!;
    const round = rounds.find((r) => r.branchId === branchId)!;
    for (const rater of people) {
      const form: Record<string, string> = {};
      for (const p of people) if (p.id !== rater.id) form[`grade_${ids.get(p.id)}`] = 'excellent';
      const r = await bot.press(rater.id, { ...REVIEW_ACTIONS.ballot, args: { r: String(round.id), page: '0' } }, form);
      expect(r.toast?.type, JSON.stringify(r)).toBe('success');
    }
  }
  await answered(bot, 'a1', CHAT_A, '/评议 结束');
  await answered(bot, 'b1', CHAT_B, '/评议 结束');
}

async function leaderReviews(): Promise<void> {
  const leader = phases.find((p) => p.kind === 'review' && p.respond === 'leader')!;
  await at(leader);
  const branchOf = async (u: string) => (await bot.db.select().from(members).where(eq(members.userId, u)))[0]!.branchId!;
  for (const [who, branch, grades] of [
    [LEADER.id, await branchOf('a1'), GOOD],
    [LEADER2.id, await branchOf('b1'), FAIR],
  ] as const) {
    const r = await bot.press(who, { ...REVIEW_ACTIONS.leaderSubmit, args: { p: String(leader.id), b: String(branch) } }, { ...grades, ...COMMENTS });
    expect(r.toast?.type, JSON.stringify(r)).toBe('success');
  }
}

beforeEach(async () => {
  bot = await startNeutralBot({ admins: [ADMIN], now: '2026-07-20T10:00:00+08:00' });
  await answered(bot, ADMIN, CHAT_A, '/绑定 后勤第一党支部');
  await answered(bot, ADMIN, CHAT_B, '/绑定 后勤第二党支部');
  bot.setChatMembers(CHAT_A, [...A, LEADER]);
  bot.setChatMembers(CHAT_B, [...B, LEADER2]);
  await answered(bot, ADMIN, CHAT_A, '/同步');
  await answered(bot, ADMIN, CHAT_B, '/同步');
  await answered(bot, ADMIN, CHAT_A, `/角色 @${LEADER.name} 委员`, [LEADER]);
  await answered(bot, ADMIN, CHAT_B, `/角色 @${LEADER2.name} 委员`, [LEADER2]);
  await answered(bot, ADMIN, CHAT_A, `/角色 @${A[0]!.name} 书记`, [A[0]!]);
  await answered(bot, ADMIN, CHAT_B, `/角色 @${B[0]!.name} 书记`, [B[0]!]);
  await confirmSynced(bot, ADMIN, CHAT_A, A.slice(1));
  await confirmSynced(bot, ADMIN, CHAT_B, B.slice(1));
  await answered(bot, ADMIN, CHAT_A, '/活动 新建 创先争优 2026-08-01');
  ids = new Map((await bot.db.select().from(members)).map((m) => [m.userId, m.id]));
  phases = await bot.db.select().from(campaignPhases).orderBy(asc(campaignPhases.seq));
  await leaderReviews();
  await peerRound();
  await at(phases.find((p) => p.kind === 'commend')!);
});
afterEach(async () => bot.close());

const results = async (who = ADMIN) => {
  const reply = await bot.sayPrivately(who, '/表彰');
  const card = cardOf(reply);
  expect(card, textOf(reply)).toBeDefined();
  return card!;
};

describe('results of an excellence campaign', () => {
  it('reaches the committee privately, once, when the 评选表彰 phase opens', async () => {
    await bot.tick();
    const sent = bot.sent.filter((m) => cardOf(m.content)?.title === '活动结果：深入开展创先争优活动');
    expect(sent.map((m) => m.to).sort()).toEqual([ADMIN, LEADER.id, LEADER2.id].sort());
    const nominate = (to: string) => actionsOf(cardOf(sent.find((m) => m.to === to)!.content)).filter((a) => a.id === COMMEND_ACTIONS.nominate.id);
    expect(nominate(ADMIN).length).toBeGreaterThan(0);
    expect(nominate(LEADER.id)).toHaveLength(0);
  });

  it('ranks each title by the template formula, with ties, missing parts and the k threshold shown', async () => {
    const card = await results();
    const text = cardText(card);
    expect(card.title).toBe('活动结果：深入开展创先争优活动');
    expect(text).toContain('计算口径（excellence-results 第 1 版）：优秀共产党员 = 党员互评×0.6 + 承诺践诺×0.4');
    // Branch A: four ballots of 优秀 each, no pledge phase reached: the optional part is left out, not zero.
    expect(text).toContain('并列第 1　**张三**（后勤第一党支部）　**100** 分');
    expect(text).toContain('党员互评：4 票：优秀 4、合格 0、基本合格 0、不合格 0，折合 100 分；承诺践诺：未开展');
    expect(text).toContain('<t orange>缺项不计入：承诺践诺</t>');
    // Branch B has two members: one ballot about each is under k = 3, so no total at all.
    expect(text).toMatch(/—　(\*\*(吴七|周书记)（后勤第二党支部）\*\*、?){2}　<t grey>无法计算（党员互评：不足 3 票，不公布）<\/t>/);
    expect(text).toContain('**优秀共产党员**　名额 1 名');
    expect(text).toContain('名额线上有并列');
    // 先进党支部: 领导点评 of each branch; 群众评议 never held is shown as such.
    expect(text).toContain('第 1　**后勤第一党支部**　');
    expect(text).toContain('群众评议满意率：未开展');
    // The committee (leaders) may read the results; members may not.
    expect(cardText(await results(LEADER.id))).toContain('张三');
    // Each leader review revision is in the audit trail with what was written.
    const reviews = (await bot.db.select().from(auditLog)).filter((r) => r.action === 'leader-review.submit');
    expect(reviews.map((r) => r.detail)).toEqual([expect.objectContaining({ revision: 1, problems: '台账不全' }), expect.objectContaining({ revision: 1 })]);
    expect(textOf(await bot.sayPrivately('a2', '/表彰'))).toContain('仅限管理员或党委委员使用');
  });

  it('gives the committee a dashboard of completion, grade spread and satisfaction', async () => {
    const card = cardOf(await bot.sayPrivately(LEADER.id, '/活动 总览'))!;
    const text = cardText(card);
    expect(card.title).toBe('活动总览：深入开展创先争优活动');
    expect(text).toContain('**党员互评与群众评议（第一轮）**（已结束）：后勤第一党支部 5/5（100%）；后勤第二党支部 2/2（100%）');
    // Branch A's 20 ballot lines count; branch B's two members are under k = 3 and stay out.
    const grades = card.blocks.find((b) => b.type === 'chart' && b.title === '党员互评等次分布（票）');
    expect(grades).toEqual({
      type: 'chart',
      title: '党员互评等次分布（票）',
      bars: expect.arrayContaining([
        { label: '优秀', value: 20 },
        { label: '合格', value: 0 },
      ]),
    });
    expect(text).toContain('**满意度测评**：<t grey>未开展</t>');
    expect(textOf(await bot.sayPrivately('a2', '/活动 总览'))).toContain('仅限管理员或党委委员使用');
  });

  it('keeps a stopped campaign readable: history, results and overview by number', async () => {
    await answered(bot, ADMIN, CHAT_A, '/活动 停止');
    const history = textOf(await bot.sayPrivately(LEADER.id, '/活动 历史'))!;
    expect(history).toMatch(/^共 1 个活动：\n#1 深入开展创先争优活动｜已停止｜2026-08-12 至 2028-08-\d\d｜评选表彰：提名中/);
    expect(textOf(await bot.sayPrivately(ADMIN, '/活动'))).toContain(
      '当前没有进行中的活动。管理员可发送 /活动 新建 <模板> [开始日期] 开始；往期活动见 /活动 历史。',
    );
    expect(cardText(cardOf(await bot.sayPrivately(ADMIN, '/活动 1')))).toContain('已停止');
    expect(cardOf(await bot.sayPrivately(ADMIN, '/表彰 1'))?.title).toBe('活动结果：深入开展创先争优活动');
    expect(cardOf(await bot.sayPrivately(ADMIN, '/活动 总览 #1'))?.title).toBe('活动总览：深入开展创先争优活动');
    expect(textOf(await bot.sayPrivately(ADMIN, '/表彰 9'))).toBe('没有编号为 9 的活动。现有活动：\n#1 深入开展创先争优活动（已停止）');
  });

  it('goes from nomination through the vote and 公示 with an objection to the confirmed list', async () => {
    // Over the quota: one 优秀共产党员 for seven party members.
    expect(textOf(await bot.sayPrivately(ADMIN, '/表彰 提名 优秀共产党员 张三'))).toBe('已提名 张三 为「优秀共产党员」候选（100 分，第 1 名）。');
    const over = textOf(await bot.sayPrivately(ADMIN, '/表彰 提名 优秀共产党员 李四'));
    expect(over).toBe('「优秀共产党员」名额为 1 名，已提名 1 名（张三），不能再提名 李四。如需调整，请先撤回。');
    expect(textOf(await bot.sayPrivately(ADMIN, '/表彰 提名 优秀共产党员 吴七'))).toContain(
      '吴七 不能提名「优秀共产党员」：无法计算（党员互评：不足 3 票，不公布）',
    );
    // The card's button nominates too.
    const card = await results();
    const branchButton = actionsOf(card).find((a) => a.id === COMMEND_ACTIONS.nominate.id && a.args?.t === 'advanced-branch')!;
    expect((await bot.press(ADMIN, branchButton)).toast?.text).toMatch(/^已提名 后勤第一党支部 为「先进党支部」候选/);
    expect(textOf(await bot.sayPrivately(ADMIN, '/表彰 提名 优秀党务工作者 王书记'))).toMatch(/^已提名 王书记/);

    // The vote: each committee member gets the list privately; a missing choice is named.
    expect(textOf(await bot.sayPrivately(ADMIN, '/表彰 表决'))).toBe(
      '表决已开始：3 名候选，已私信 2 位党委委员。过半数同意的进入公示；委员表决后发送 /表彰 公示。',
    );
    const ballot = cardOf(bot.sent.find((m) => m.to === LEADER.id && cardOf(m.content)?.title.startsWith('评选表彰表决'))!.content)!;
    const nominees = await bot.db.select().from(commendNominees);
    const id = (name: string) => nominees.find((n) => n.name === name)!.id;
    const vote = actionsOf(ballot).find((a) => a.id === COMMEND_ACTIONS.vote.id)!;
    const partial = await bot.press(LEADER.id, vote, { [`v_${id('张三')}`]: 'yes' });
    expect(partial.toast?.text).toContain('请对每位候选表决，尚未选择：');
    const all = (v: Record<string, string>) => Object.fromEntries(Object.entries(v).map(([k, x]) => [`v_${id(k)}`, x]));
    expect((await bot.press(LEADER.id, vote, all({ 张三: 'yes', 后勤第一党支部: 'yes', 王书记: 'no' }))).card?.title).toMatch(/^表决已提交/);
    // A change is a new revision; the first is kept.
    await bot.press(LEADER.id, vote, all({ 张三: 'yes', 后勤第一党支部: 'yes', 王书记: 'yes' }));
    await bot.press(LEADER2.id, vote, all({ 张三: 'yes', 后勤第一党支部: 'yes', 王书记: 'no' }));
    expect(await bot.db.select().from(commendVotes)).toHaveLength(9);
    expect(textOf(await bot.sayPrivately('a2', '/表彰 表决'))).toContain('仅限管理员或党委委员使用');

    // 公示: majority of the 2-member committee; posted in both branch chats for 5 working days.
    const now = bot.clock.now();
    const before = bot.sent.length;
    const pub = textOf(await bot.sayPrivately(ADMIN, '/表彰 公示'));
    expect(pub).toMatch(/^表决结果：2 名过半数同意进入公示，1 名未通过。公示至 \d{4}-\d\d-\d\d 24:00，已发往各支部群。$/);
    await bot.settle();
    const posted = bot.sent.slice(before).filter((m) => cardOf(m.content)?.title.startsWith('评选表彰公示'));
    expect(posted.map((m) => m.to).sort()).toEqual([CHAT_A, CHAT_B]);
    const publicity = cardText(cardOf(posted[0]!.content));
    expect(publicity).toContain('**优秀共产党员**：张三（后勤第一党支部）');
    expect(publicity).toContain('**先进党支部**：后勤第一党支部');
    expect(publicity).not.toContain('王书记');

    // An anonymous objection through the public page's port reaches the committee, never naming anyone.
    const port = defaultRegistry.ports!.commend!;
    const cid = nominees[0]!.commendationId;
    const deps = { db: bot.db, clock: bot.clock, config: (await import('../../bot/config.js')).parseConfig({ BOT_ADMINS: `neutral:${ADMIN}` }) };
    expect((await port.object(deps, cid, { text: '' })).errors).toEqual(['意见内容：请写明您反映的问题。']);
    expect((await port.object(deps, cid, { nominee: String(id('张三')), text: '群众反映服务态度有待改进' })).ok).toBe(true);
    expect(await bot.db.select().from(commendObjections)).toMatchObject([{ nomineeId: id('张三'), name: null, contact: null }]);
    await bot.tick();
    const notices = bot.sent.filter((m) => cardOf(m.content)?.title.startsWith('公示异议'));
    expect(notices.map((m) => m.to).sort()).toEqual([ADMIN, LEADER.id, LEADER2.id].sort());
    expect(cardText(cardOf(notices[0]!.content))).toContain('反映人：匿名');
    expect(textOf(await bot.sayPrivately(ADMIN, '/表彰 异议'))).toContain('优秀共产党员·张三｜匿名：群众反映服务态度有待改进');

    // Confirmation waits for the end of 公示.
    expect(textOf(await bot.sayPrivately(ADMIN, '/表彰 确认'))).toMatch(/^公示期至 .* 24:00，期满后才能确认。$/);
    bot.clock.set(new Date(now.getTime() + 10 * 24 * HOUR));
    const beforeFinal = bot.sent.length;
    expect(textOf(await bot.sayPrivately(ADMIN, '/表彰 确认'))).toBe('表彰名单已确认：2 名，已在各支部群公布并向受表彰者致贺。');
    await bot.settle();
    const after = bot.sent.slice(beforeFinal);
    expect(
      after
        .filter((m) => cardOf(m.content)?.title.startsWith('表彰决定'))
        .map((m) => m.to)
        .sort(),
    ).toEqual([CHAT_A, CHAT_B]);
    const congrats = after.filter((m) => cardOf(m.content)?.title.includes('祝贺'));
    expect(congrats.map((m) => [m.to, cardOf(m.content)!.title])).toEqual(
      expect.arrayContaining([
        ['a2', '祝贺您：优秀共产党员'],
        [CHAT_A, '热烈祝贺：先进党支部'],
      ]),
    );
    expect((await bot.db.select().from(commendNominees)).map((n) => [n.name, n.status]).sort()).toEqual(
      [
        ['张三', 'awarded'],
        ['后勤第一党支部', 'awarded'],
        ['王书记', 'rejected'],
      ].sort(),
    );
    const cert = await port.certificate(deps, id('张三'));
    expect(cert).toMatchObject({ kind: 'certificate', title: '优秀共产党员', name: '张三', branch: '后勤第一党支部' });
    expect(await port.certificate(deps, id('王书记'))).toBeNull();
    const audited = (await bot.db.select().from(auditLog)).map((r) => r.action).filter((a) => a.startsWith('commend.'));
    expect(audited).toEqual(expect.arrayContaining(['commend.nominate', 'commend.voting', 'commend.publicity', 'commend.confirm']));
    // The final card shows the list as decided; nominating is over.
    const final = await results();
    expect(final.subtitle).toMatch(/评选表彰：名单已确认/);
    expect(actionsOf(final).filter((a) => a.id === COMMEND_ACTIONS.nominate.id)).toHaveLength(0);
  });
});
