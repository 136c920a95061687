// Quiet hours hold for everything a command sends to others: a peer round opened at 23:00 answers the
// secretary at once, and its invitations wait for 08:00; a committee vote list likewise.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { outbox } from '../../db/schema.js';
import { cardOf, type NeutralBot, startNeutralBot, textOf } from '../support/neutral.js';
import { ADMIN, answered, BRANCH_A, CHAT_A, setUpOrg } from '../support/neutral-org.js';

let bot: NeutralBot;

beforeEach(async () => {
  bot = await startNeutralBot({ admins: [ADMIN], now: '2026-11-02T10:00:00+08:00' });
  await setUpOrg(bot);
});
afterEach(async () => bot.close());

describe('quiet hours for sends to others', () => {
  it('answer the sender at 23:00 and hold the invitations until 08:00', async () => {
    bot.clock.set(new Date('2026-11-02T23:00:00+08:00'));
    const before = bot.sent.length;
    expect(textOf(await answered(bot, BRANCH_A[0]!.id, CHAT_A, '/评议 开始'))).toMatch(/^已开始「后勤第一党支部」党员互评/);
    await bot.settle();
    const invited = (since: number) =>
      bot.sent
        .slice(since)
        .filter((m) => cardOf(m.content)?.title.startsWith('请参加党员互评'))
        .map((m) => m.to);
    expect(invited(before)).toEqual([]);
    const rows = (await bot.db.select().from(outbox)).filter((r) => r.dedupeKey.includes(':invite:'));
    expect(rows.length).toBe(BRANCH_A.length);
    expect(rows.every((r) => r.notBefore.toISOString() === new Date('2026-11-03T08:00:00+08:00').toISOString())).toBe(true);
    bot.clock.set(new Date('2026-11-03T08:01:00+08:00'));
    await bot.tick();
    expect(invited(before).sort()).toEqual(BRANCH_A.map((p) => p.id).sort());
  });
});
