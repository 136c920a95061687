// The DingTalk OpenAPI client against the local fake: token caching and refresh, rate-limit and server
// errors retried (and marked retryable for the outbox), others not; replies, updates, department
// paging; and the accepted-record that keeps an outbox row from being sent twice after a crash.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../../bot/log.js';
import { drainOutbox, enqueue } from '../../../bot/outbox.js';
import { DingTalkApi, type DingTalkApiOptions } from '../../../bot/platforms/dingtalk/api.js';
import { nodeTransport } from '../../../bot/http-node.js';
import { messageIdOf } from '../../../bot/platforms/dingtalk/parse.js';
import { PlatformApiError } from '../../../bot/errors.js';
import { RateGate } from '../../../bot/rate-gate.js';
import type { Database } from '../../../db/client.js';
import { openMigratedDatabase } from '../../../db/open-node.js';
import { outbox } from '../../../db/schema.js';
import { DT_APP } from '../../support/dingtalk-wire.js';
import { dtCardText, QPS_LIMITED, startFakeDingTalk, type FakeDingTalk } from '../../support/fake-dingtalk.js';

let fake: FakeDingTalk;
let now: number;
let sleeps: number[];

beforeEach(async () => {
  fake = await startFakeDingTalk();
  now = Date.parse('2026-07-20T02:00:00Z');
  sleeps = [];
});
afterEach(async () => fake.close());

function client(over: Partial<DingTalkApiOptions> = {}): DingTalkApi {
  return new DingTalkApi({
    clientId: DT_APP.clientId,
    clientSecret: DT_APP.clientSecret,
    robotCode: DT_APP.clientId,
    apiBase: fake.url,
    oapiBase: fake.url,
    deptId: '1',
    corpId: () => DT_APP.corpId,
    personalLink: null,
    db: null,
    now: () => now,
    // No pacing here: the waits recorded are the client's backoffs only.
    gate: new RateGate({ perSecond: 1e6, perRecipientPerSecond: 1e6 }),
    retry: { sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 },
    ...over,
  });
}

const text = (t: string) => ({ kind: 'text' as const, text: t });

describe('the access token', () => {
  it('is fetched once, shared by concurrent calls, and fetched again 5 minutes before it expires', async () => {
    const api = client();
    await Promise.all([api.send({ type: 'chat', id: 'cidA' }, text('1'), 'k1'), api.send({ type: 'user', id: 'u1' }, text('2'), 'k2')]);
    expect(fake.tokenRequests).toBe(1);
    now += 7200_000 - 6 * 60_000;
    await api.send({ type: 'chat', id: 'cidA' }, text('3'), 'k3');
    expect(fake.tokenRequests).toBe(1);
    now += 2 * 60_000;
    await api.send({ type: 'chat', id: 'cidA' }, text('4'), 'k4');
    expect(fake.tokenRequests).toBe(2);
  });

  it('is fetched anew when DingTalk refuses it, and the call goes through', async () => {
    const api = client();
    await api.send({ type: 'chat', id: 'cidA' }, text('1'), 'k1');
    fake.revokeTokens();
    await api.send({ type: 'chat', id: 'cidA' }, text('2'), 'k2');
    expect(fake.tokenRequests).toBe(2);
    expect(fake.sent.map((m) => m.msgParam.content)).toEqual(['1', '2']);
  });

  it('with a wrong secret fails without retrying, and the error names no secret', async () => {
    const api = client({ clientSecret: 'wrong-secret' });
    const err = await api.send({ type: 'chat', id: 'cidA' }, text('x'), 'k').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlatformApiError);
    expect((err as PlatformApiError).isRetryable).toBe(false);
    expect((err as Error).message).not.toContain('wrong-secret');
    expect(fake.tokenRequests).toBe(1);
  });
});

