// A whole bot for tests: real libSQL (temp file + real migrations), the fake Open API, the real app.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type AppDeps } from '../../bot/app.js';
import { trackedBackground } from '../../bot/background.js';
import { fixedClock, type FixedClock } from '../../bot/clock.js';
import { parseConfig } from '../../bot/config.js';
import { memoryLogger } from '../../bot/log.js';
import { releaseClaims } from '../../bot/inbox.js';
import { newInstance } from '../../bot/instance.js';
import { feishuAdapter } from '../../bot/platforms/feishu/adapter.js';
import { webAdapter } from '../../bot/platforms/web/adapter.js';
import { adapterMap, sendingApis } from '../../bot/platform.js';
import { tickOnce } from '../../bot/runtime.js';
import { continuousSender } from '../../bot/sender.js';
import { fileSource } from '../../bot/files.js';
import type { Db } from '../../db/client.js';
import { openMigratedDatabase } from '../../db/open-node.js';
import type { Registry } from '../../bot/registry.js';
import { defaultRegistry } from '../../handlers/index.js';
import type { TickResult } from '../../bot/schedule.js';
import type { Database } from '../../db/client.js';
import { startFakeFeishu, type FakeFeishu } from './fake-feishu.js';
import { TEST_APP, wire, type WireOptions } from './feishu-wire.js';
import { virtualGate, type VirtualTime } from './virtual-gate.js';

/** The key of personal web links in the test bot. */
export const TEST_LINK_SECRET = 'test-link-secret-0123456789';

export interface TestBotOptions {
  admins?: string[];
  encryptKey?: string | null;
  cardAckBudgetMs?: number;
  now?: string;
  registry?: Registry;
}

export interface TestBot {
  app: ReturnType<typeof createApp>;
  db: Db;
  fake: FakeFeishu;
  clock: FixedClock;
  logLines: string[];
  /** Backoff waits of the API client, recorded instead of slept. */
  sleeps: number[];
  /** Waits of the rate gate (pacing and "retry after"), on a virtual clock. */
  gateWaits: number[];
  /** One scheduler tick at the test clock's time. */
  tick(): Promise<TickResult>;
  /** Simulates a process restart: new connection, app and API client over the same database file. */
  restart(): Promise<void>;
  /** The libSQL client under the running bot (a test can close it to take the database away). */
  readonly client: Database['client'];
  /** Simulates kill -9: the running process is abandoned mid-work (nothing awaited) and a new one starts on the file. */
  crash(): Promise<void>;
  /** A second bot instance on the same database (as on a shared libSQL server) and fake API. */
  secondInstance(): Promise<{ tick(): Promise<TickResult>; close(): void }>;
  /** POST a payload to /webhooks/feishu as Feishu would (encrypted + signed unless told otherwise). */
  deliver(payload: unknown, opts?: WireOptions): Promise<Response>;
  post(body: string, headers?: Record<string, string>): Promise<Response>;
  settle(): Promise<void>;
  close(): Promise<void>;
}

export async function startTestBot(opts: TestBotOptions = {}): Promise<TestBot> {
  const dir = mkdtempSync(join(tmpdir(), 'bot-test-'));
  const url = `file:${join(dir, 'bot.db')}`;
  const fake = await startFakeFeishu();
  const encryptKey = opts.encryptKey === undefined ? TEST_APP.encryptKey : opts.encryptKey;
  const config = parseConfig({
    DATABASE_URL: url,
    FEISHU_APP_ID: TEST_APP.appId,
    FEISHU_APP_SECRET: TEST_APP.appSecret,
    FEISHU_VERIFICATION_TOKEN: TEST_APP.verificationToken,
    FEISHU_ENCRYPT_KEY: encryptKey ?? undefined,
    FEISHU_DOMAIN: fake.url,
    BOT_ADMINS: (opts.admins ?? ['ou_admin']).map((id) => (id.includes(':') ? id : `feishu:${id}`)).join(','),
    REVIEW_SECRET: 'test-review-secret',
    WEB_LINK_SECRET: TEST_LINK_SECRET,
  });
  const log = memoryLogger();
  const clock = fixedClock(opts.now ?? new Date().toISOString());
  const sleeps: number[] = [];
  const time: VirtualTime = { now: 0, waits: [] };
  const gateWaits = time.waits;

  /** One process's deps over a database (a restart builds new ones; a second instance shares the connection). */
  const depsOver = (database: Database): AppDeps => {
    const feishu = feishuAdapter(config, {
      api: {
        gate: virtualGate(time),
        retry: {
          sleep: async (ms) => {
            sleeps.push(ms);
          },
        },
      },
    });
    const web = webAdapter(config, { clock, db: database.db });
    const adapters = adapterMap([feishu, web]);
    const instance = newInstance('test');
    const deps: AppDeps = {
      config,
      db: database.db,
      clock,
      log,
      adapters,
      background: trackedBackground(log),
      instance,
      sender: continuousSender({
        db: database.db,
        log,
        apis: sendingApis(adapters),
        instance,
        clock,
        files: fileSource((opts.registry ?? defaultRegistry).ports ?? {}, { db: database.db, config, clock }),
      }),
      cardAckBudgetMs: opts.cardAckBudgetMs,
      registry: opts.registry ?? defaultRegistry,
    };
    deps.tick = () => tickOnce(deps, clock.now());
    return deps;
  };
  const build = async () => {
    const database = await openMigratedDatabase(url);
    await releaseClaims(database.db, clock.now());
    const deps = depsOver(database);
    return { database, deps, app: createApp(deps) };
  };
  let closed = false;
  let current: { database: Database; deps: AppDeps; app: ReturnType<typeof createApp> } = await build();
  const settle = async (deps: AppDeps) => {
    // Background work may write to the outbox and sends may defer more work: wait until both rest.
    for (let i = 0; i < 3; i++) {
      await deps.background.idle();
      await deps.sender!.idle();
    }
  };

  const post = async (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    current.app.request('/webhooks/feishu', { method: 'POST', body, headers });
  const bot: TestBot = {
    get app() {
      return current.app;
    },
    get db() {
      return current.database.db;
    },
    get client() {
      return current.database.client;
    },
    fake,
    clock,
    logLines: log.lines,
    sleeps,
    gateWaits,
    post,
    deliver: (payload, wireOpts) => {
      // Feishu signs with its own clock; ours is the test clock, so the freshness check sees them agree.
      const timestamp = String(Math.floor(clock.now().getTime() / 1000));
      const { body, headers } = wire(payload, { encryptKey, timestamp, ...wireOpts });
      return post(body, headers);
    },
    settle: () => settle(current.deps),
    tick: async () => {
      const result = await tickOnce(current.deps, clock.now());
      await settle(current.deps);
      return result;
    },
    restart: async () => {
      await settle(current.deps);
      await current.deps.sender!.stop(1000);
      current.database.close();
      current = await build();
    },
    crash: async () => {
      void current.deps.sender!.stop(0);
      current.database.close();
      current = await build();
    },
    secondInstance: async () => {
      const other = depsOver(current.database);
      return {
        tick: () => tickOnce(other, clock.now()),
        close: () => void other.sender!.stop(0),
      };
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await settle(current.deps);
      await current.deps.sender!.stop(1000);
      current.database.close();
      await fake.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return bot;
}
