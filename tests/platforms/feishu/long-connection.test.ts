// Feishu long-connection mode (FEISHU_MODE=ws) against a local fake gateway speaking the SDK's protobuf
// frames: events reach the same parser (parseFeishu) and the handler, a card action's answer travels
// back in the frame's response, a malformed event is refused without a crash, a dropped connection is
// reopened by the SDK.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../../bot/log.js';
import { startFeishuLongConnection } from '../../../bot/platforms/feishu/long-connection.js';
import type { IncomingEvent, Reply } from '../../../bot/types.js';
import { cardActionEvent, messageEvent } from '../../support/feishu-wire.js';
import { decodeFrame, type FakeFeishuWs, header, startFakeFeishuWs } from '../../support/fake-feishu-ws.js';

// The SDK accepts only app ids of this shape for a long connection.
const APP = { appId: 'cli_0123456789abcdef', appSecret: 'ws-secret' };

let fake: FakeFeishuWs;
let conn: { stop(): Promise<void> };
let events: IncomingEvent[];
let answer: Reply | null;
const log = memoryLogger();

async function until(check: () => boolean, what: string, ms = 8_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

beforeEach(async () => {
  fake = await startFakeFeishuWs(APP);
  events = [];
  answer = null;
  conn = startFeishuLongConnection({
    settings: { ...APP, verificationToken: 'unused', encryptKey: null, domain: fake.url, mode: 'ws' },
    log,
    handle: async (event) => {
      events.push(event);
      return answer;
    },
  });
  await ready(1);
});

/** The SDK pings as soon as a socket opens and listens for frames just after: wait for the n-th ping. */
async function ready(n: number): Promise<void> {
  await until(() => fake.received.filter((f) => f.method === 0 && header(f, 'type') === 'ping').length >= n, `ping ${n}`);
  await new Promise((r) => setTimeout(r, 50));
}
afterEach(async () => {
  await conn.stop();
  await fake.close();
});

const responseTo = (messageId: string) => fake.received.find((f) => f.method === 1 && header(f, 'message_id') === messageId);
const payloadOf = (messageId: string) => JSON.parse(new TextDecoder().decode(responseTo(messageId)!.payload)) as { code: number; data?: string };

describe('Feishu long connection', () => {
  it('hands a message event through the webhook parser to the handler and answers the frame', async () => {
    const id = fake.pushEvent(messageEvent({ from: 'ou_a', text: '/帮助 现在' }));
    await until(() => Boolean(responseTo(id)), 'the response frame');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ platform: 'feishu', kind: 'command', name: '帮助', args: ['现在'], userId: 'ou_a', chatType: 'p2p' });
    expect(payloadOf(id).code).toBe(200);
  });

  it("returns a card action's answer (toast and card) in the response", async () => {
    answer = { toast: { type: 'success', text: '已提交' } };
    const id = fake.pushEvent(cardActionEvent({ from: 'ou_a', value: { a: 'pledge.submit', v: 1 }, formValue: { promise_1: ' 走访 ' } }));
    await until(() => Boolean(responseTo(id)), 'the response frame');
    expect(events[0]).toMatchObject({ kind: 'cardAction', action: { id: 'pledge.submit', v: 1 }, formValue: { promise_1: '走访' } });
    const data = payloadOf(id).data!;
    expect(JSON.parse(Buffer.from(data, 'base64').toString('utf8'))).toEqual({ toast: { type: 'success', content: '已提交' } });
  });

  it('refuses a malformed event without calling the handler or dropping the connection', async () => {
    const bad = fake.pushEvent({ schema: '2.0', header: { event_type: 'im.message.receive_v1' }, event: {} });
    await until(() => Boolean(responseTo(bad)), 'the response frame');
    expect(events).toHaveLength(0);
    expect(log.lines.some((l) => l.includes('feishu long-connection event refused'))).toBe(true);
    const ok = fake.pushEvent(messageEvent({ from: 'ou_b', text: '/帮助' }));
    await until(() => Boolean(responseTo(ok)), 'the next response');
    expect(events).toHaveLength(1);
    expect(fake.opened).toBe(1);
  });

  it('is reopened by the SDK after the connection drops', async () => {
    fake.drop();
    await until(() => fake.opened === 2 && fake.connected(), 'the reconnect');
    await ready(2);
    const id = fake.pushEvent(messageEvent({ from: 'ou_c', text: '/帮助' }));
    await until(() => Boolean(responseTo(id)), 'the response on the new connection');
    expect(events.map((e) => e.userId)).toEqual(['ou_c']);
  });

  it("decodes its own frames (the fake's codec round-trips)", () => {
    expect(decodeFrame(new Uint8Array([8, 1, 16, 0, 24, 7, 32, 1]))).toMatchObject({ service: 7, method: 1 });
  });
});
