// A whole bot for tests: real libSQL (temp file + real migrations), the fake Open API, the real app.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../bot/app.js';
import { trackedBackground } from '../../bot/background.js';
import { fixedClock, type FixedClock } from '../../bot/clock.js';
import { parseConfig } from '../../bot/config.js';
import { memoryLogger } from '../../bot/log.js';
import { FeishuApi } from '../../bot/platforms/feishu/api.js';
import type { Db } from '../../db/client.js';
import { openMigratedDatabase } from '../../db/open-node.js';
import type { Registry } from '../../handlers/index.js';
import { startFakeFeishu, type FakeFeishu } from './fake-feishu.js';
import { TEST_APP, wire, type WireOptions } from './feishu-wire.js';

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
  /** Waits the platform asked for, recorded instead of slept. */
  sleeps: number[];
  /** POST a payload to /webhooks/feishu as Feishu would (encrypted + signed unless told otherwise). */
  deliver(payload: unknown, opts?: WireOptions): Promise<Response>;
  post(body: string, headers?: Record<string, string>): Promise<Response>;
  settle(): Promise<void>;
  close(): Promise<void>;
}

export async function startTestBot(opts: TestBotOptions = {}): Promise<TestBot> {
  const dir = mkdtempSync(join(tmpdir(), 'bot-test-'));
  const database = await openMigratedDatabase(`file:${join(dir, 'bot.db')}`);
  const fake = await startFakeFeishu();
  const encryptKey = opts.encryptKey === undefined ? TEST_APP.encryptKey : opts.encryptKey;
  const config = parseConfig({
    DATABASE_URL: `file:${join(dir, 'bot.db')}`,
    FEISHU_APP_ID: TEST_APP.appId,
    FEISHU_APP_SECRET: TEST_APP.appSecret,
    FEISHU_VERIFICATION_TOKEN: TEST_APP.verificationToken,
    FEISHU_ENCRYPT_KEY: encryptKey ?? undefined,
    FEISHU_DOMAIN: fake.url,
    BOT_ADMINS: (opts.admins ?? ['ou_admin']).join(','),
  });
  const log = memoryLogger();
  const clock = fixedClock(opts.now ?? new Date().toISOString());
  const sleeps: number[] = [];
  const feishuApi = new FeishuApi({
    appId: TEST_APP.appId,
    appSecret: TEST_APP.appSecret,
    domain: fake.url,
    retry: {
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    },
  });
  const background = trackedBackground(log);
  const app = createApp({
    config,
    db: database.db,
    clock,
    log,
    feishuApi,
    background,
    cardAckBudgetMs: opts.cardAckBudgetMs,
    registry: opts.registry,
  });
  const post = async (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    app.request('/webhooks/feishu', { method: 'POST', body, headers });
  return {
    app,
    db: database.db,
    fake,
    clock,
    logLines: log.lines,
    sleeps,
    post,
    deliver: (payload, wireOpts) => {
      const { body, headers } = wire(payload, { encryptKey, ...wireOpts });
      return post(body, headers);
    },
    settle: () => background.idle(),
    close: async () => {
      await background.idle();
      database.close();
      await fake.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
