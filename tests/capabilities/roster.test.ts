// The roster is not the chat (issue 13): /同步 brings new chat members in as 待确认 until their secretary
// confirms a 政治面貌 (one tap each); only party members enter a campaign's pledges and peer review; and
// one person holds several roles (a branch's 书记 who also sits on the committee) and does both jobs.
import { and, asc, eq, isNull } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditLog, campaignPhases, campaignRoster, leaderLinks, members, reviewRoundMembers } from '../../db/schema.js';
import { REVIEW_ACTIONS } from '../../cards/review-cards.js';
import { actionsOf, cardOf, cardText, type NeutralBot, type Person, startNeutralBot, textOf } from '../support/neutral.js';
import { ADMIN, answered, BRANCH_A, BRANCH_B, CHAT_A, CHAT_B, LEADER, setUpOrg } from '../support/neutral-org.js';

const HOUR = 3600_000;
const MASSES: Person = { id: 'm1', name: '孙群众' };
let bot: NeutralBot;

afterEach(async () => bot.close());

const memberId = async (userId: string) => (await bot.db.select().from(members).where(eq(members.userId, userId)))[0]!.id;
const headline = (m: { content: unknown }) => cardOf(m.content as never)?.title ?? textOf(m.content as never) ?? '';

describe('/同步 and 待确认', () => {
  beforeEach(async () => {
    bot = await startNeutralBot({ admins: [ADMIN], now: '2026-08-20T10:00:00+08:00' });
    await answered(bot, ADMIN, CHAT_A, '/绑定 后勤第一党支部');
    await answered(bot, ADMIN, CHAT_B, '/绑定 后勤第二党支部');
    bot.setChatMembers(CHAT_A, [...BRANCH_A, MASSES]);
    bot.setChatMembers(CHAT_B, BRANCH_B);
    await answered(bot, ADMIN, CHAT_A, `/角色 @${BRANCH_A[0]!.name} 书记`, [BRANCH_A[0]!]);
    await answered(bot, ADMIN, CHAT_B, `/角色 @${BRANCH_B[0]!.name} 书记`, [BRANCH_B[0]!]);
  });

  it('brings new chat members in as 待确认, confirmed one tap each by their own secretary, and audited', async () => {
    const before = bot.sent.length;
    const synced = cardText(cardOf(await answered(bot, ADMIN, CHAT_A, '/同步')));
    expect(synced).toContain('待确认政治面貌 3 人**：张三、李四、孙群众（确认卡片已私信发送给本支部书记');
    // The buttons go privately to the secretary, not to the group.
    const dms = bot.sent.slice(before).filter((m) => m.to !== CHAT_A);
    expect(dms.map((m) => m.to)).toEqual(['a1']);
    const card = cardOf(dms.find((m) => m.to === 'a1')!.content);
    expect(card!.title).toBe('后勤第一党支部 名册确认');
    expect(cardText(card)).not.toContain('王书记'); // the secretary was appointed, so confirmed
    expect(actionsOf(cardOf(bot.sent.slice(before).find((m) => m.to === CHAT_A)!.content))).toEqual([]);
    const buttons = actionsOf(card);
    const choice = (m: number, s: string) => buttons.find((a) => a.id === 'roster.confirm' && a.args?.m === String(m) && a.args?.s === s)!;
    const [zhang, li, sun] = [await memberId('a2'), await memberId('a3'), await memberId('m1')];
    expect(choice(zhang, 'full')).toBeDefined();

    // Another branch's secretary cannot settle them, in the chat or from a forwarded card; nothing changes.
    expect((await bot.press('b1', choice(zhang, 'full'), {}, CHAT_A)).toast).toEqual({ type: 'error', text: '仅限管理员或本支部书记操作。' });
    expect((await bot.press('b1', choice(zhang, 'full'))).toast).toEqual({ type: 'warning', text: '只有本支部书记或管理员可以确认成员的政治面貌。' });
    expect((await bot.db.select().from(members).where(eq(members.id, zhang)))[0]!.politicalStatus).toBe('pending');

    const first = await bot.press('a1', choice(zhang, 'full'), {}, CHAT_A);
    expect(first.toast!.text).toBe('已确认 张三 为正式党员。');
    expect(cardText(first.card)).toContain('待确认政治面貌 2 人');
    await bot.press('a1', choice(li, 'probationary'), {}, CHAT_A);
    const last = await bot.press('a1', choice(sun, 'masses'), {}, CHAT_A);
    expect(cardText(last.card)).toContain('本支部没有待确认的成员');
    // Pressing again changes nothing.
    expect((await bot.press('a1', choice(sun, 'full'), {}, CHAT_A)).toast!.text).toBe('孙群众 已确认过，无需重复操作。');

    const rows = await bot.db.select().from(members).orderBy(asc(members.id));
    expect(Object.fromEntries(rows.map((m) => [m.name, m.politicalStatus]))).toMatchObject({ 张三: 'full', 李四: 'probationary', 孙群众: 'masses' });
    const audits = await bot.db.select().from(auditLog).where(eq(auditLog.action, 'member.confirm'));
    expect(audits.map((a) => a.detail)).toEqual([
      { memberIds: [zhang], status: 'full' },
      { memberIds: [li], status: 'probationary' },
      { memberIds: [sun], status: 'masses' },
    ]);
    expect(textOf(await answered(bot, 'a3', CHAT_A, '/我是谁'))).toContain('政治面貌：预备党员');
    expect(textOf(await answered(bot, 'a1', CHAT_A, '/名册'))).toBe('已私信发送本支部名册，请在与我的单聊中查看。');
    expect(cardText(cardOf(bot.sent.findLast((m) => m.to === 'a1')!.content))).toContain('名册 4 人：正式党员 2，预备党员 1，入党积极分子 0，群众 1，待确认 0');
  });

  it('keeps a 群众 and the unconfirmed out of the campaign: no pledge form, no peer ballot, not addable', async () => {
    await answered(bot, 'a1', CHAT_A, '/同步');
    await answered(bot, 'a1', CHAT_A, '/名册 确认 @张三 正式党员', [BRANCH_A[1]!]);
    await answered(bot, 'a1', CHAT_A, '/名册 确认 @孙群众 群众', [MASSES]);
    // 李四 stays 待确认.
    await answered(bot, ADMIN, CHAT_A, '/活动 新建 三亮三比三评 2026-08-21');
    const c = (await bot.db.select().from(campaignRoster).where(isNull(campaignRoster.removedAt))).map((r) => r.memberId).sort();
    expect(c).toEqual([await memberId('a1'), await memberId('a2'), await memberId('b1')].sort());

    const phases = await bot.db.select().from(campaignPhases).orderBy(asc(campaignPhases.seq));
    const pledge = phases.find((p) => p.kind === 'pledge')!;
    bot.clock.set(new Date(pledge.opensAt.getTime() + 10 * HOUR));
    await bot.tick();
    const forms = bot.sent.filter((m) => headline(m).includes('承诺') && m.to.length <= 2).map((m) => m.to);
    expect(forms).toContain('a2');
    expect(forms).not.toContain('m1');
    expect(forms).not.toContain('a3');

    await answered(bot, ADMIN, CHAT_A, '/活动 阶段 党员互评');
    const peer = phases.find((p) => p.title === '党员互评')!;
    bot.clock.set(new Date(Math.max(bot.clock.now().getTime(), peer.opensAt.getTime()) + HOUR));
    await bot.tick();
    const rated = (await bot.db.select().from(reviewRoundMembers)).map((r) => r.memberId);
    expect(rated.length).toBeGreaterThan(0);
    expect(rated).not.toContain(await memberId('m1'));
    expect(rated).not.toContain(await memberId('a3'));

    const refused = await answered(bot, 'a1', CHAT_A, '/活动 名册 添加 @孙群众', [MASSES]);
    expect(textOf(refused)).toContain('孙群众 的政治面貌是「群众」，本活动只面向正式党员、预备党员。');
  });

  it('lets a secretary correct a confirmed 政治面貌, audited with what it was', async () => {
    await answered(bot, 'a1', CHAT_A, '/同步');
    await answered(bot, 'a1', CHAT_A, '/名册 确认 @李四 预备党员', [BRANCH_A[2]!]);
    expect(textOf(await answered(bot, 'a1', CHAT_A, '/名册 确认 @李四 正式党员', [BRANCH_A[2]!]))).toBe('已确认 李四 为正式党员。');
    const [audit] = await bot.db.select().from(auditLog).where(eq(auditLog.action, 'member.status'));
    expect(audit!.detail).toEqual({ from: 'probationary', to: 'full' });
    expect(textOf(await answered(bot, 'a1', CHAT_A, '/名册 确认 @李四 党员员', [BRANCH_A[2]!]))).toContain('请写明政治面貌');
    expect(textOf(await answered(bot, 'b1', CHAT_B, '/名册 确认 @李四 群众', [BRANCH_A[2]!]))).toContain('不在「后勤第二党支部」名册中');
  });
});

