// The phase engine's sends over Feishu's wire: what the Open API answers (a 5xx, a 429 with its reset
// header) and the idempotency uuid each message carries. The engine itself is tested over the neutral
// harness in tests/capabilities/campaign-engine.test.ts.
import { and, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { outbox } from '../../../db/schema.js';
import { startTestBot, type TestBot } from '../../support/harness.js';
import { ADMIN, CHAT_A, CHAT_B, pushed, say, setUpOrg } from '../../support/org.js';

const HOUR = 3600_000;

let bot: TestBot;
beforeEach(async () => {
  bot = await startTestBot({ admins: [ADMIN], now: '2026-09-10T10:00:00+08:00' });
  await setUpOrg(bot);
  await say(bot, ADMIN, CHAT_A, '/活动 新建 示范岗 2026-09-15');
});
afterEach(async () => bot.close());

async function tickAt(at: Date) {
  bot.clock.set(at);
  return bot.tick();
}

describe('sending over the Feishu wire', () => {
  it('dead-letters a message after repeated 5xx and shows it to admins in /campaign', async () => {
    bot.fake.failRecipient(CHAT_B, { status: 503, body: { code: 500, msg: 'server busy' } });
    const start = new Date('2026-09-15T08:00:00+08:00');
    for (let i = 0; i < 8; i++) await tickAt(new Date(start.getTime() + i * 3 * HOUR));
    const dead = await bot.db.select().from(outbox).where(eq(outbox.status, 'dead'));
    expect(dead.map((d) => d.receiveId)).toEqual([CHAT_B, CHAT_B]);
    expect(dead[0]!.attempts).toBe(5);
    expect(pushed(bot).filter((p) => p.startsWith(CHAT_A))).toHaveLength(2);
    const status = await say(bot, ADMIN, CHAT_A, '/活动');
    expect(JSON.stringify(status.content)).toContain('发送失败 2');
    const memberView = await say(bot, 'ou_a2', CHAT_A, '/活动');
    expect(JSON.stringify(memberView.content)).not.toContain('发送失败');
  });

  it('honours the rate-limit wait Feishu asks for, and gives each message its own uuid', async () => {
    bot.fake.failNext('/open-apis/im/v1/messages', {
      status: 429,
      body: { code: 99991400, msg: 'request trigger frequency limit' },
      headers: { 'x-ogw-ratelimit-reset': '3' },
    });
    await tickAt(new Date('2026-09-15T08:00:00+08:00'));
    expect(bot.gateWaits.some((w) => w >= 3000)).toBe(true);
    expect(pushed(bot)).toHaveLength(4);
    expect(
      (
        await bot.db
          .select()
          .from(outbox)
          .where(and(eq(outbox.status, 'sent'), eq(outbox.priority, 1)))
      ).length,
    ).toBe(4);
    const uuids = bot.fake.sent.filter((s) => s.via === 'create').map((s) => s.uuid);
    expect(uuids).toHaveLength(4);
    expect(new Set(uuids).size).toBe(uuids.length);
  });
});
