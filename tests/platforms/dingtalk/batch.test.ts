// 1:1 messages batched across outbox rows: rows that DingTalk would show identically go as one
// /v1.0/robot/oToMessages/batchSend call of at most 20 people, each row still sent exactly once (a
// failed call retries all its rows, a refused person fails alone, a retry after a crash sends nothing
// DingTalk already accepted). Rows carrying a personal page link go one by one.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asc, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CardModel } from '../../../cards/model.js';
import { memoryLogger } from '../../../bot/log.js';
import { drainOutbox, enqueue } from '../../../bot/outbox.js';
import { DingTalkApi, type DingTalkApiOptions } from '../../../bot/platforms/dingtalk/api.js';
import { RateGate } from '../../../bot/rate-gate.js';
import type { Database, Db } from '../../../db/client.js';
import { openMigratedDatabase } from '../../../db/open-node.js';
import { outbox } from '../../../db/schema.js';
import { DT_APP } from '../../support/dingtalk-wire.js';
import { QPS_LIMITED, startFakeDingTalk, type FakeDingTalk } from '../../support/fake-dingtalk.js';

let fake: FakeDingTalk;
let dir: string;
let database: Database;
let db: Db;
const now = new Date('2026-07-20T02:00:00Z');

beforeEach(async () => {
  fake = await startFakeDingTalk();
  dir = mkdtempSync(join(tmpdir(), 'bot-dt-batch-'));
  database = await openMigratedDatabase(`file:${join(dir, 'bot.db')}`);
  db = database.db;
});
afterEach(async () => {
  database.close();
  rmSync(dir, { recursive: true, force: true });
  await fake.close();
});

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
    db,
    gate: new RateGate({ perSecond: 1e6, perRecipientPerSecond: 1e6 }),
    retry: { tries: 2, sleep: async () => {}, random: () => 0.5 },
    ...over,
  });
}

/** A reminder as the engine writes it, the same for everyone of a phase. */
const reminder: CardModel = {
  title: '提醒：「承诺践诺」还有 3 天截止',
  subtitle: '2026 年度民主评议',
  tone: 'orange',
  blocks: [
    { type: 'markdown', text: '「承诺践诺」将于 **7月23日 18:00** 截止，您尚未完成。' },
    { type: 'actions', buttons: [{ label: '填写承诺', action: { id: 'pledge.open', v: 1 } }] },
  ],
};

const users = (n: number) => Array.from({ length: n }, (_, i) => `u${String(i + 1).padStart(2, '0')}`);

async function fanOut(ids: string[], card: CardModel = reminder): Promise<void> {
  for (const id of ids) {
    await enqueue(db, { key: `c1:p1:nudge3:${id}`, platform: 'dingtalk', to: { type: 'user', id }, content: { kind: 'card', card }, notBefore: now });
  }
}

const batchCalls = () => fake.requests.filter((r) => r.path === '/v1.0/robot/oToMessages/batchSend');
/** Recipients per accepted call, in order (one processQueryKey per call). */
function callSizes(): number[] {
  const sizes = new Map<string, number>();
  for (const m of fake.sent) sizes.set(m.processQueryKey, (sizes.get(m.processQueryKey) ?? 0) + 1);
  return [...sizes.values()];
}
const rows = () => db.select().from(outbox).orderBy(asc(outbox.id));
// One sender at a time: the fake's canned answers go to the calls in the order the rows were written.
const drain = (api: DingTalkApi, at = now) => drainOutbox({ db, log: memoryLogger(), apis: [api] }, at, { concurrency: 1 });

