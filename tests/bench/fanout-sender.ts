// Bench child for the reminder fan-out: the process that schedules and sends. It owns a fresh migrated
// temp-file libSQL database, an organisation of N members in branches of 100, a campaign created from a
// real template, and the real FeishuApi (default RateGate: 50/s per app, 5/s per recipient, real sleeps)
// pointed at the fake Open API child. The runner (fanout.ts) drives it step by step over IPC: one
// instance runs `setup` and exits; a fresh one (same database) runs `schedule`, `drain` and `noopTick`,
// so its memory figures are those of a bot process starting its day, not of the one that built the data.
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { and, eq, like, sql } from 'drizzle-orm';
import { runBatch } from '../../db/client.js';
import { openMigratedDatabase } from '../../db/open-node.js';
import { branches, members, outbox } from '../../db/schema.js';
import { createCampaign, phasesOf } from '../../bot/engine/store.js';
import { findTemplate } from '../../bot/campaign/templates/index.js';
import type { LogLevel } from '../../bot/log.js';
import { countingLogger, countStatements } from './instrument.js';
import { drainOutbox, type DrainOptions, type DrainResult } from '../../bot/outbox.js';
import { FeishuApi } from '../../bot/platforms/feishu/api.js';
import { RateGate } from '../../bot/rate-gate.js';
import { runTick, scheduleJobs, type TickDeps } from '../../bot/schedule.js';
import { parseConfig } from '../../bot/config.js';
import { buildDeps, tickDeps } from '../../bot/runtime.js';
import { addDays, localDate, zonedTime } from '../../bot/time.js';
import type { PlatformApi } from '../../bot/types.js';
import { TEST_APP } from '../support/feishu-wire.js';
import { BRANCH_SIZE, TEMPLATE } from './fanout.js';
import { serveRpc } from './ipc.js';

const TIMEZONE = 'Asia/Shanghai';
const START_DATE = '2026-03-02';
const HOUR = 3600_000;
const DAY = 24 * HOUR;

export interface SenderReady {
  pid: number;
  /** RSS of the fresh process with the bot's modules loaded and the database open. */
  rssMb: number;
}

export interface SetupResult {
  members: number;
  branches: number;
  leaders: number;
  rosterSize: number;
  phaseTitle: string;
  phaseOpens: string;
  phaseCloses: string;
  nudgeDays: number;
  /** The campaign-clock instant of the fan-out (inside the nudge window, after 08:00 local). */
  instant: string;
  historyInstant: string;
  /** Rows the earlier tick wrote and sent (announcements, summaries, digests), so they are not pending now. */
  historyRows: number;
  setupMs: number;
  /** Peak RSS of the setup process (it is not the one that schedules and sends the fan-out). */
  rssPeakMb: number;
}

export interface ScheduleResult {
  enqueued: number;
  dropped: number;
  ms: number;
  nudgeRows: number;
  pendingRows: number;
  otherPendingRows: number;
  repeat: { enqueued: number; dropped: number; ms: number };
  rssMb: number;
  /** Peak RSS while scheduleJobs ran. */
  rssPeakMb: number;
}

export interface DrainCall {
  ms: number;
  result: DrainResult;
}

export interface DrainReport {
  wallStart: number;
  wallEnd: number;
  ms: number;
  calls: DrainCall[];
  idleWaits: number;
  cappedOut: boolean;
  options: DrainOptions;
  statuses: Record<string, number>;
  /** receive_id of every nudge row, with its final status and attempts. */
  rows: Array<[string, string, number]>;
  rssStartMb: number;
  rssPeakMb: number;
  heapPeakMb: number;
  /** Heap still in use after a full GC once the drain is over (what the drain retained, not its garbage). */
  heapAfterGcMb: number | null;
  cpuMs: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  statements: number;
  logs: Record<LogLevel, number>;
  logSamples: string[];
}

export interface NoopTickResult {
  ms: number;
  enqueued: number;
  dropped: number;
  sent: number;
  attempted: number;
}

