// A whole bot on DingTalk for tests: real libSQL (temp file + real migrations), the fake DingTalk
// OpenAPI, the real app with the DingTalk and web adapters; callbacks signed as DingTalk signs them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { createApp, type AppDeps } from '../../bot/app.js';
import { trackedBackground } from '../../bot/background.js';
import { fixedClock, type FixedClock } from '../../bot/clock.js';
import { parseConfig } from '../../bot/config.js';
import { memoryLogger } from '../../bot/log.js';
import { newInstance } from '../../bot/instance.js';
import { dingTalkAdapter, type DingTalkAdapter } from '../../bot/platforms/dingtalk/adapter.js';
import { webAdapter } from '../../bot/platforms/web/adapter.js';
import { adapterMap, sendingApis } from '../../bot/platform.js';
import { tickOnce } from '../../bot/runtime.js';
import type { TickResult } from '../../bot/schedule.js';
import { continuousSender } from '../../bot/sender.js';
import type { Db } from '../../db/client.js';
import { openMigratedDatabase } from '../../db/open-node.js';
import { defaultRegistry } from '../../handlers/index.js';
import { DT_APP, dtHeaders, dtMessage, type DtMessageSpec } from './dingtalk-wire.js';
import { startFakeDingTalk, type DtSent, type FakeDingTalk } from './fake-dingtalk.js';
import { TEST_LINK_SECRET } from './harness.js';

export const PUBLIC_URL = 'https://bot.example.edu.cn';

export interface DtBot {
  app: ReturnType<typeof createApp>;
  db: Db;
  fake: FakeDingTalk;
  clock: FixedClock;
  logLines: string[];
  adapter: DingTalkAdapter;
  deps: AppDeps;
  /** POSTs a body to /webhooks/dingtalk, signed now (test clock) unless headers are given. */
  post(body: string, headers?: Record<string, string>): Promise<Response>;
  deliver(payload: unknown): Promise<Response>;
  settle(): Promise<void>;
  tick(): Promise<TickResult>;
  close(): Promise<void>;
}

export interface DtBotOptions {
  admins?: string[];
  now?: string;
  env?: Record<string, string>;
}