describe('sending', () => {
  it('posts a group message with robotCode, openConversationId, msgKey and a JSON-string msgParam', async () => {
    const { messageId } = await client().send({ type: 'chat', id: 'cidA==' }, text('你好'), 'k');
    expect(fake.sent).toEqual([{ via: 'group', to: 'cidA==', msgKey: 'sampleText', msgParam: { content: '你好' }, processQueryKey: 'pqk1' }]);
    expect(messageId).toBe('chat:cidA%3D%3D:pqk1');
  });

  it('retries a rate-limit answer after backoff and then sends', async () => {
    fake.failNext('/groupMessages/send', QPS_LIMITED, QPS_LIMITED);
    await client().send({ type: 'chat', id: 'cidA' }, text('x'), 'k');
    expect(fake.sent).toHaveLength(1);
    expect(sleeps).toHaveLength(2);
    expect(sleeps[1]!).toBeGreaterThan(sleeps[0]!);
  });

  it('marks a rate limit that outlasts its tries retryable, so the outbox backs off', async () => {
    fake.failNext('/oToMessages/batchSend', QPS_LIMITED, QPS_LIMITED);
    const err = await client({ retry: { tries: 2, sleep: async () => {} } })
      .send({ type: 'user', id: 'u1' }, text('x'), 'k')
      .catch((e: unknown) => e);
    expect((err as PlatformApiError).isRetryable).toBe(true);
    expect(fake.sent).toHaveLength(0);
  });

  it('does the same over node:http, the transport on Node', async () => {
    fake.failNext('/groupMessages/send', QPS_LIMITED, { status: 502, body: '<html>bad gateway</html>' });
    const api = client({ http: nodeTransport() });
    const { messageId } = await api.send({ type: 'chat', id: 'cidA==' }, text('你好'), 'k');
    expect(fake.sent).toEqual([{ via: 'group', to: 'cidA==', msgKey: 'sampleText', msgParam: { content: '你好' }, processQueryKey: 'pqk1' }]);
    expect(messageId).toBe('chat:cidA%3D%3D:pqk1');
    expect(sleeps).toHaveLength(2);
    fake.failNext('/groupMessages/send', { status: 400, body: { code: 'invalidParameter.openConversationId', message: '群不存在' } });
    const err = await api.send({ type: 'chat', id: 'cidX' }, text('x'), 'k2').catch((e: unknown) => e);
    expect((err as PlatformApiError).isRetryable).toBe(false);
  });

  it('retries a 5xx, but not a 400', async () => {
    fake.failNext('/groupMessages/send', { status: 502, body: '<html>bad gateway</html>' });
    await client().send({ type: 'chat', id: 'cidA' }, text('x'), 'k1');
    expect(fake.sent).toHaveLength(1);
    fake.failNext('/groupMessages/send', { status: 400, body: { code: 'invalidParameter.openConversationId', message: '群不存在' } });
    const err = await client()
      .send({ type: 'chat', id: 'cidX' }, text('x'), 'k2')
      .catch((e: unknown) => e);
    expect((err as PlatformApiError).isRetryable).toBe(false);
    expect((err as Error).message).toContain('invalidParameter.openConversationId');
  });

  it('replies to a 1:1 message by user id and to a group message in the group', async () => {
    const api = client();
    await api.reply({ chatId: 'cid1to1==', messageId: messageIdOf('p2p', 'user:7', 'msg1') }, text('a'), 'k1');
    await api.reply({ chatId: 'cidGroup==', messageId: messageIdOf('group', 'u2', 'msg2') }, text('b'), 'k2');
    expect(fake.sent.map((m) => `${m.via}:${m.to}`)).toEqual(['oto:user:7', 'group:cidGroup==']);
  });

  it('sends an updatable card to a group as a StandardCard interactive card and updates it in place', async () => {
    const api = client();
    const card = { title: '承诺墙', updatable: true, blocks: [{ type: 'markdown' as const, text: '一' }] };
    const { messageId } = await api.send({ type: 'chat', id: 'cidA==' }, { kind: 'card', card }, 'wall');
    expect(fake.sent).toEqual([]);
    expect(fake.cards).toHaveLength(1);
    expect(messageId).toBe(`card:cidA%3D%3D:${fake.cards[0]!.cardBizId}`);
    await api.updateCard(messageId, { ...card, blocks: [{ type: 'markdown', text: '二' }] });
    expect(fake.cards).toMatchObject([{ to: 'cidA==', updates: 1 }]);
    expect(dtCardText(fake.cards[0]!)).toBe('### 承诺墙\n\n二');
  });

  it('retries a throttled card update, and gives up on a card DingTalk no longer knows', async () => {
    const api = client();
    const card = { title: '承诺墙', updatable: true, blocks: [{ type: 'markdown' as const, text: '一' }] };
    const { messageId } = await api.send({ type: 'chat', id: 'cidA' }, { kind: 'card', card }, 'wall');
    fake.failNext('/v1.0/im/robots/interactiveCards', QPS_LIMITED);
    await api.updateCard(messageId, card);
    expect(fake.cards[0]!.updates).toBe(1);
    const err = await api.updateCard('card:cidA:unknown', card).catch((e: unknown) => e);
    expect((err as PlatformApiError).isRetryable).toBe(false);
  });

  it('sends an updated robot message again to the conversation of the first (robot messages cannot be edited)', async () => {
    const api = client();
    const card = { title: '承诺墙', blocks: [{ type: 'markdown' as const, text: '一' }] };
    const { messageId } = await api.send({ type: 'chat', id: 'cidA' }, { kind: 'card', card }, 'wall');
    await api.updateCard(messageId, { ...card, blocks: [{ type: 'markdown', text: '二' }] });
    expect(fake.sent.map((m) => `${m.to} ${m.msgParam.text}`)).toEqual(['cidA ### 承诺墙\n\n一', 'cidA ### 承诺墙\n\n二']);
  });

  it('cuts a text too long for msgParam so DingTalk accepts it', async () => {
    await client().send({ type: 'user', id: 'u1' }, text('长'.repeat(8_000)), 'k');
    expect(fake.sent[0]!.msgParam.content).toMatch(/内容过长，已截断/);
  });
});

