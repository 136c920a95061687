// Bench child: the real app (createApp + buildDeps, fresh migrated temp-file database, Open API = the
// fake) on 127.0.0.1, plus a bare Hono app on another port doing one libSQL insert per POST with the
// same database settings. Only the bench mounts the bare route; bot/app.ts is untouched.
import { count, eq } from 'drizzle-orm';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay, performance, type EventLoopUtilization } from 'node:perf_hooks';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { createApp } from '../../bot/app.js';
import type { Background } from '../../bot/background.js';
import { parseConfig } from '../../bot/config.js';
import type { LogLevel } from '../../bot/log.js';
import { countingLogger, countStatements } from './instrument.js';
import { buildDeps } from '../../bot/runtime.js';
import { outbox, processedEvents } from '../../db/schema.js';
import { openMigratedDatabase } from '../../db/open-node.js';
import { TEST_APP } from '../support/feishu-wire.js';
import { serveRpc } from './ipc.js';

export interface ServerReady {
  webhookPort: number;
  barePort: number;
  pid: number;
}

export interface ServerStats {
  cpuUserMs: number;
  cpuSystemMs: number;
  /** Event-loop utilization since the mark, 0..1. */
  elu: number;
  loopDelayP50Ms: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  rssMb: number;
  heapUsedMb: number;
  logs: Record<LogLevel, number>;
  logSamples: string[];
  backgroundInFlight: number;
  /** Messages written to the outbox and not yet sent (replies wait here for the platform's rate). */
  outboxPending: number;
  backgroundPeak: number;
  backgroundDeferred: number;
  /** SQL statements the webhook app sent to libSQL since the mark (batches count each statement). */
  statements: number;
  batches: number;
}

const dir = process.env.BENCH_DIR;
const fakeUrl = process.env.BENCH_FAKE_URL;
const admin = process.env.BENCH_ADMIN;
if (!dir || !fakeUrl || !admin) throw new Error('BENCH_DIR, BENCH_FAKE_URL and BENCH_ADMIN must be set');

const dbUrl = `file:${join(dir, 'bot.db')}`;
const config = parseConfig({
  DATABASE_URL: dbUrl,
  FEISHU_APP_ID: TEST_APP.appId,
  FEISHU_APP_SECRET: TEST_APP.appSecret,
  FEISHU_VERIFICATION_TOKEN: TEST_APP.verificationToken,
  FEISHU_ENCRYPT_KEY: TEST_APP.encryptKey,
  FEISHU_DOMAIN: fakeUrl,
  BOT_ADMINS: `feishu:${admin}`,
  REVIEW_SECRET: 'bench-review-secret',
  LOG_LEVEL: 'info',
});

// The production logger (JSON lines at info), with a sink that counts instead of printing.
const logging = countingLogger(config.logLevel);
const log = logging.log;

const database = await openMigratedDatabase(dbUrl);

// Count the SQL the app sends (drizzle calls these client methods); the app itself is unchanged.
const sqlCount = countStatements(database.client);
const deps = buildDeps(config, database.db, log);

// Count background work (replies to commands) without changing it.
const inner: Background = deps.background;
let inFlight = 0;
let peak = 0;
let deferred = 0;
deps.background = {
  defer(work) {
    inFlight += 1;
    deferred += 1;
    if (inFlight > peak) peak = inFlight;
    inner.defer(work.finally(() => (inFlight -= 1)));
  },
  idle: () => inner.idle(),
};
const app = createApp(deps);

// The bare comparison: read the JSON body, one insert (same statement shape as dispatch's dedupe insert).
const bareDatabase = await openMigratedDatabase(`file:${join(dir, 'bare.db')}`);
const bare = new Hono();
let bareSeq = 0;
bare.post('/bare', async (c) => {
  await c.req.json();
  bareSeq += 1;
  const rows = await bareDatabase.db
    .insert(processedEvents)
    .values({ eventId: `bare_${process.pid}_${bareSeq}`, platform: 'feishu', receivedAt: new Date() })
    .onConflictDoNothing()
    .returning({ eventId: processedEvents.eventId });
  return c.json({ ok: rows.length > 0 });
});

function listen(fetch: (req: Request) => Response | Promise<Response>): Promise<{ server: ServerType; port: number }> {
  return new Promise((resolve) => {
    const server = serve({ fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) => resolve({ server, port: info.port }));
  });
}

const webhook = await listen(app.fetch);
const bareServer = await listen(bare.fetch);

// Per-phase measurements: `mark` starts a phase, `stats` reads it.
const loopDelay = monitorEventLoopDelay({ resolution: 1 });
loopDelay.enable();
let cpuMark = process.cpuUsage();
let eluMark: EventLoopUtilization = performance.eventLoopUtilization();

function closeServer(server: ServerType): Promise<void> {
  return new Promise((resolve) => {
    if ('closeAllConnections' in server) server.closeAllConnections();
    server.close(() => resolve());
  });
}

// Optional per-workload V8 CPU profiles (BENCH_CPU_PROF), taken in-process so each file covers one phase.
let profiler: Session | null = null;

serveRpc(
  {
    async profileStart() {
      profiler = new Session();
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.setSamplingInterval', { interval: 200 });
      await profiler.post('Profiler.start');
      return null;
    },
    async profileStop(file: string) {
      if (!profiler) return null;
      const { profile } = await profiler.post('Profiler.stop');
      profiler.disconnect();
      profiler = null;
      writeFileSync(file, JSON.stringify(profile));
      return file;
    },
    mark() {
      cpuMark = process.cpuUsage();
      eluMark = performance.eventLoopUtilization();
      loopDelay.reset();
      peak = inFlight;
      sqlCount.reset();
      logging.reset();
      return null;
    },
    async stats(): Promise<ServerStats> {
      const cpu = process.cpuUsage(cpuMark);
      const [pending] = await database.db.select({ n: count() }).from(outbox).where(eq(outbox.status, 'pending'));
      const mem = process.memoryUsage();
      return {
        cpuUserMs: cpu.user / 1000,
        cpuSystemMs: cpu.system / 1000,
        elu: performance.eventLoopUtilization(eluMark).utilization,
        loopDelayP50Ms: loopDelay.percentile(50) / 1e6,
        loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
        loopDelayMaxMs: loopDelay.max / 1e6,
        rssMb: mem.rss / 2 ** 20,
        heapUsedMb: mem.heapUsed / 2 ** 20,
        logs: { ...logging.counts },
        logSamples: [...logging.samples],
        backgroundInFlight: inFlight,
        outboxPending: pending?.n ?? 0,
        backgroundPeak: peak,
        backgroundDeferred: deferred,
        statements: sqlCount.statements,
        batches: sqlCount.batches,
      };
    },
    async close() {
      await Promise.all([closeServer(webhook.server), closeServer(bareServer.server)]);
      database.close();
      bareDatabase.close();
    },
  },
  { webhookPort: webhook.port, barePort: bareServer.port, pid: process.pid } satisfies ServerReady,
);