const dir = process.env.BENCH_DIR ?? '';
const fakeUrl = process.env.BENCH_FAKE_URL ?? '';
const memberCount = Number(process.env.BENCH_FANOUT_MEMBERS);
if (!dir || !fakeUrl || !Number.isInteger(memberCount) || memberCount < 1) {
  throw new Error('BENCH_DIR, BENCH_FAKE_URL and BENCH_FANOUT_MEMBERS must be set');
}
const drainOptions: DrainOptions = JSON.parse(process.env.BENCH_FANOUT_DRAIN ?? '{}') as DrainOptions;
const maxDrainMs = Number(process.env.BENCH_FANOUT_MAX_MS ?? '600000');

// The production logger at info, counting instead of printing.
const logging = countingLogger('info');
const log = logging.log;

const databaseUrl = `file:${join(dir, 'fanout.db')}`;
const database = await openMigratedDatabase(databaseUrl);
const db = database.db;
const sqlCount = countStatements(database.client);

// The sender under test: wired exactly as in production (parseConfig -> buildDeps -> tickDeps), so the
// client is the real FeishuApi with its default gate (50/s per app, 5/s per recipient) and retry policy.
const config = parseConfig({
  DATABASE_URL: databaseUrl,
  FEISHU_APP_ID: TEST_APP.appId,
  FEISHU_APP_SECRET: TEST_APP.appSecret,
  FEISHU_VERIFICATION_TOKEN: TEST_APP.verificationToken,
  FEISHU_ENCRYPT_KEY: TEST_APP.encryptKey,
  FEISHU_DOMAIN: fakeUrl,
  BOT_ADMINS: 'feishu:ou_admin',
  REVIEW_SECRET: 'bench-review-secret',
  TZ_CAMPAIGN: TIMEZONE,
  LOG_LEVEL: 'info',
});
const appDeps = buildDeps(config, db, log);
const deps: TickDeps = tickDeps(appDeps);
const feishu = appDeps.adapters.get('feishu')?.api;
if (!feishu) throw new Error('Feishu is not configured');
const api: PlatformApi = feishu;

let instant = new Date(0);
/** Campaign time during the drain: the fan-out instant plus the wall time elapsed since the drain began. */
let wallBase = Date.now();
const campaignNow = () => new Date(instant.getTime() + (Date.now() - wallBase));

const mb = (bytes: number) => bytes / 2 ** 20;