export async function startDingTalkBot(opts: DtBotOptions = {}): Promise<DtBot> {
  const dir = mkdtempSync(join(tmpdir(), 'bot-dt-'));
  const url = `file:${join(dir, 'bot.db')}`;
  const fake = await startFakeDingTalk();
  const config = parseConfig({
    DATABASE_URL: url,
    DINGTALK_CLIENT_ID: DT_APP.clientId,
    DINGTALK_CLIENT_SECRET: DT_APP.clientSecret,
    DINGTALK_API_BASE: fake.url,
    DINGTALK_OAPI_BASE: fake.url,
    BOT_ADMINS: (opts.admins ?? ['admin']).map((id) => `dingtalk:${id}`).join(','),
    REVIEW_SECRET: 'test-review-secret',
    WEB_LINK_SECRET: TEST_LINK_SECRET,
    PUBLIC_URL,
    ...opts.env,
  });
  const log = memoryLogger();
  const clock = fixedClock(opts.now ?? new Date().toISOString());
  const database = await openMigratedDatabase(url);
  const adapter = dingTalkAdapter(config, { clock, db: database.db }, { api: { retry: { sleep: async () => {} } } });
  const adapters = adapterMap([adapter, webAdapter(config, { clock, db: database.db })]);
  const instance = newInstance('test');
  const deps: AppDeps = {
    config,
    db: database.db,
    clock,
    log,
    adapters,
    background: trackedBackground(log),
    instance,
    sender: continuousSender({ db: database.db, log, apis: sendingApis(adapters), instance, clock }),
    registry: defaultRegistry,
  };
  deps.tick = () => tickOnce(deps, clock.now());
  const app = createApp(deps);
  const settle = async () => {
    for (let i = 0; i < 3; i++) {
      await deps.background.idle();
      await deps.sender!.idle();
    }
  };
  const post = async (body: string, headers?: Record<string, string>) =>
    app.request('/webhooks/dingtalk', { method: 'POST', body, headers: headers ?? dtHeaders(clock.now().getTime()) });
  let closed = false;
  return {
    app,
    db: database.db,
    fake,
    clock,
    logLines: log.lines,
    adapter,
    deps,
    post,
    deliver: (payload) => post(JSON.stringify(payload)),
    settle,
    tick: async () => {
      const result = await tickOnce(deps, clock.now());
      await settle();
      return result;
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await settle();
      await deps.sender!.stop(1000);
      database.close();
      await fake.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// A small organisation on DingTalk: two branch groups bound and synced from their departments, roles set.
export const DT_ADMIN = 'admin';
export const GROUP_A = 'cidBranchA==';
export const GROUP_B = 'cidBranchB==';
export const DEPT_A = '101';
export const DEPT_B = '102';
export const DT_BRANCH_A = [
  { userid: 'a1', name: '王书记' },
  { userid: 'a2', name: '张三' },
  { userid: 'a3', name: '李四' },
];
export const DT_BRANCH_B = [
  { userid: 'b1', name: '赵书记' },
  { userid: 'b2', name: '钱五' },
];
export const DT_LEADER = { userid: 'l1', name: '刘委员' };
export const ORG_ENV = { DINGTALK_CHAT_DEPTS: JSON.stringify({ [GROUP_A]: Number(DEPT_A), [GROUP_B]: Number(DEPT_B) }) };

/** A command in a group as `from`; waits for the reply and returns it. */
export async function dtSay(bot: DtBot, from: string, group: string, text: string, at: DtMessageSpec['at'] = []): Promise<DtSent> {
  const before = bot.fake.sent.length;
  const res = await bot.deliver(dtMessage({ from, group, text, at }));
  expect(res.status).toBe(200);
  await bot.settle();
  expect(bot.fake.sent.length).toBe(before + 1);
  return bot.fake.sent.at(-1)!;
}

export async function dtSayPrivately(bot: DtBot, from: string, text: string): Promise<DtSent> {
  const before = bot.fake.sent.length;
  const res = await bot.deliver(dtMessage({ from, text }));
  expect(res.status).toBe(200);
  await bot.settle();
  expect(bot.fake.sent.length).toBe(before + 1);
  return bot.fake.sent.at(-1)!;
}

export async function setUpDingTalkOrg(bot: DtBot): Promise<void> {
  await dtSay(bot, DT_ADMIN, GROUP_A, '/绑定 后勤第一党支部');
  await dtSay(bot, DT_ADMIN, GROUP_B, '/绑定 后勤第二党支部');
  bot.fake.setDepartment(DEPT_A, [...DT_BRANCH_A, DT_LEADER], 2);
  bot.fake.setDepartment(DEPT_B, DT_BRANCH_B, 2);
  await dtSay(bot, DT_ADMIN, GROUP_A, `/角色 @${DT_LEADER.name} 委员`, [{ staffId: DT_LEADER.userid, name: DT_LEADER.name }]);
  await dtSay(bot, DT_ADMIN, GROUP_A, '/同步');
  await dtSay(bot, DT_ADMIN, GROUP_B, '/同步');
  await dtSay(bot, DT_ADMIN, GROUP_A, `/角色 @王书记 书记`, [{ staffId: 'a1', name: '王书记' }]);
  await dtSay(bot, DT_ADMIN, GROUP_B, `/角色 @赵书记 书记`, [{ staffId: 'b1', name: '赵书记' }]);
  await dtSay(bot, DT_ADMIN, GROUP_A, '/名册 确认 @张三 @李四 正式党员', [
    { staffId: 'a2', name: '张三' },
    { staffId: 'a3', name: '李四' },
  ]);
  await dtSay(bot, DT_ADMIN, GROUP_B, '/名册 确认 @钱五 正式党员', [{ staffId: 'b2', name: '钱五' }]);
}
