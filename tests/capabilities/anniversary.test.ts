// Party-joining anniversaries (seed 003): the warm card on the day, once, with an opt-out.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { anniversaryJobs } from '../../bot/engine/anniversary.js';
import { ANNIVERSARY_OPT } from '../../cards/anniversary-card.js';
import { actionsOf, cardOf, cardText, type NeutralBot, pushed, startNeutralBot, textOf } from '../support/neutral.js';
import { ADMIN, setUpOrg } from '../support/neutral-org.js';

describe('anniversaryJobs', () => {
  const people = [
    { memberId: 1, userId: 'p1', name: '甲', joinedPartyOn: '2001-11-22' },
    { memberId: 2, userId: 'p2', name: '乙', joinedPartyOn: '2004-02-29' },
    { memberId: 3, userId: 'p3', name: '丙', joinedPartyOn: '2026-11-22' },
  ];
  it('picks today’s anniversaries from 09:00 campaign time, not the same-year joiners', () => {
    expect(anniversaryJobs(people, new Date('2026-11-22T08:59:00+08:00'), 'Asia/Shanghai')).toEqual([]);
    const jobs = anniversaryJobs(people, new Date('2026-11-22T09:00:00+08:00'), 'Asia/Shanghai');
    expect(jobs.map((j) => j.key)).toEqual(['anniv:1:2026']);
    expect(cardText(cardOf(jobs[0]!.content))).toContain('已在党 **25** 年');
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
  let bot: NeutralBot;
  beforeEach(async () => {
    bot = await startNeutralBot({ admins: [ADMIN], now: '2026-11-01T10:00:00+08:00' });
    await setUpOrg(bot);
  });
  afterEach(async () => bot.close());

  /** Says something in a direct chat that must be answered; returns the answer. */
  const privately = async (from: string, text: string) => {
    const reply = await bot.sayPrivately(from, text);
    expect(reply, `no answer to ${text}`).not.toBeNull();
    return reply!;
  };

  it('registers a date, greets once on the day, and stops after opting out', async () => {
    const bad = await privately('a2', '/入党日期 2001-13-01');
    expect(textOf(bad)).toBe('入党日期应为 YYYY-MM-DD，例如：/入党日期 2001-07-01');
    const ok = await privately('a2', '/入党日期 2001-11-22');
    expect(textOf(ok)).toContain('已登记入党日期 2001-11-22');

    bot.clock.set('2026-11-22T09:30:00+08:00');
    await bot.tick();
    await bot.tick();
    expect(pushed(bot)).toEqual(['a2 张三同志，政治生日快乐！']);

    // The card's own opt-out button.
    const greeting = bot.sent.find((m) => m.via === 'send' && m.to === 'a2')!;
    const optOut = actionsOf(cardOf(greeting.content)).find((a) => a.id === ANNIVERSARY_OPT.id);
    expect(optOut).toEqual({ ...ANNIVERSARY_OPT, args: { on: '0' } });
    const res = await bot.press('a2', optOut!);
    expect(res.toast!.text).toBe('已关闭，发送 /纪念日 开启 可恢复。');
    bot.clock.set('2027-11-22T09:30:00+08:00');
    await bot.tick();
    expect(pushed(bot)).toHaveLength(1);

    await privately('a2', '/纪念日 开启');
    bot.clock.set('2027-11-22T10:30:00+08:00');
    await bot.tick();
    expect(pushed(bot)).toEqual(['a2 张三同志，政治生日快乐！', 'a2 张三同志，政治生日快乐！']);
  });

  it('refuses /入党日期 from someone not on the roster', async () => {
    const reply = await privately('stranger', '/入党日期 2001-11-22');
    expect(textOf(reply)).toContain('仅限党员或党委委员使用');
  });
});
