// 请假 / 免评: a secretary excuses members of their branch from a phase or for dates; they are not nudged,
// not pending in the digest and the status, and a revoked leave brings the reminders back.
import { asc } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditLog, campaignPhases, memberExemptions } from '../../db/schema.js';
import { cardOf, cardText, type NeutralBot, startNeutralBot, textOf } from '../support/neutral.js';
import { ADMIN, answered, BRANCH_A, BRANCH_B, CHAT_A, CHAT_B, setUpOrg } from '../support/neutral-org.js';

const HOUR = 3600_000;
let bot: NeutralBot;
let pledge: typeof campaignPhases.$inferSelect;
const [SEC, ZHANG, LI] = BRANCH_A as [(typeof BRANCH_A)[0], (typeof BRANCH_A)[0], (typeof BRANCH_A)[0]];

beforeEach(async () => {
  bot = await startNeutralBot({ admins: [ADMIN], now: '2026-08-20T10:00:00+08:00' });
  await setUpOrg(bot);
  await answered(bot, ADMIN, CHAT_A, '/活动 新建 三亮三比三评 2026-09-01');
  pledge = (await bot.db.select().from(campaignPhases).orderBy(asc(campaignPhases.seq))).find((p) => p.kind === 'pledge')!;
  bot.clock.set(new Date(pledge.opensAt.getTime() + 10 * HOUR));
  await bot.tick();
});
afterEach(async () => bot.close());

const nudgedAt = async (at: Date) => {
  const before = bot.sent.length;
  bot.clock.set(at);
  await bot.tick();
  return bot.sent
    .slice(before)
    .filter((m) => cardOf(m.content)?.title.includes('提醒'))
    .map((m) => m.to);
};

describe('请假 and 免评', () => {
  it('excuse members from nudges and from pending, and are audited and revocable', async () => {
    const first = pledge.opensAt.toISOString().slice(0, 10);
    const leave = await answered(bot, SEC.id, CHAT_A, `/请假 @${ZHANG.name} ${first} 2026-12-31 外出培训`, [ZHANG]);
    expect(textOf(leave)).toMatch(new RegExp(`^已登记 张三 ${first} 至 2026-12-31请假（外出培训）：期间不再提醒，不计入未完成。`));
    expect(textOf(await answered(bot, SEC.id, CHAT_A, `/免评 @${LI.name} 亮承诺 长期病假`, [LI]))).toBe(
      '已登记 李四 「亮承诺」免评（长期病假）：期间不再提醒，不计入未完成。撤销：/免评 撤销 @李四',
    );
    // Refusals: no reason, another branch's member, a member trying it.
    expect(textOf(await answered(bot, SEC.id, CHAT_A, `/免评 @${LI.name} 亮承诺`, [LI]))).toBe('请写明免评理由。');
    expect(textOf(await answered(bot, BRANCH_B[0]!.id, CHAT_B, `/请假 @${ZHANG.name} 亮承诺 事假`, [ZHANG]))).toBe(
      '张三 不是本支部党员，请由其支部书记或管理员办理。',
    );
    expect(textOf(await answered(bot, ZHANG.id, CHAT_A, `/请假 @${LI.name} 亮承诺 事假`, [LI]))).toContain('仅限本支部书记或管理员使用');
    expect(await bot.db.select().from(memberExemptions)).toHaveLength(2);
    expect((await bot.db.select().from(auditLog)).filter((r) => r.action.startsWith('exemption.')).map((r) => r.action)).toEqual([
      'exemption.leave',
      'exemption.exempt',
    ]);

    // The 3-day nudge skips both; the secretary's digest lists them apart; the status counts them.
    const nudged = await nudgedAt(new Date(pledge.closesAt.getTime() - 3 * 24 * HOUR + 11 * HOUR));
    expect(nudged).toEqual(expect.arrayContaining([SEC.id, BRANCH_B[1]!.id]));
    expect(nudged).not.toContain(ZHANG.id);
    expect(nudged).not.toContain(LI.id);
    const digest = bot.sent.filter((m) => m.to === SEC.id && cardOf(m.content)?.title === '每日进度：后勤第一党支部').at(-1)!;
    expect(cardText(cardOf(digest.content))).toContain('已完成 **0/1** 人');
    expect(cardText(cardOf(digest.content))).toContain('请假/免评（2 人）：张三、李四');
    expect(cardText(cardOf(await answered(bot, ADMIN, CHAT_A, '/活动')))).toContain('- 后勤第一党支部：0/1（0%），请假/免评 2 人');
    expect(cardText(cardOf(await bot.sayPrivately(ADMIN, '/活动 总览')))).toContain('后勤第一党支部 0/1（0%，请假/免评 2 人）');

    // Revoked: the next nudge reaches 张三 again.
    expect(textOf(await answered(bot, SEC.id, CHAT_A, `/请假 撤销 @${ZHANG.name}`, [ZHANG]))).toBe('已撤销 张三 的 1 项请假/免评。');
    const later = await nudgedAt(new Date(pledge.closesAt.getTime() - 1 * 24 * HOUR + 11 * HOUR));
    expect(later).toContain(ZHANG.id);
    expect(later).not.toContain(LI.id);
  });
});