// RSS and heap sampled every 50 ms; each step reads and resets the peaks.
const peaks = { rss: 0, heap: 0 };
function resetPeaks(): { rss: number; heap: number } {
  const m = process.memoryUsage();
  peaks.rss = m.rss;
  peaks.heap = m.heapUsed;
  return { ...peaks };
}
function samplePeaks(): { rss: number; heap: number } {
  const m = process.memoryUsage();
  if (m.rss > peaks.rss) peaks.rss = m.rss;
  if (m.heapUsed > peaks.heap) peaks.heap = m.heapUsed;
  return { ...peaks };
}
setInterval(samplePeaks, 50).unref();
resetPeaks();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function setup(): Promise<SetupResult> {
  const t0 = performance.now();
  resetPeaks();
  const tenantKey = TEST_APP.tenantKey;
  const branchCount = Math.ceil(memberCount / BRANCH_SIZE);
  const branchRows = Array.from({ length: branchCount }, (_, b) => ({
    platform: 'feishu',
    tenantKey,
    name: `第${b + 1}党支部`,
    chatId: `oc_bench_branch_${b + 1}`,
  }));
  const inserted = await db.insert(branches).values(branchRows).returning({ id: branches.id });
  // Each branch: a secretary and members (both answer member phases); two committee members as leaders.
  const people: Array<typeof members.$inferInsert> = [];
  for (let i = 0; i < memberCount; i++) {
    const b = Math.floor(i / BRANCH_SIZE);
    const seat = i % BRANCH_SIZE;
    people.push({
      platform: 'feishu',
      tenantKey,
      userId: `ou_bench_${b + 1}_${seat + 1}`,
      name: seat === 0 ? `书记${b + 1}` : `党员${b + 1}-${seat + 1}`,
      branchId: inserted[b]!.id,
      role: seat === 0 ? 'secretary' : 'member',
    });
  }
  const leaders = [1, 2].map((i) => ({ platform: 'feishu', tenantKey, userId: `ou_bench_leader_${i}`, name: `委员${i}`, role: 'leader' as const }));
  people.push(...leaders);
  const chunk = 500;
  const inserts = [];
  for (let i = 0; i < people.length; i += chunk) inserts.push(db.insert(members).values(people.slice(i, i + chunk)));
  await runBatch(db, inserts);

  const loaded = findTemplate(TEMPLATE);
  if (!loaded) throw new Error(`template ${TEMPLATE} not found`);
  const template = loaded.template;
  const createdAt = zonedTime(addDays(START_DATE, -3), 10, TIMEZONE);
  const { campaign, rosterSize } = await createCampaign(db, {
    platform: 'feishu',
    tenantKey,
    template,
    startsOn: START_DATE,
    timezone: TIMEZONE,
    createdBy: 'ou_admin',
    now: createdAt,
  });

  // The first member-answered phase, and the earliest nudge window inside it (3 days before it closes).
  const phases = await phasesOf(db, campaign.id);
  const phase = phases.find((p) => p.respond === 'member');
  if (!phase) throw new Error(`template ${TEMPLATE} has no member-answered phase`);
  const nudgeDays = Math.max(...template.nudgeDaysBefore.filter((d) => phase.closesAt.getTime() - d * DAY >= phase.opensAt.getTime()));
  const window = new Date(phase.closesAt.getTime() - nudgeDays * DAY);
  // 08:30 campaign time on the window's day: out of quiet hours, before the 09:00 digest, so the tick
  // writes nudges and nothing else.
  instant = new Date(zonedTime(localDate(window, TIMEZONE), 8, TIMEZONE).getTime() + 30 * 60_000);
  if (instant.getTime() < window.getTime()) throw new Error('fan-out instant before the nudge window');

  // History: the campaign as it stands on that morning. One earlier tick (a day before the window, 10:00)
  // writes what is already behind us (phase announcements, the previous phase's summary, that day's
  // digests); it is sent to the fake before the fan-out, on a fast gate and without rate limits.
  const historyAt = zonedTime(addDays(localDate(window, TIMEZONE), -1), 10, TIMEZONE);
  const historyApi = new FeishuApi({
    appId: TEST_APP.appId,
    appSecret: TEST_APP.appSecret,
    domain: fakeUrl,
    gate: new RateGate({ perSecond: 100_000, perRecipientPerSecond: 100_000 }),
  });
  const history = await runTick({ ...deps, apis: [historyApi], drain: { budgetMs: 600_000, concurrency: 16 } }, historyAt);
  const notSent = await db.select({ n: sql<number>`count(*)` }).from(outbox).where(eq(outbox.status, 'pending'));
  if (history.enqueued === 0 || Number(notSent[0]!.n) !== 0) {
    throw new Error(`history tick: enqueued ${history.enqueued}, ${notSent[0]!.n} left pending`);
  }
  return {
    members: memberCount,
    branches: branchCount,
    leaders: leaders.length,
    rosterSize,
    phaseTitle: phase.title,
    phaseOpens: phase.opensAt.toISOString(),
    phaseCloses: phase.closesAt.toISOString(),
    nudgeDays,
    instant: instant.toISOString(),
    historyInstant: historyAt.toISOString(),
    historyRows: history.enqueued,
    setupMs: performance.now() - t0,
    rssPeakMb: mb(samplePeaks().rss),
  };
}

async function countRows(): Promise<{ nudgeRows: number; pendingRows: number }> {
  const [nudge] = await db.select({ n: sql<number>`count(*)` }).from(outbox).where(like(outbox.dedupeKey, '%:nudge%'));
  const [pending] = await db.select({ n: sql<number>`count(*)` }).from(outbox).where(eq(outbox.status, 'pending'));
  return { nudgeRows: Number(nudge!.n), pendingRows: Number(pending!.n) };
}

