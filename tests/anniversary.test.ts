// Party-joining anniversaries (seed 003): the warm card on the day, once, with an opt-out.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { anniversaryJobs } from '../bot/engine/anniversary.js';
import { cardActionEvent } from './support/feishu-wire.js';
import { startTestBot, type TestBot } from './support/harness.js';
import { ADMIN, pushed, sayPrivately, setUpOrg } from './support/org.js';

describe('anniversaryJobs', () => {
  const people = [
    { memberId: 1, userId: 'ou_1', name: '甲', joinedPartyOn: '2001-11-22' },
    { memberId: 2, userId: 'ou_2', name: '乙', joinedPartyOn: '2004-02-29' },
    { memberId: 3, userId: 'ou_3', name: '丙', joinedPartyOn: '2026-11-22' },
  ];
  it('picks today’s anniversaries from 09:00 campaign time, not the same-year joiners', () => {
    expect(anniversaryJobs(people, new Date('2026-11-22T08:59:00+08:00'), 'Asia/Shanghai')).toEqual([]);
    const jobs = anniversaryJobs(people, new Date('2026-11-22T09:00:00+08:00'), 'Asia/Shanghai');
    expect(jobs.map((j) => j.key)).toEqual(['anniv:1:2026']);
    expect(JSON.stringify(jobs[0]!.content)).toContain('已在党 **25** 年');
  });
  it('celebrates 29 February on the 28th in other years', () => {
    expect(anniversaryJobs(people, new Date('2027-02-28T10:00:00+08:00'), 'Asia/Shanghai').map((j) => j.key)).toEqual(['anniv:2:2027']);
    expect(anniversaryJobs(people, new Date('2028-02-28T10:00:00+08:00'), 'Asia/Shanghai')).toEqual([]);
    expect(anniversaryJobs(people, new Date('2028-02-29T10:00:00+08:00'), 'Asia/Shanghai').map((j) => j.key)).toEqual(['anniv:2:2028']);
  });
  it('uses the local date: 23:30 UTC on the 21st is already the 22nd in Shanghai', () => {
    expect(anniversaryJobs(people, new Date('2026-11-22T01:30:00Z'), 'Asia/Shanghai').map((j) => j.key)).toEqual(['anniv:1:2026']);
  });
});

describe('the anniversary card over the bot', () => {
  let bot: TestBot;
  beforeEach(async () => {
    bot = await startTestBot({ admins: [ADMIN], now: '2026-11-01T10:00:00+08:00' });
    await setUpOrg(bot);
  });
  afterEach(async () => bot.close());

  it('registers a date, greets once on the day, and stops after opting out', async () => {
    const bad = await sayPrivately(bot, 'ou_a2', '/入党日期 2001-13-01');
    expect(bad.content).toEqual({ text: '入党日期应为 YYYY-MM-DD，例如：/入党日期 2001-07-01' });
    const ok = await sayPrivately(bot, 'ou_a2', '/入党日期 2001-11-22');
    expect((ok.content as { text: string }).text).toContain('已登记入党日期 2001-11-22');

    bot.clock.set('2026-11-22T09:30:00+08:00');
    await bot.tick();
    await bot.tick();
    expect(pushed(bot)).toEqual(['ou_a2 张三同志，政治生日快乐！']);

    const res = await bot.deliver(cardActionEvent({ from: 'ou_a2', value: { a: 'anniversary.opt', v: 1, on: '0' } }));
    expect(((await res.json()) as { toast: { content: string } }).toast.content).toBe('已关闭，发送 /纪念日 开启 可恢复。');
    bot.clock.set('2027-11-22T09:30:00+08:00');
    await bot.tick();
    expect(pushed(bot)).toHaveLength(1);

    await sayPrivately(bot, 'ou_a2', '/纪念日 开启');
    bot.clock.set('2027-11-22T10:30:00+08:00');
    await bot.tick();
    expect(pushed(bot)).toEqual(['ou_a2 张三同志，政治生日快乐！', 'ou_a2 张三同志，政治生日快乐！']);
  });

  it('refuses /入党日期 from someone not on the roster', async () => {
    const reply = await sayPrivately(bot, 'ou_stranger', '/入党日期 2001-11-22');
    expect((reply.content as { text: string }).text).toContain('仅限党员或党委委员使用');
  });
});
