// Bench child for the scheduler and the reminder fan-out: the bot process that schedules and sends. It
// owns a fresh migrated temp-file libSQL database, an organisation of N members in branches of 100, two
// campaigns running at once (three-lights in its pledge phase, excellence in its 践诺 phase with every
// member's pledge on file), and the real FeishuApi (default RateGate: 50/s per app, 5/s per recipient,
// real sleeps) pointed at the fake Open API child. The runner (fanout.ts) drives it over IPC: one
// instance runs `setup` and exits; a fresh one (same database) runs `fanout` and `quietTicks`, so its
// memory figures are those of a bot process starting its day, not of the one that built the data.
// It runs compiled (tsc, like `npm start`), not through tsx, so its memory is the production build's.
// First, as in entry-node: V8's heap growth set before the other modules load.
import '../../bot/heap-growth.js';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { eq, like, sql } from 'drizzle-orm';
import { runBatch } from '../../db/client.js';
import { openMigratedDatabase } from '../../db/open-node.js';
import { branches, members, outbox, phaseResponses, pledges } from '../../db/schema.js';
import { activeCampaigns, createCampaign, loadCampaignState, phasesOf } from '../../bot/engine/store.js';
import { dueJobs } from '../../bot/engine/due-jobs.js';
import { findTemplate } from '../../bot/campaign/templates/index.js';
import type { LogLevel } from '../../bot/log.js';
import { countingLogger, countStatements } from './instrument.js';
import { drainOutbox, type DrainResult } from '../../bot/outbox.js';
import { resumePending } from '../../bot/dispatch.js';
import { dispatchDeps } from '../../bot/app.js';
import { runTick, scheduleJobs, type TickDeps } from '../../bot/schedule.js';
import { parseConfig } from '../../bot/config.js';
import { buildDeps, tickDeps, tickOnce } from '../../bot/runtime.js';
import { addDays, localDate, zonedTime } from '../../bot/time.js';
import type { PlatformApi } from '../../bot/types.js';
import { TEST_APP } from '../support/feishu-wire.js';
import { BRANCH_SIZE, SECOND_TEMPLATE, TEMPLATE } from './fanout-shape.js';
import { serveRpc } from './ipc.js';
import { nodeTransport } from '../../bot/http-node.js';
import { profileAllocations, traceMemory } from './memory-diagnostics.js';

const TIMEZONE = 'Asia/Shanghai';
const START_DATE = '2026-03-02';
/** The second campaign started this many days before the fan-out: its 践诺 phase (days 73-209) is open. */
const SECOND_DAY = 100;
const MINUTE = 60_000;
const DAY = 24 * 3600_000;

export interface SenderReady {
  pid: number;
  /** RSS of the fresh process with the bot's modules loaded and the database open. */
  rssMb: number;
}

export interface CampaignInfo {
  template: string;
  phase: string;
  opens: string;
  closes: string;
}

export interface SetupResult {
  members: number;
  branches: number;
  leaders: number;
  rosterSize: number;
  fanout: CampaignInfo & { nudgeDays: number };
  second: CampaignInfo & { pledges: number };
  /** The campaign-clock instant of the fan-out (inside the nudge window, after 08:00 local). */
  instant: string;
  /** Rows the earlier ticks wrote and sent (announcements, forms, summaries, digests), so none is pending now. */
  historyRows: number;
  historyTicks: number;
  setupMs: number;
  /** Peak RSS of the setup process (it is not the one that schedules and sends the fan-out). */
  rssPeakMb: number;
}

export interface TickCall {
  /** Wall-clock ms the tick began. */
  at: number;
  ms: number;
  enqueued: number;
  dropped: number;
  outbox: DrainResult | null;
}

export interface FanoutReport {
  wallStart: number;
  wallEnd: number;
  ticks: TickCall[];
  /** Cron firings skipped because the previous tick was still running (node-cron in entry-node does the same). */
  skipped: number;
  cappedOut: boolean;
  nudgeRows: number;
  otherRows: number;
  statuses: Record<string, number>;
  /** receive_id of every nudge row, with its final status and attempts. */
  rows: Array<[string, string, number]>;
  rssStartMb: number;
  rssPeakMb: number;
  /** When the peak was sampled, wall-clock ms. */
  rssPeakAt: number;
  /** The peak up to the end of the fan-out tick (loading, planning and writing the 10,000 rows). */
  rssTickPeakMb: number;
  heapPeakMb: number;
  /** Heap still in use after a full GC once the fan-out is over (what it retained, not its garbage). */
  heapAfterGcMb: number | null;
  cpuMs: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  statements: number;
  logs: Record<LogLevel, number>;
  logSamples: string[];
}