describe('several roles per person', () => {
  beforeEach(async () => {
    bot = await startNeutralBot({ admins: [ADMIN], now: '2026-08-20T10:00:00+08:00' });
    await setUpOrg(bot);
  });

  it('a branch secretary who also sits on the committee pledges in their branch and reviews the branch they link', async () => {
    const made = textOf(await answered(bot, ADMIN, CHAT_B, `/角色 @王书记 委员`, [BRANCH_A[0]!]));
    expect(made).toBe('王书记 现为「后勤第一党支部」的支部书记，同时为党委委员，联系「后勤第二党支部」。');
    const who = textOf(await answered(bot, 'a1', CHAT_A, '/我是谁'))!;
    expect(who).toContain('身份：支部书记、党委委员');
    expect(who).toContain('所在支部：后勤第一党支部');
    expect(who).toContain('联系支部：后勤第二党支部');

    await answered(bot, ADMIN, CHAT_A, '/活动 新建 三亮三比三评 2026-08-21');
    const [entry] = await bot.db
      .select()
      .from(campaignRoster)
      .where(and(eq(campaignRoster.memberId, await memberId('a1'))));
    expect(entry).toMatchObject({ role: 'secretary', committee: true });

    const phases = await bot.db.select().from(campaignPhases).orderBy(asc(campaignPhases.seq));
    const pledge = phases.find((p) => p.kind === 'pledge')!;
    bot.clock.set(new Date(pledge.opensAt.getTime() + 10 * HOUR));
    await bot.tick();
    expect(bot.sent.some((m) => m.to === 'a1' && headline(m).includes('承诺'))).toBe(true);

    await answered(bot, ADMIN, CHAT_A, '/活动 阶段 领导点评');
    const leaderPhase = phases.find((p) => p.kind === 'review' && p.respond === 'leader')!;
    bot.clock.set(new Date(bot.clock.now().getTime() + HOUR));
    await bot.tick();
    const reviewForms = bot.sent.filter((m) => headline(m).startsWith('领导点评 · ')).map((m) => `${m.to} ${headline(m)}`);
    expect(reviewForms.sort()).toEqual(['a1 领导点评 · 后勤第二党支部', `${LEADER.id} 领导点评 · 后勤第一党支部`]);
    const branchB = (await bot.db.select().from(members).where(eq(members.userId, 'b1')))[0]!.branchId!;
    const ok = await bot.press(
      'a1',
      { ...REVIEW_ACTIONS.leaderSubmit, args: { p: String(leaderPhase.id), b: String(branchB) } },
      {
        g_leadership: 'good',
        g_members: 'good',
        g_mechanism: 'good',
        g_performance: 'good',
        g_reputation: 'good',
        strengths: '服务热情',
        problems: '记录不全',
        direction: '规范台账',
      },
    );
    expect(ok.toast).toEqual({ type: 'success', text: '点评已提交，已发送支部书记和党委并记入台账' });
    // Still the secretary of their own branch.
    expect(cardOf((await bot.sayPrivately('a1', '/名册'))!)!.title).toBe('后勤第一党支部 名册');

    expect(textOf(await answered(bot, ADMIN, CHAT_B, '/角色 @王书记 取消委员', [BRANCH_A[0]!]))).toBe('王书记 已不再是党委委员，原联系的支部已解除。');
    expect(
      await bot.db
        .select()
        .from(leaderLinks)
        .where(eq(leaderLinks.leaderId, await memberId('a1'))),
    ).toEqual([]);
    expect(textOf(await answered(bot, 'a1', CHAT_A, '/我是谁'))).toContain('身份：支部书记\n');
  });
});