describe('department users for /同步', () => {
  it('are read page by page with the cursor, with the corp id as tenant', async () => {
    fake.setDepartment(
      '1',
      [1, 2, 3, 4, 5].map((i) => ({ userid: `u${i}`, name: `人${i}` })),
      2,
    );
    const people = await client().listChatMembers('cidA');
    expect(people.map((p) => p.userId)).toEqual(['u1', 'u2', 'u3', 'u4', 'u5']);
    expect(people[0]).toEqual({ userId: 'u1', name: '人1', tenantKey: DT_APP.corpId });
    expect(fake.requests.filter((r) => r.path === '/topapi/v2/user/list')).toHaveLength(3);
  });

  it("take the group's own department before the default", async () => {
    fake.setDepartment('7', [{ userid: 'g1', name: '甲' }]);
    const people = await client({ chatDepts: new Map([['cidA', '7']]) }).listChatMembers('cidA');
    expect(people.map((p) => p.userId)).toEqual(['g1']);
  });

  it('fail without retrying when no department is configured or it does not exist', async () => {
    expect(
      (
        (await client({ deptId: null })
          .listChatMembers('c')
          .catch((e: unknown) => e)) as PlatformApiError
      ).isRetryable,
    ).toBe(false);
    expect(
      (
        (await client({ deptId: '999' })
          .listChatMembers('c')
          .catch((e: unknown) => e)) as PlatformApiError
      ).isRetryable,
    ).toBe(false);
  });

  it('retry the legacy rate-limit errcode', async () => {
    fake.setDepartment('1', [{ userid: 'u1', name: '甲' }]);
    fake.failNext('/topapi/v2/user/list', { status: 200, body: { errcode: 90018, errmsg: '超过调用频率' } });
    expect(await client().listChatMembers('c')).toHaveLength(1);
    expect(sleeps).toHaveLength(1);
  });
});

describe('idempotency without a send uuid', () => {
  let dir: string;
  let database: Database;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bot-dt-api-'));
    database = await openMigratedDatabase(`file:${join(dir, 'bot.db')}`);
  });
  afterEach(() => {
    database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('does not send a row again whose send was accepted before the process died', async () => {
    const db = database.db;
    await enqueue(db, { key: 'reply:msg1', platform: 'dingtalk', to: { type: 'chat', id: 'cidA' }, content: text('只发一次'), notBefore: new Date(now) });
    // The first process: DingTalk accepted the send, then the process died before marking the row sent.
    const first = await client({ db }).send({ type: 'chat', id: 'cidA' }, text('只发一次'), 'reply:msg1');
    const [pending] = await db.select().from(outbox).where(eq(outbox.dedupeKey, 'reply:msg1'));
    expect(pending).toMatchObject({ status: 'pending', messageId: first.messageId });
    // The next process drains the row again: it is marked sent with the same id, and nothing is sent twice.
    const result = await drainOutbox({ db, log: memoryLogger(), apis: [client({ db })] }, new Date(now));
    expect(result.sent).toBe(1);
    expect(fake.sent).toHaveLength(1);
    const [row] = await db.select().from(outbox).where(eq(outbox.dedupeKey, 'reply:msg1'));
    expect(row).toMatchObject({ status: 'sent', messageId: first.messageId });
  });

  it('sends a row whose earlier attempt failed (nothing recorded as accepted)', async () => {
    const db = database.db;
    await enqueue(db, { key: 'k', platform: 'dingtalk', to: { type: 'user', id: 'u1' }, content: text('x'), notBefore: new Date(now) });
    fake.failNext('/oToMessages/batchSend', { status: 400, body: { code: 'invalidParameter', message: 'x' } });
    await client({ db })
      .send({ type: 'user', id: 'u1' }, text('x'), 'k')
      .catch(() => undefined);
    const [row] = await db.select().from(outbox).where(eq(outbox.dedupeKey, 'k'));
    expect(row!.messageId).toBeNull();
    await client({ db }).send({ type: 'user', id: 'u1' }, text('x'), 'k');
    expect(fake.sent).toHaveLength(1);
  });
});
