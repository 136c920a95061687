// DingTalk Stream mode against a local fake gateway (connections/open, then a WebSocket on loopback):
// robot frames go through the same receive path as the webhook and are acked once recorded; a
// duplicate is processed once; bad frames and unknown topics are acked and logged; a dropped
// connection is reopened.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Connections, startConnections } from '../../../bot/connections-node.js';
import { TOPIC_CARD, TOPIC_ROBOT } from '../../../bot/platforms/dingtalk/stream.js';
import { GROUP_A, startDingTalkBot, type DtBot } from '../../support/dingtalk-harness.js';
import { dtMessage } from '../../support/dingtalk-wire.js';
import { dtText } from '../../support/fake-dingtalk.js';

let bot: DtBot;
let connections: Connections;

async function until(check: () => boolean, what: string, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

beforeEach(async () => {
  bot = await startDingTalkBot({ env: { DINGTALK_MODE: 'stream' } });
  connections = startConnections(bot.deps);
  await until(() => bot.fake.stream.connected(), 'the stream connection');
});
afterEach(async () => {
  await connections.stop();
  await bot.close();
});

let frames = 0;
function robotFrame(payload: unknown, topic = TOPIC_ROBOT) {
  frames += 1;
  const messageId = `frame-${frames}`;
  return {
    messageId,
    raw: JSON.stringify({
      specVersion: '1.0',
      type: 'CALLBACK',
      headers: { appId: 'app', connectionId: 'c1', contentType: 'application/json', messageId, time: String(Date.now()), topic },
      data: JSON.stringify(payload),
    }),
  };
}

const ackOf = (messageId: string) => bot.fake.stream.received.find((f) => (f.headers as { messageId?: string } | undefined)?.messageId === messageId);

describe('DingTalk Stream mode', () => {
  it('subscribes to the robot and card topics with the app credentials', () => {
    expect(bot.fake.stream.subscriptions).toEqual(
      expect.arrayContaining([
        { type: 'CALLBACK', topic: TOPIC_ROBOT },
        { type: 'CALLBACK', topic: TOPIC_CARD },
      ]),
    );
  });

  it('answers a robot message pushed over the socket, acks the frame, and processes a re-push once', async () => {
    const payload = dtMessage({ from: 'a2', group: GROUP_A, text: '/帮助' });
    const frame = robotFrame(payload);
    bot.fake.stream.push(frame.raw);
    await until(() => Boolean(ackOf(frame.messageId)), 'the ack');
    expect(ackOf(frame.messageId)).toMatchObject({ code: 200, message: 'OK', headers: { messageId: frame.messageId } });
    await bot.settle();
    expect(bot.fake.sent).toHaveLength(1);
    expect(bot.fake.sent[0]).toMatchObject({ via: 'group', to: GROUP_A });
    expect(dtText(bot.fake.sent[0]!)).toContain('/帮助');

    const again = robotFrame(payload);
    bot.fake.stream.push(again.raw);
    await until(() => Boolean(ackOf(again.messageId)), 'the ack of the re-push');
    await bot.settle();
    expect(bot.fake.sent).toHaveLength(1);
  });

  it('acks and logs a frame that is not JSON, and keeps the connection working', async () => {
    bot.fake.stream.push('{"specVersion":"1.0","type":"CALLBACK","headers":{"messageId":"broken-1","topic":"/v1.0/im/bot/messages/get"},"data":"{');
    bot.fake.stream.push('not json at all');
    await until(() => Boolean(ackOf('broken-1')), 'the ack of the broken frame');
    await until(() => bot.logLines.filter((l) => l.includes('not JSON')).length === 2, 'two log lines');
    const frame = robotFrame(dtMessage({ from: 'a2', text: '/帮助' }));
    bot.fake.stream.push(frame.raw);
    await until(() => Boolean(ackOf(frame.messageId)), 'the ack after the bad frames');
    expect(bot.fake.stream.opened).toBe(1);
  });

  it('acks robot data that is not a message, card callbacks and events without processing them', async () => {
    const bad = robotFrame({ msgId: 'x' });
    const card = robotFrame({ outTrackId: 'o', content: '{}' }, TOPIC_CARD);
    const event = { messageId: 'ev-1', raw: JSON.stringify({ type: 'EVENT', headers: { messageId: 'ev-1', topic: 'chat_update' }, data: '{}' }) };
    for (const f of [bad, card, event]) bot.fake.stream.push(f.raw);
    await until(() => [bad, card, event].every((f) => Boolean(ackOf(f.messageId))), 'three acks');
    expect(JSON.parse(String(ackOf('ev-1')!.data))).toEqual({ status: 'SUCCESS' });
    await bot.settle();
    expect(bot.fake.sent).toHaveLength(0);
  });

  it('answers the gateway ping with its own data', async () => {
    bot.fake.stream.push(JSON.stringify({ specVersion: '1.0', type: 'SYSTEM', headers: { messageId: 'p1', topic: 'ping' }, data: '{"opaque":"x"}' }));
    await until(() => Boolean(ackOf('p1')), 'the ping answer');
    expect(ackOf('p1')).toMatchObject({ code: 200, data: '{"opaque":"x"}' });
  });

  it('opens a new connection (new ticket) after the connection drops, and goes on receiving', async () => {
    bot.fake.stream.drop();
    await until(() => bot.fake.stream.opened === 2 && bot.fake.stream.connected(), 'the reconnect');
    const frame = robotFrame(dtMessage({ from: 'a2', text: '/帮助' }));
    bot.fake.stream.push(frame.raw);
    await until(() => Boolean(ackOf(frame.messageId)), 'the ack on the new connection');
    await bot.settle();
    expect(bot.fake.sent).toHaveLength(1);
    expect(bot.logLines.some((l) => l.includes('dingtalk stream disconnected'))).toBe(true);
  });

  it('tries again, after a backoff, when the gateway refuses to open a connection', async () => {
    await connections.stop();
    bot.fake.failNext('/v1.0/gateway/connections/open', { status: 503, body: { code: 'ServiceUnavailable', message: 'busy' } });
    connections = startConnections(bot.deps);
    await until(() => bot.fake.stream.opened === 2 && bot.fake.stream.connected(), 'the connection after the refusal');
    expect(bot.logLines.some((l) => l.includes('cannot open a connection'))).toBe(true);
  });
});