export interface QuietTicks {
  /** Whole tickOnce calls with nothing due, ms each. */
  ms: number[];
  enqueued: number;
  attempted: number;
  statements: number;
  rssPeakMb: number;
  /** The same tickOnce over an empty migrated database in this process (fixed cost of a tick). */
  emptyMs: number[];
  /** `SELECT 1` round trips through the same client. */
  select1Ms: number[];
  /** Where one quiet tick's time goes, measured part by part after the ticks. */
  parts: {
    resumeMs: number;
    scheduleMs: number;
    hooksMs: number;
    drainMs: number;
    campaigns: Array<{ title: string; loadMs: number; dueJobsMs: number; jobs: number; existingKeys: number }>;
  };
}

const dir = process.env.BENCH_DIR ?? '';
const fakeUrl = process.env.BENCH_FAKE_URL ?? '';
const memberCount = Number(process.env.BENCH_FANOUT_MEMBERS);
if (!dir || !fakeUrl || !Number.isInteger(memberCount) || memberCount < 1) {
  throw new Error('BENCH_DIR, BENCH_FAKE_URL and BENCH_FANOUT_MEMBERS must be set');
}
const maxFanoutMs = Number(process.env.BENCH_FANOUT_MAX_MS ?? '600000');

traceMemory();

// The production logger at info, counting instead of printing.
const logging = countingLogger('info');
const log = logging.log;

const databaseUrl = `file:${join(dir, 'fanout.db')}`;
const database = await openMigratedDatabase(databaseUrl);
const db = database.db;
const sqlCount = countStatements(database.client);

let instant = new Date(0);
/** Campaign time: the fan-out instant plus the wall time elapsed since the fan-out began. */
let wallBase = Date.now();
const campaignNow = () => new Date(instant.getTime() + (Date.now() - wallBase));
/** Setup and the quiet ticks set the campaign clock directly. */
let fixedNow: Date | null = null;
const clock = { now: () => fixedNow ?? campaignNow() };

