// The DingTalk robot callback route: signature vector, freshness window, bad input -> 4xx and nothing processed.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dingTalkSign, verifyDingTalk } from '../../../bot/platforms/dingtalk/verify.js';
import { processedEvents } from '../../../db/schema.js';
import { DT_APP, dtHeaders, dtMessage } from '../../support/dingtalk-wire.js';
import { GROUP_A, startDingTalkBot, type DtBot } from '../../support/dingtalk-harness.js';

describe('the DingTalk sign', () => {
  it('matches the documented vector', () => {
    expect(dingTalkSign('1577262236757', 'this is secret')).toBe('hmPWwU+7lVdm3ZZz0r9tSfx0L4Q26jWOZr9+Gs6EZQM=');
  });

  it('accepts within an hour either way and refuses 61 minutes off', () => {
    const ts = 1577262236757;
    const sign = 'hmPWwU+7lVdm3ZZz0r9tSfx0L4Q26jWOZr9+Gs6EZQM=';
    expect(() => verifyDingTalk(String(ts), sign, 'this is secret', new Date(ts + 59 * 60_000))).not.toThrow();
    expect(() => verifyDingTalk(String(ts), sign, 'this is secret', new Date(ts - 59 * 60_000))).not.toThrow();
    expect(() => verifyDingTalk(String(ts), sign, 'this is secret', new Date(ts + 61 * 60_000))).toThrow(/window/);
    expect(() => verifyDingTalk(String(ts), sign, 'this is secret', new Date(ts - 61 * 60_000))).toThrow(/window/);
    expect(() => verifyDingTalk(String(ts), `${sign.slice(0, -2)}A=`, 'this is secret', new Date(ts))).toThrow(/mismatch/);
    expect(() => verifyDingTalk(String(ts), sign, 'another secret', new Date(ts))).toThrow(/mismatch/);
  });
});

describe('POST /webhooks/dingtalk', () => {
  let bot: DtBot;
  beforeEach(async () => {
    bot = await startDingTalkBot();
  });
  afterEach(async () => bot.close());

  const body = () => JSON.stringify(dtMessage({ from: 'a2', group: GROUP_A, text: '/帮助' }));
  const nothingProcessed = async () => {
    await bot.settle();
    expect(bot.fake.sent).toHaveLength(0);
    expect(await bot.db.select().from(processedEvents)).toHaveLength(0);
  };

  it('refuses a wrong sign with 401', async () => {
    const res = await bot.post(body(), dtHeaders(bot.clock.now().getTime(), 'not the secret'));
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'unauthorized' });
    await nothingProcessed();
  });

  it('refuses missing headers with 401', async () => {
    const res = await bot.post(body(), { 'content-type': 'application/json' });
    expect(res.status).toBe(401);
    await nothingProcessed();
  });

  it('refuses a correctly signed but stale timestamp (61 min) with 401', async () => {
    const res = await bot.post(body(), dtHeaders(bot.clock.now().getTime() - 61 * 60_000));
    expect(res.status).toBe(401);
    await nothingProcessed();
  });

  it('refuses a replayed sign with a changed timestamp header', async () => {
    const headers = dtHeaders(bot.clock.now().getTime());
    const res = await bot.post(body(), { ...headers, timestamp: String(bot.clock.now().getTime() + 1) });
    expect(res.status).toBe(401);
    await nothingProcessed();
  });

  it('answers malformed JSON with 400', async () => {
    const res = await bot.post('{"msgId": ');
    expect(res.status).toBe(400);
    expect(await res.text()).not.toMatch(/at .*\.ts/);
    await nothingProcessed();
  });

  it('answers JSON that is not an object, or lacks the fields, with 400', async () => {
    for (const raw of [
      '[]',
      '"text"',
      '42',
      JSON.stringify({ msgtype: 'text' }),
      JSON.stringify({ ...dtMessage({ from: 'a2', text: 'x' }), conversationType: 3 }),
    ]) {
      expect((await bot.post(raw)).status).toBe(400);
    }
    const wrongText = { ...dtMessage({ from: 'a2', text: 'x' }), text: 'not an object' };
    expect((await bot.post(JSON.stringify(wrongText))).status).toBe(400);
    await nothingProcessed();
  });

  it('answers a body of another content type with 415', async () => {
    const res = await bot.post(body(), { ...dtHeaders(bot.clock.now().getTime()), 'content-type': 'text/plain' });
    expect(res.status).toBe(415);
    await nothingProcessed();
  });

  it('answers an oversized body with 413', async () => {
    const big = JSON.stringify({ ...dtMessage({ from: 'a2', text: 'x' }), padding: 'x'.repeat(70 * 1024) });
    const res = await bot.post(big);
    expect(res.status).toBe(413);
    await nothingProcessed();
  });

  it('ignores (200) a message from someone without a staff id', async () => {
    const res = await bot.deliver({ ...dtMessage({ from: 'a2', text: '/帮助' }), senderStaffId: undefined });
    expect(res.status).toBe(200);
    await nothingProcessed();
  });

  it('never logs the app secret or the access token', async () => {
    await bot.deliver(dtMessage({ from: 'a2', group: GROUP_A, text: '/帮助' }));
    await bot.settle();
    expect(bot.fake.sent).toHaveLength(1);
    const logged = bot.logLines.join('\n');
    expect(logged).not.toContain(DT_APP.clientSecret);
    expect(logged).not.toContain('fake-token-');
  });
});