describe('1:1 rows with the same message', () => {
  it('45 reminders go as 3 calls of 20, 20 and 5 people, each person getting exactly one', async () => {
    const ids = users(45);
    await fanOut(ids);
    const result = await drain(client());
    expect(result).toMatchObject({ sent: 45, retried: 0, dead: 0 });
    expect(batchCalls()).toHaveLength(3);
    expect(callSizes()).toEqual([20, 20, 5]);
    expect(fake.sent.map((m) => m.to).sort()).toEqual(ids);
    // One rendering for all: the command hint (no personal link can be shared), not 45 renderings.
    expect(new Set(fake.sent.map((m) => JSON.stringify(m.msgParam))).size).toBe(1);
    // Every row marked sent with its own message id (its person + the call's processQueryKey).
    const stored = await rows();
    expect(stored.every((r) => r.status === 'sent')).toBe(true);
    expect(new Set(stored.map((r) => r.messageId)).size).toBe(45);
    expect(stored[0]!.messageId).toBe(`user:u01:${fake.sent.find((m) => m.to === 'u01')!.processQueryKey}`);
  });

  it('a batch refused for the rate limit retries all its rows later; the other batches are sent once', async () => {
    await fanOut(users(45));
    // The second call is throttled on both of the client's tries.
    fake.failNext('/oToMessages/batchSend', { status: 200, body: { processQueryKey: 'pqk-first', invalidStaffIdList: [], flowControlledStaffIdList: [] } });
    fake.failNext('/oToMessages/batchSend', QPS_LIMITED, QPS_LIMITED);
    const first = await drain(client());
    expect(first).toMatchObject({ sent: 25, retried: 20, dead: 0 });
    const waiting = (await rows()).filter((r) => r.status === 'pending');
    expect(waiting.map((r) => r.receiveId)).toEqual(users(40).slice(20));
    expect(waiting.every((r) => r.notBefore.getTime() > now.getTime() && /QpsLimit/.test(r.lastError ?? ''))).toBe(true);
    // Nothing due before the backoff ends; after it, the 20 go as one call and every row is sent.
    expect((await drain(client())).sent).toBe(0);
    const later = new Date(now.getTime() + 3 * 3600_000);
    expect(await drain(client(), later)).toMatchObject({ sent: 20, retried: 0 });
    expect((await rows()).every((r) => r.status === 'sent')).toBe(true);
    // The fake recorded the last batch's 5 and then the 20 retried (the first call got a canned answer): no one twice.
    expect(fake.sent.slice(0, 5).map((m) => m.to)).toEqual(users(45).slice(40));
    expect(
      fake.sent
        .slice(5)
        .map((m) => m.to)
        .sort(),
    ).toEqual(users(40).slice(20));
    expect(callSizes()).toEqual([5, 20]);
  });

  it('a person DingTalk refuses fails alone, one it holds back is retried, the others are sent', async () => {
    await fanOut(users(3));
    fake.failNext('/oToMessages/batchSend', {
      status: 200,
      body: { processQueryKey: 'pqk-x', invalidStaffIdList: ['u02'], flowControlledStaffIdList: ['u03'] },
    });
    expect(await drain(client())).toMatchObject({ sent: 1, retried: 1, dead: 1 });
    const byUser = Object.fromEntries((await rows()).map((r) => [r.receiveId, r.status]));
    expect(byUser).toEqual({ u01: 'sent', u02: 'dead', u03: 'pending' });
  });

  it('a batch DingTalk accepted before the process died is not sent again by the next drain', async () => {
    const ids = users(5);
    await fanOut(ids);
    const api = client();
    // The first process: the call was accepted, then the process died before marking the rows sent.
    const outcomes = await api.batch.send(
      ids.map((id) => ({ userId: id, key: `c1:p1:nudge3:${id}` })),
      { kind: 'card', card: reminder },
    );
    expect(fake.sent).toHaveLength(5);
    expect((await rows()).every((r) => r.status === 'pending' && r.messageId !== null)).toBe(true);
    // The next process drains them: marked sent with the ids recorded, and no second call.
    expect(await drain(client())).toMatchObject({ sent: 5 });
    expect(batchCalls()).toHaveLength(1);
    expect((await rows()).map((r) => r.messageId)).toEqual(outcomes.map((o) => ('messageId' in o ? o.messageId : null)));
  });

  it('after a partial record, only the rows not accepted are sent', async () => {
    await fanOut(users(4));
    // u01 and u02 were accepted in an earlier call (recorded), u03 and u04 were not.
    await client().batch.send(
      [
        { userId: 'u01', key: 'c1:p1:nudge3:u01' },
        { userId: 'u02', key: 'c1:p1:nudge3:u02' },
      ],
      { kind: 'card', card: reminder },
    );
    await drain(client());
    expect(fake.sent.map((m) => m.to)).toEqual(['u01', 'u02', 'u03', 'u04']);
    expect(callSizes()).toEqual([2, 2]);
  });
});

describe('rows that cannot share a call', () => {
  it('a card with a personal page link goes to each person alone', async () => {
    const personalLink = (who: { userId: string }, purpose: string) => `https://bot.example.edu.cn/p/${who.userId}/${encodeURIComponent(purpose)}`;
    await fanOut(users(3));
    await drain(client({ personalLink }));
    expect(batchCalls()).toHaveLength(3);
    expect(fake.sent.map((m) => m.msgParam.singleURL)).toEqual(users(3).map((u) => expect.stringContaining(encodeURIComponent(`/p/${u}/`))));
  });

  it('different messages, group messages and texts of different content are not merged', async () => {
    await fanOut(users(2));
    await fanOut(['v1'], { ...reminder, title: '提醒：「承诺践诺」明天截止' });
    await enqueue(db, { key: 'g', platform: 'dingtalk', to: { type: 'chat', id: 'cidA' }, content: { kind: 'text', text: '群通知' }, notBefore: now });
    await enqueue(db, { key: 't1', platform: 'dingtalk', to: { type: 'user', id: 'w1' }, content: { kind: 'text', text: '甲' }, notBefore: now });
    await enqueue(db, { key: 't2', platform: 'dingtalk', to: { type: 'user', id: 'w2' }, content: { kind: 'text', text: '甲' }, notBefore: now });
    await enqueue(db, { key: 't3', platform: 'dingtalk', to: { type: 'user', id: 'w3' }, content: { kind: 'text', text: '乙' }, notBefore: now });
    expect(await drain(client())).toMatchObject({ sent: 7 });
    expect(fake.requests.filter((r) => r.path.endsWith('/groupMessages/send'))).toHaveLength(1);
    // [u01 u02] [v1] [w1 w2] [w3]
    expect(batchCalls()).toHaveLength(4);
    const [row] = await db.select().from(outbox).where(eq(outbox.dedupeKey, 'g'));
    expect(row!.status).toBe('sent');
  });
});