// The bot under test: wired exactly as in production (parseConfig -> buildDeps, node-cron's tickOnce,
// the continuous outbox sender), so the client is the real FeishuApi with its default gate and retries.
function configFor(url: string) {
  return parseConfig({
    DATABASE_URL: url,
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
}
// As entry-node builds it: Open API calls over node:http.
const appDeps = buildDeps(configFor(databaseUrl), db, log, { clock, http: nodeTransport() });

const mb = (bytes: number) => bytes / 2 ** 20;

// RSS and heap sampled every 50 ms; each step reads and resets the peaks.
const peaks = { rss: 0, heap: 0, rssAt: 0 };
function resetPeaks(): { rss: number; heap: number; rssAt: number } {
  const m = process.memoryUsage();
  peaks.rss = m.rss;
  peaks.heap = m.heapUsed;
  peaks.rssAt = Date.now();
  return { ...peaks };
}
function samplePeaks(): { rss: number; heap: number; rssAt: number } {
  const m = process.memoryUsage();
  if (m.rss > peaks.rss) {
    peaks.rss = m.rss;
    peaks.rssAt = Date.now();
  }
  if (m.heapUsed > peaks.heap) peaks.heap = m.heapUsed;
  return { ...peaks };
}
setInterval(samplePeaks, 50).unref();
resetPeaks();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sends of earlier days: accepted at once, without HTTP (they are history, not timed). */
function historyApi(): PlatformApi {
  let n = 0;
  const accepted = async () => ({ messageId: `om_history_${++n}` });
  return {
    platform: 'feishu',
    send: accepted,
    reply: accepted,
    updateCard: async () => {},
    updateLate: async () => {},
    listChatMembers: async () => [],
  };
}

async function insertChunked<T>(rows: T[], insert: (chunk: T[]) => Parameters<typeof runBatch>[1][number]): Promise<void> {
  const batch: Parameters<typeof runBatch>[1] = [];
  for (let i = 0; i < rows.length; i += 500) batch.push(insert(rows.slice(i, i + 500)));
  await runBatch(db, batch);
}

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
  // Each branch: a secretary and members (both answer member phases), each with a joining date (the
  // anniversary query reads them every tick); two committee members as leaders.
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
      joinedPartyOn: addDays('1990-01-01', (i * 7919) % 12_000),
    });
  }
  const leaders = [1, 2].map((i) => ({ platform: 'feishu', tenantKey, userId: `ou_bench_leader_${i}`, name: `委员${i}`, role: 'leader' as const }));
  people.push(...leaders);
  await insertChunked(people, (rows) => db.insert(members).values(rows));

  const campaignOf = async (id: string, startsOn: string) => {
    const loaded = findTemplate(id);
    if (!loaded) throw new Error(`template ${id} not found`);
    const made = await createCampaign(db, {
      platform: 'feishu',
      tenantKey,
      template: loaded.template,
      startsOn,
      timezone: TIMEZONE,
      createdBy: 'ou_admin',
      now: zonedTime(addDays(startsOn, -3), 10, TIMEZONE),
    });
    return { ...made, template: loaded.template, phases: await phasesOf(db, made.campaign.id) };
  };

  // The fan-out campaign: its first member-answered phase, at the earliest nudge window inside it.
  const first = await campaignOf(TEMPLATE, START_DATE);
  const phase = first.phases.find((p) => p.respond === 'member');
  if (!phase) throw new Error(`template ${TEMPLATE} has no member-answered phase`);
  const nudgeDays = Math.max(...first.template.nudgeDaysBefore.filter((d) => phase.closesAt.getTime() - d * DAY >= phase.opensAt.getTime()));
  const window = new Date(phase.closesAt.getTime() - nudgeDays * DAY);
  // 08:30 campaign time on the window's day: out of quiet hours, before the 09:00 digests and
  // anniversaries, so the tick writes nudges and nothing else.
  instant = new Date(zonedTime(localDate(window, TIMEZONE), 8, TIMEZONE).getTime() + 30 * MINUTE);
  if (instant.getTime() < window.getTime()) throw new Error('fan-out instant before the nudge window');

  // The second campaign, SECOND_DAY days in: its 践诺 phase checks the pledges everyone made.
  const second = await campaignOf(SECOND_TEMPLATE, addDays(localDate(instant, TIMEZONE), -SECOND_DAY));
  const pledgePhase = second.phases.find((p) => p.kind === 'pledge');
  const checkPhase = second.phases.find((p) => p.pledgePhaseId === pledgePhase?.id);
  if (!pledgePhase || !checkPhase || !(checkPhase.opensAt <= instant && instant < checkPhase.closesAt)) {
    throw new Error(`template ${SECOND_TEMPLATE}: no 践诺 phase open ${SECOND_DAY} days in`);
  }

  // History, written by the real scheduler and "sent" by a stub that accepts at once: the second
  // campaign's pledge phase opening (forms), then everyone's pledge, its 践诺 phase opening (progress
  // forms, summaries), and the day before the fan-out (the first campaign's forms, digests of both).
  const history: TickDeps = { ...tickDeps(appDeps), apis: [historyApi()], drain: { budgetMs: 3600_000, concurrency: 32, batch: 2000 } };
  let historyRows = 0;
  let historyTicks = 0;
  const tickAt = async (at: Date) => {
    fixedNow = at;
    const done = await runTick(history, at);
    historyRows += done.enqueued;
    historyTicks += 1;
  };
  const morning = (at: Date) => zonedTime(localDate(at, TIMEZONE), 10, TIMEZONE);
  await tickAt(morning(pledgePhase.opensAt));
  const roster = people.filter((p) => p.role !== 'leader');
  const ids = await db.select({ id: members.id, userId: members.userId, branchId: members.branchId }).from(members);
  const byUser = new Map(ids.map((m) => [m.userId, m]));
  const pledgedAt = new Date(pledgePhase.opensAt.getTime() + 5 * DAY);
  const areas = second.template.pledgeAreas;
  const mine = roster.map((p, i) => ({ ...byUser.get(p.userId)!, i }));
  await insertChunked(mine, (rows) =>
    db.insert(pledges).values(
      rows.map((m) => ({
        campaignId: second.campaign.id,
        phaseId: pledgePhase.id,
        kind: 'member' as const,
        ownerKey: `member:${m.id}`,
        memberId: m.id,
        branchId: m.branchId,
        items: [0, 1, 2].map((k) => ({
          area: areas[(m.i + k) % areas.length]!,
          promise: `承诺事项${k + 1}：本学期完成${m.i % 9}项具体工作`,
          due: '2026-06-30',
        })),
        submittedBy: m.userId,
        updatedAt: pledgedAt,
      })),
    ),
  );
  await insertChunked(mine, (rows) => db.insert(phaseResponses).values(rows.map((m) => ({ phaseId: pledgePhase.id, memberId: m.id, at: pledgedAt }))));
  await tickAt(morning(checkPhase.opensAt));
  await tickAt(new Date(morning(window).getTime() - DAY));
  fixedNow = null;

  const [notSent] = await db.select({ n: sql<number>`count(*)` }).from(outbox).where(eq(outbox.status, 'pending'));
  if (historyRows === 0 || Number(notSent!.n) !== 0) throw new Error(`history: wrote ${historyRows}, ${notSent!.n} left pending`);
  const info = (template: string, p: { title: string; opensAt: Date; closesAt: Date }): CampaignInfo => ({
    template,
    phase: p.title,
    opens: p.opensAt.toISOString(),
    closes: p.closesAt.toISOString(),
  });
  return {
    members: memberCount,
    branches: branchCount,
    leaders: leaders.length,
    rosterSize: first.rosterSize,
    fanout: { ...info(TEMPLATE, phase), nudgeDays },
    second: { ...info(SECOND_TEMPLATE, checkPhase), pledges: mine.length },
    instant: instant.toISOString(),
    historyRows,
    historyTicks,
    setupMs: performance.now() - t0,
    rssPeakMb: mb(samplePeaks().rss),
  };
}

