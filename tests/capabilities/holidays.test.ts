// Holidays mean holidays: a phase that opens in one is announced (and its forms sent) the first
// morning after it; a deadline inside one moves past it by the days it took, announced to every branch.
import { asc, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addDays, localDate } from '../../bot/time.js';
import { campaignPhases } from '../../db/schema.js';
import { type NeutralBot, pushed, startNeutralBot, textOf } from '../support/neutral.js';
import { ADMIN, answered, CHAT_A, CHAT_B, setUpOrg } from '../support/neutral-org.js';

const TZ = 'Asia/Shanghai';
let bot: NeutralBot;
let pledge: typeof campaignPhases.$inferSelect;

beforeEach(async () => {
  bot = await startNeutralBot({ admins: [ADMIN], now: '2026-08-20T10:00:00+08:00' });
  await setUpOrg(bot);
  await answered(bot, ADMIN, CHAT_A, '/活动 新建 三亮三比三评 2026-09-01');
  pledge = (await bot.db.select().from(campaignPhases).orderBy(asc(campaignPhases.seq))).find((p) => p.kind === 'pledge')!;
});
afterEach(async () => bot.close());

const day = (d: Date) => localDate(d, TZ);
const lastDay = () => day(new Date(pledge.closesAt.getTime() - 1));

describe('holidays', () => {
  it('move a deadline that falls inside them, announced in every branch chat', async () => {
    const from = addDays(lastDay(), -2);
    const to = addDays(lastDay(), 5);
    const before = bot.sent.length;
    const reply = textOf(await answered(bot, ADMIN, CHAT_A, `/活动 假期 ${from} ${to}`))!;
    // Three days of the phase fell in the holiday: it now ends three days after it.
    const newLast = addDays(to, 3);
    expect(reply).toContain(`「亮承诺」截止顺延至 ${newLast} 24:00`);
    await bot.settle();
    const told = bot.sent.slice(before).filter((m) => textOf(m.content)?.startsWith('因假期'));
    expect(told.map((m) => m.to).sort()).toEqual([CHAT_A, CHAT_B]);
    const [moved] = await bot.db.select().from(campaignPhases).where(eq(campaignPhases.id, pledge.id));
    expect(day(new Date(moved!.closesAt.getTime() - 1))).toBe(newLast);
  });

  it('keep dates when told 不顺延', async () => {
    const reply = textOf(await answered(bot, ADMIN, CHAT_A, `/活动 假期 ${addDays(lastDay(), -1)} ${addDays(lastDay(), 3)} 不顺延`))!;
    expect(reply).toContain('各阶段截止日期不变');
    const [same] = await bot.db.select().from(campaignPhases).where(eq(campaignPhases.id, pledge.id));
    expect(same!.closesAt.getTime()).toBe(pledge.closesAt.getTime());
  });

  it('hold the announcement and forms of a phase opening inside them until the morning after', async () => {
    const opens = day(pledge.opensAt);
    await answered(bot, ADMIN, CHAT_A, `/活动 假期 ${addDays(opens, -1)} ${addDays(opens, 2)} 不顺延`);
    const m = bot.sent.length;
    bot.clock.set(new Date(`${opens}T10:00:00+08:00`));
    await bot.tick();
    expect(pushed(bot, m)).toEqual([]);
    bot.clock.set(new Date(`${addDays(opens, 3)}T08:05:00+08:00`));
    await bot.tick();
    const after = pushed(bot, m);
    expect(after.some((s) => s.startsWith(`${CHAT_A} `) && s.includes('亮承诺'))).toBe(true);
    expect(after.some((s) => s.endsWith('亮承诺：填写我的承诺'))).toBe(true);
  });

  it('hold what the capabilities send by themselves too: a peer round opening in a holiday invites after it', async () => {
    const peer = (await bot.db.select().from(campaignPhases).orderBy(asc(campaignPhases.seq))).find((p) => p.kind === 'review' && p.respond === 'member')!;
    const opens = day(peer.opensAt);
    await answered(bot, ADMIN, CHAT_A, `/活动 假期 ${addDays(opens, -1)} ${addDays(opens, 1)} 不顺延`);
    const m = bot.sent.length;
    bot.clock.set(new Date(`${opens}T10:00:00+08:00`));
    await bot.tick();
    expect(pushed(bot, m).filter((s) => s.includes('请参加党员互评'))).toEqual([]);
    bot.clock.set(new Date(`${addDays(opens, 2)}T08:05:00+08:00`));
    await bot.tick();
    expect(pushed(bot, m).filter((s) => s.includes('请参加党员互评')).length).toBeGreaterThan(0);
  });

  it('hold what a command sends to others until after them, never the answer to its sender', async () => {
    const today = day(bot.clock.now());
    await answered(bot, ADMIN, CHAT_A, `/活动 假期 ${today} ${addDays(today, 2)} 不顺延`);
    const m = bot.sent.length;
    const reply = textOf(await answered(bot, 'a1', CHAT_A, '/评议 开始'));
    expect(reply).toContain('已开始');
    await bot.settle();
    expect(bot.sent.slice(m).map((s) => s.to)).toEqual([CHAT_A]);
    bot.clock.set(new Date(`${addDays(today, 1)}T10:00:00+08:00`));
    await bot.tick();
    expect(pushed(bot, m).filter((s) => s.includes('党员互评'))).toEqual([]);
    bot.clock.set(new Date(`${addDays(today, 3)}T08:05:00+08:00`));
    await bot.tick();
    const invited = pushed(bot, m)
      .filter((s) => s.includes('党员互评'))
      .map((s) => s.split(' ')[0])
      .sort();
    expect(invited).toEqual(['a1', 'a2', 'a3']);
  });
});
