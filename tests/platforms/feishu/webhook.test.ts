// The edge of POST /webhooks/feishu: challenges, signatures, tokens, bad bodies, dedupe.
import { afterEach, describe, expect, it } from 'vitest';
import { count } from 'drizzle-orm';
import { createApp } from '../../../bot/app.js';
import { buildDeps } from '../../../bot/runtime.js';
import { systemClock } from '../../../bot/clock.js';
import { parseConfig } from '../../../bot/config.js';
import { memoryLogger } from '../../../bot/log.js';
import { openDatabase } from '../../../db/client.js';
import { processedEvents } from '../../../db/schema.js';
import { challenge, messageEvent, signFeishu, TEST_APP, wire } from '../../support/feishu-wire.js';
import { startTestBot, type TestBot } from '../../support/harness.js';

let bot: TestBot;
afterEach(async () => bot?.close());

describe('url_verification', () => {
  it('echoes a plain challenge when no encrypt key is set', async () => {
    bot = await startTestBot({ encryptKey: null });
    const res = await bot.deliver(challenge());
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ challenge: 'challenge-abc' });
  });

  it('decrypts an encrypted, unsigned challenge and answers in plaintext', async () => {
    bot = await startTestBot();
    const res = await bot.deliver(challenge(TEST_APP.verificationToken, 'c-42'), { unsigned: true });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ challenge: 'c-42' });
  });

  it('refuses a challenge with a wrong token and does not echo it', async () => {
    bot = await startTestBot();
    const res = await bot.deliver(challenge('wrong-token', 'c-43'), { unsigned: true });
    expect(res.status).toBe(401);
    expect(await res.text()).not.toContain('c-43');
  });
});

describe('authenticity', () => {
  it('refuses a bad signature with 401 and does not act', async () => {
    bot = await startTestBot();
    const { body, headers } = wire(messageEvent({ from: 'ou_a', text: '/help' }));
    const res = await bot.post(body, { ...headers, 'x-lark-signature': '0'.repeat(64) });
    expect(res.status).toBe(401);
    await bot.settle();
    expect(bot.fake.sent).toHaveLength(0);
    const [row] = await bot.db.select({ n: count() }).from(processedEvents);
    expect(row!.n).toBe(0);
  });

  it('refuses an event without signature headers once an encrypt key is set', async () => {
    bot = await startTestBot();
    const res = await bot.deliver(messageEvent({ from: 'ou_a', text: '/help' }), { unsigned: true });
    expect(res.status).toBe(401);
  });

  it('refuses a correctly signed event whose token is wrong', async () => {
    bot = await startTestBot();
    const res = await bot.deliver(messageEvent({ from: 'ou_a', text: '/help', token: 'stolen' }));
    expect(res.status).toBe(401);
  });

  it('refuses a body signed with another key', async () => {
    bot = await startTestBot();
    const { body } = wire(messageEvent({ from: 'ou_a', text: '/help' }));
    const other = wire({ x: 1 }, { encryptKey: 'another key' });
    const res = await bot.post(body, other.headers);
    expect(res.status).toBe(401);
  });

  it('checks the token alone when no encrypt key is configured', async () => {
    bot = await startTestBot({ encryptKey: null });
    expect((await bot.deliver(messageEvent({ from: 'ou_a', text: '/help', token: 'nope' }))).status).toBe(401);
    expect((await bot.deliver(messageEvent({ from: 'ou_a', text: '/help' }))).status).toBe(200);
  });
});

describe('unreadable bodies', () => {
  it.each([
    ['not JSON', '{"schema":'],
    ['a JSON array', '[1,2]'],
    ['an empty body', ''],
  ])('answers 400 for %s', async (_, body) => {
    bot = await startTestBot({ encryptKey: null });
    const res = await bot.post(body);
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text).not.toMatch(/at .*\.ts/);
  });

  it('answers 400 when the encrypted payload does not decrypt', async () => {
    bot = await startTestBot();
    const garbage = JSON.stringify({ encrypt: Buffer.alloc(48, 7).toString('base64') });
    const { headers } = wire({}, {});
    // re-sign the garbage body so that the signature passes and only decryption fails
    headers['x-lark-signature'] = signFeishu(headers['x-lark-request-timestamp']!, headers['x-lark-request-nonce']!, TEST_APP.encryptKey, garbage);
    const res = await bot.post(garbage, headers);
    expect(res.status).toBe(400);
  });

  it('answers 400 when an event misses its header fields', async () => {
    bot = await startTestBot();
    const res = await bot.deliver({ schema: '2.0', header: { token: TEST_APP.verificationToken }, event: {} });
    expect(res.status).toBe(400);
  });

  it('answers 200 and ignores event types it does not handle', async () => {
    bot = await startTestBot();
    const res = await bot.deliver({
      schema: '2.0',
      header: { event_id: 'ev_other', event_type: 'im.chat.member.bot.added_v1', token: TEST_APP.verificationToken, tenant_key: 't' },
      event: {},
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
  });
});

describe('dedupe', () => {
  it('acts once on a retried delivery', async () => {
    bot = await startTestBot();
    const event = messageEvent({ from: 'ou_a', text: '/help' });
    expect((await bot.deliver(event)).status).toBe(200);
    await bot.settle();
    expect((await bot.deliver(event)).status).toBe(200);
    await bot.settle();
    expect(bot.fake.sent).toHaveLength(1);
  });

  it('acts once when three deliveries of one event arrive concurrently', async () => {
    bot = await startTestBot();
    const event = messageEvent({ from: 'ou_a', text: '/help' });
    const responses = await Promise.all([bot.deliver(event), bot.deliver(event), bot.deliver(event)]);
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    await bot.settle();
    expect(bot.fake.sent).toHaveLength(1);
    const [row] = await bot.db.select({ n: count() }).from(processedEvents);
    expect(row!.n).toBe(1);
  });
});

describe('without Feishu credentials', () => {
  it('still answers /healthz and says what is missing', async () => {
    const database = await openDatabase(':memory:');
    const log = memoryLogger();
    const app = createApp(buildDeps(parseConfig({}), database.db, log, { clock: systemClock }));
    const health = await app.request('/healthz');
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      ok: true,
      platforms: { feishu: { status: 'not configured', missing: ['FEISHU_APP_ID', 'FEISHU_APP_SECRET', 'FEISHU_VERIFICATION_TOKEN'] } },
    });
    const hook = await app.request('/webhooks/feishu', { method: 'POST', body: '{}' });
    expect(hook.status).toBe(503);
    database.close();
  });
});
