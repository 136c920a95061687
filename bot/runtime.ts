// Wires config + database into app deps; shared by the Node and Workers entries.
import type { AppDeps } from './app.js';
import { trackedBackground } from './background.js';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import type { Logger } from './log.js';
import { FeishuApi } from './platforms/feishu/api.js';
import type { Db } from '../db/client.js';
import type { TickDeps } from './schedule.js';
import { defaultRegistry } from '../handlers/index.js';

export function buildDeps(config: Config, db: Db, log: Logger, clock: Clock = systemClock): AppDeps {
  const feishuApi = config.feishu
    ? new FeishuApi({ appId: config.feishu.appId, appSecret: config.feishu.appSecret, domain: config.feishu.domain })
    : null;
  return { config, db, clock, log, feishuApi, background: trackedBackground(log) };
}

export function tickDeps(deps: AppDeps): TickDeps {
  return {
    db: deps.db,
    log: deps.log,
    api: deps.feishuApi,
    config: deps.config,
    timezone: deps.config.timezone,
    hooks: (deps.registry ?? defaultRegistry).tickHooks,
    responseSources: (deps.registry ?? defaultRegistry).responseSources,
  };
}
