// The Open API client against the fake: token, uuid idempotency, rate-limit waits, backoff, errors.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FeishuApi } from '../../../bot/platforms/feishu/api.js';
import { PlatformApiError } from '../../../bot/errors.js';
import { virtualGate, type VirtualTime } from '../../support/virtual-gate.js';
import { startFakeFeishu, type FakeFeishu } from '../../support/fake-feishu.js';
import { TEST_APP } from '../../support/feishu-wire.js';

let fake: FakeFeishu;
let sleeps: number[];
let gateWaits: number[];
let api: FeishuApi;

beforeEach(async () => {
  fake = await startFakeFeishu();
  sleeps = [];
  const time: VirtualTime = { now: 0, waits: [] };
  gateWaits = time.waits;
  const gate = virtualGate(time);
  api = new FeishuApi({
    appId: TEST_APP.appId,
    appSecret: TEST_APP.appSecret,
    domain: fake.url,
    gate,
    retry: { sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 },
  });
});
afterEach(async () => fake.close());

const hello = { kind: 'text' as const, text: '你好' };

describe('FeishuApi', () => {
  it('fetches a tenant token once and reuses it', async () => {
    await api.send({ type: 'chat', id: 'oc_1' }, hello, 'k1');
    await api.send({ type: 'user', id: 'ou_1' }, hello, 'k2');
    expect(fake.tokenRequests).toBe(1);
    expect(fake.sent.map((m) => [m.receiveIdType, m.receiveId])).toEqual([
      ['chat_id', 'oc_1'],
      ['open_id', 'ou_1'],
    ]);
  });

  it('makes a sent message an in-app urgent notice (urgent_app) for one user, by open_id', async () => {
    const { messageId } = await api.send({ type: 'user', id: 'ou_1' }, hello, 'k-urgent');
    await api.urgent(messageId, 'ou_1');
    expect(fake.urgents).toEqual([{ messageId, userIdType: 'open_id', userIds: ['ou_1'] }]);
    await expect(api.urgent('om_unknown', 'ou_1')).rejects.toThrow();
  });

  it('sends a stable uuid so a repeated send does not duplicate the message', async () => {
    const a = await api.send({ type: 'chat', id: 'oc_1' }, hello, 'reminder:1:ou_1');
    const b = await api.send({ type: 'chat', id: 'oc_1' }, hello, 'reminder:1:ou_1');
    expect(a.messageId).toBe(b.messageId);
    expect(fake.sent).toHaveLength(1);
    expect(fake.sent[0]!.uuid!.length).toBeLessThanOrEqual(50);
  });

  it('waits the x-ogw-ratelimit-reset seconds after HTTP 429 and then succeeds', async () => {
    fake.failNext('/im/v1/messages', {
      status: 429,
      body: { code: 99991400, msg: 'request trigger frequency limit' },
      headers: { 'x-ogw-ratelimit-reset': '2' },
    });
    const { messageId } = await api.send({ type: 'chat', id: 'oc_1' }, hello, 'k');
    expect(messageId).toMatch(/^om_fake_/);
    expect(gateWaits).toEqual([2000]);
    expect(sleeps).toEqual([]);
    expect(fake.sent).toHaveLength(1);
  });

  it('treats code 99991400 in a 400 answer as a rate limit too', async () => {
    fake.failNext('/im/v1/messages', {
      status: 400,
      body: { code: 99991400, msg: 'request trigger frequency limit' },
      headers: { 'x-ogw-ratelimit-reset': '1' },
    });
    await api.send({ type: 'chat', id: 'oc_1' }, hello, 'k');
    expect(gateWaits).toEqual([1000]);
  });

  it('backs off exponentially on 5xx and gives up after the last try', async () => {
    const err = { status: 503, body: { code: 500, msg: 'busy' } };
    fake.failNext('/im/v1/messages', err, err, err, err);
    const failure = await api.send({ type: 'chat', id: 'oc_1' }, hello, 'k').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(PlatformApiError);
    expect((failure as PlatformApiError).isRetryable).toBe(true);
    expect(sleeps).toEqual([375, 1125, 3375]);
    expect(fake.sent).toHaveLength(0);
  });

  it('does not retry a permanent error', async () => {
    fake.failNext('/im/v1/messages', { status: 400, body: { code: 230002, msg: 'bot not in chat' } });
    const failure = (await api.send({ type: 'chat', id: 'oc_x' }, hello, 'k').catch((e: unknown) => e)) as PlatformApiError;
    expect(failure.isRetryable).toBe(false);
    expect(failure.details.code).toBe(230002);
    expect(sleeps).toEqual([]);
  });

  it('paces sends to one recipient at 5 per second and to the app at 50 per second', async () => {
    for (let i = 0; i < 6; i++) await api.send({ type: 'user', id: 'ou_same' }, hello, `same-${i}`);
    expect(gateWaits).toEqual([200, 200, 200, 200, 200]);
    gateWaits.length = 0;
    await Promise.all([0, 1, 2].map((i) => api.send({ type: 'user', id: `ou_${i}` }, hello, `many-${i}`)));
    expect(gateWaits.every((w) => w <= 200)).toBe(true);
  });

  it('reports a wrong app secret as a non-retryable error', async () => {
    const bad = new FeishuApi({ appId: TEST_APP.appId, appSecret: 'wrong', domain: fake.url, retry: { sleep: async () => {} } });
    await expect(bad.send({ type: 'chat', id: 'oc_1' }, hello, 'k')).rejects.toBeInstanceOf(PlatformApiError);
  });

  it('patches a card and updates one by callback token', async () => {
    const card = { title: '标题', blocks: [{ type: 'markdown' as const, text: '内容' }] };
    await api.updateCard('om_1', card);
    await api.updateLate('c-token', card);
    expect(fake.patches).toMatchObject([{ messageId: 'om_1', content: { schema: '2.0', config: { update_multi: true } } }]);
    expect(fake.cardUpdates).toMatchObject([{ token: 'c-token', card: { schema: '2.0' } }]);
  });

  it('follows has_more across short pages of chat members', async () => {
    fake.setChatMembers(
      'oc_1',
      [1, 2, 3, 4, 5].map((i) => ({ openId: `ou_${i}`, name: `成员${i}` })),
      2,
    );
    const people = await api.listChatMembers('oc_1');
    expect(people.map((p) => p.userId)).toEqual(['ou_1', 'ou_2', 'ou_3', 'ou_4', 'ou_5']);
  });
});

describe('RateGate', () => {
  it('holds back calls that had a slot when a pause begins while they wait', async () => {
    const time: VirtualTime = { now: 0, waits: [] };
    const timeline: Array<[string, number]> = [];
    const gate = virtualGate(time, 0);
    await gate.acquire(null);
    timeline.push(['first', time.now]);
    // A second caller reserves the next slot (20 ms) and waits for it; at 20 ms a 429 asks for 1 s.
    const waiting = gate.acquire(null).then(() => timeline.push(['second', time.now]));
    gate.pause(1000);
    await waiting;
    expect(timeline).toEqual([
      ['first', 0],
      ['second', 1020],
    ]);
  });
});