async function schedule(at: string): Promise<ScheduleResult> {
  instant = new Date(at);
  resetPeaks();
  const t0 = performance.now();
  const first = await scheduleJobs(deps, instant);
  const ms = performance.now() - t0;
  const counts = await countRows();
  const [otherPending] = await db
    .select({ n: sql<number>`count(*)` })
    .from(outbox)
    .where(and(eq(outbox.status, 'pending'), sql`${outbox.dedupeKey} not like '%:nudge%'`));
  const t1 = performance.now();
  const repeat = await scheduleJobs(deps, new Date(instant.getTime() + 60_000));
  const repeatMs = performance.now() - t1;
  return {
    ...first,
    ms,
    ...counts,
    otherPendingRows: Number(otherPending!.n),
    repeat: { ...repeat, ms: repeatMs },
    rssMb: mb(process.memoryUsage().rss),
    rssPeakMb: mb(samplePeaks().rss),
  };
}

/**
 * Drains like back-to-back ticks would: drainOutbox with the production options (or BENCH_FANOUT_DRAIN)
 * at the advancing campaign clock, again and again until no row is pending. When a call finds nothing
 * due (rows waiting out a backoff), wait a second and look again.
 */
async function drain(): Promise<DrainReport> {
  const rssStart = resetPeaks().rss;
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const cpu0 = process.cpuUsage();
  sqlCount.reset();
  logging.reset();

  const calls: DrainCall[] = [];
  let idleWaits = 0;
  let cappedOut = false;
  wallBase = Date.now();
  const wallStart = Date.now();
  const t0 = performance.now();
  for (;;) {
    const c0 = performance.now();
    const result = await drainOutbox({ db, log, apis: [api] }, campaignNow(), drainOptions);
    calls.push({ ms: performance.now() - c0, result });
    const [pending] = await db.select({ n: sql<number>`count(*)` }).from(outbox).where(eq(outbox.status, 'pending'));
    if (Number(pending!.n) === 0) break;
    if (performance.now() - t0 > maxDrainMs) {
      cappedOut = true;
      break;
    }
    if (result.sent + result.retried + result.dead + result.expired === 0) {
      idleWaits += 1;
      await sleep(1000);
    }
  }
  const ms = performance.now() - t0;
  const wallEnd = Date.now();
  loop.disable();
  const cpu = process.cpuUsage(cpu0);
  const peak = samplePeaks();

  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const heapAfterGc = gc ? process.memoryUsage().heapUsed : null;

  const statusRows = await db
    .select({ status: outbox.status, n: sql<number>`count(*)` })
    .from(outbox)
    .where(like(outbox.dedupeKey, '%:nudge%'))
    .groupBy(outbox.status);
  const rows = await db
    .select({ to: outbox.receiveId, status: outbox.status, attempts: outbox.attempts })
    .from(outbox)
    .where(like(outbox.dedupeKey, '%:nudge%'));
  return {
    wallStart,
    wallEnd,
    ms,
    calls,
    idleWaits,
    cappedOut,
    options: drainOptions,
    statuses: Object.fromEntries(statusRows.map((r) => [r.status, Number(r.n)])),
    rows: rows.map((r) => [r.to, r.status, r.attempts]),
    rssStartMb: mb(rssStart),
    rssPeakMb: mb(peak.rss),
    heapPeakMb: mb(peak.heap),
    heapAfterGcMb: heapAfterGc === null ? null : mb(heapAfterGc),
    cpuMs: (cpu.user + cpu.system) / 1000,
    loopDelayP99Ms: loop.percentile(99) / 1e6,
    loopDelayMaxMs: loop.max / 1e6,
    statements: sqlCount.statements,
    logs: { ...logging.counts },
    logSamples: [...logging.samples],
  };
}

/** One more whole tick (purge, schedule, drain) after everything went out: it must write and send nothing. */
async function noopTick(): Promise<NoopTickResult> {
  const t0 = performance.now();
  const r = await runTick(deps, campaignNow());
  const o = r.outbox ?? { sent: 0, retried: 0, dead: 0, expired: 0 };
  return { ms: performance.now() - t0, enqueued: r.enqueued, dropped: r.dropped, sent: o.sent, attempted: o.sent + o.retried + o.dead + o.expired };
}

serveRpc(
  {
    setup,
    schedule,
    drain,
    noopTick,
    close() {
      database.close();
      return null;
    },
  },
  { pid: process.pid, rssMb: mb(process.memoryUsage().rss) } satisfies SenderReady,
);