const pendingCount = async () => {
  const [row] = await db.select({ n: sql<number>`count(*)` }).from(outbox).where(eq(outbox.status, 'pending'));
  return Number(row!.n);
};

/**
 * The fan-out as production runs it: node-cron's tickOnce now and at every minute after (skipped while
 * the previous one still runs, as entry-node does), with the app's continuous outbox sender, until no
 * row is pending. The campaign clock starts at the fan-out instant and runs with the wall clock.
 */
async function fanout(at: string): Promise<FanoutReport> {
  instant = new Date(at);
  fixedNow = null;
  const rssStart = resetPeaks().rss;
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const cpu0 = process.cpuUsage();
  sqlCount.reset();
  logging.reset();
  profileAllocations();

  const ticks: TickCall[] = [];
  let tickPeak = 0;
  let skipped = 0;
  let running: Promise<void> | null = null;
  const cron = () => {
    if (running) {
      skipped += 1;
      return;
    }
    const wall = Date.now();
    const t = performance.now();
    running = tickOnce(appDeps, clock.now())
      .then((r) => {
        if (ticks.length === 0) tickPeak = samplePeaks().rss;
        ticks.push({ at: wall, ms: performance.now() - t, enqueued: r.enqueued, dropped: r.dropped, outbox: r.outbox });
      })
      .finally(() => {
        running = null;
      });
  };
  wallBase = Date.now();
  const wallStart = wallBase;
  cron();
  const timer = setInterval(cron, MINUTE);
  let cappedOut = false;
  for (;;) {
    await sleep(250);
    if (ticks.length > 0 && (await pendingCount()) === 0) break;
    if (Date.now() - wallStart > maxFanoutMs) {
      cappedOut = true;
      break;
    }
  }
  const wallEnd = Date.now();
  clearInterval(timer);
  await running;
  await appDeps.sender?.idle();
  loop.disable();
  const cpu = process.cpuUsage(cpu0);
  const peak = samplePeaks();

  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const heapAfterGc = gc ? process.memoryUsage().heapUsed : null;

  const nudges = like(outbox.dedupeKey, '%:nudge%');
  const statusRows = await db.select({ status: outbox.status, n: sql<number>`count(*)` }).from(outbox).where(nudges).groupBy(outbox.status);
  const rows = await db.select({ to: outbox.receiveId, status: outbox.status, attempts: outbox.attempts }).from(outbox).where(nudges);
  return {
    wallStart,
    wallEnd,
    ticks,
    skipped,
    cappedOut,
    nudgeRows: rows.length,
    otherRows: ticks.reduce((n, t) => n + t.enqueued + t.dropped, 0) - rows.length,
    statuses: Object.fromEntries(statusRows.map((r) => [r.status, Number(r.n)])),
    rows: rows.map((r) => [r.to, r.status, r.attempts]),
    rssStartMb: mb(rssStart),
    rssPeakMb: mb(peak.rss),
    rssPeakAt: peak.rssAt,
    rssTickPeakMb: mb(tickPeak),
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

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const r = await fn();
  return [performance.now() - t, r];
}

/** Ticks after the fan-out, a minute apart, with nothing due; then the same over an empty database. */
async function quietTicks(count: number): Promise<QuietTicks> {
  resetPeaks();
  const start = campaignNow();
  sqlCount.reset();
  const ms: number[] = [];
  let enqueued = 0;
  let attempted = 0;
  for (let i = 0; i < count; i++) {
    fixedNow = new Date(start.getTime() + (i + 1) * MINUTE);
    const [t, r] = await timed(() => tickOnce(appDeps, fixedNow!));
    await appDeps.sender?.idle();
    ms.push(t);
    enqueued += r.enqueued + r.dropped;
    const o = r.outbox;
    if (o) attempted += o.sent + o.retried + o.dead + o.expired;
  }
  const statements = sqlCount.statements / count;
  const rssPeakMb = mb(samplePeaks().rss);

  // Part by part, at the last tick's instant.
  const now = fixedNow!;
  const deps = tickDeps(appDeps);
  const dispatch = dispatchDeps(appDeps);
  const [resumeMs] = await timed(async () => (dispatch ? resumePending(dispatch, appDeps.background.defer) : undefined));
  const [scheduleMs, scheduled] = await timed(() => scheduleJobs(deps, now));
  const [hooksMs] = await timed(async () => {
    for (const hook of deps.hooks ?? []) await hook(deps, now, scheduled.campaigns);
  });
  const [drainMs] = await timed(() => drainOutbox({ db, log, apis: deps.apis }, now, deps.drain));
  const campaigns: QuietTicks['parts']['campaigns'] = [];
  for (const c of await activeCampaigns(db)) {
    const [loadMs, state] = await timed(() => loadCampaignState(db, c, { config: deps.config, sources: deps.responseSources ?? [], keys: { at: now } }));
    const [dueJobsMs, jobs] = await timed(async () => dueJobs(state, now, deps.engine));
    campaigns.push({ title: c.templateId, loadMs, dueJobsMs, jobs: jobs.length, existingKeys: state.existingKeys.size });
  }

  const select1Ms: number[] = [];
  for (let i = 0; i < 50; i++) select1Ms.push((await timed(() => database.client.execute('select 1')))[0]);

  // The reference: the same wiring over an empty migrated database.
  const emptyUrl = `file:${join(dir, 'empty.db')}`;
  const empty = await openMigratedDatabase(emptyUrl);
  const emptyDeps = buildDeps(configFor(emptyUrl), empty.db, log, { clock, http: nodeTransport() });
  const emptyMs: number[] = [];
  for (let i = 0; i < count; i++) emptyMs.push((await timed(() => tickOnce(emptyDeps, now)))[0]);
  await emptyDeps.sender?.stop(1000);
  empty.close();
  fixedNow = null;
  return {
    ms,
    enqueued,
    attempted,
    statements,
    rssPeakMb,
    emptyMs,
    select1Ms,
    parts: { resumeMs, scheduleMs, hooksMs, drainMs, campaigns },
  };
}

serveRpc(
  {
    setup,
    fanout,
    quietTicks,
    async close() {
      await appDeps.sender?.stop(1000);
      database.close();
      return null;
    },
  },
  { pid: process.pid, rssMb: mb(process.memoryUsage().rss) } satisfies SenderReady,
);
