// Wires config + database into app deps; shared by the Node and Workers entries.
import { dispatchDeps, type AppDeps } from './app.js';
import { trackedBackground, type Defer } from './background.js';
import { resumePending } from './dispatch.js';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import { newInstance } from './instance.js';
import type { Logger } from './log.js';
import { FeishuApi } from './platforms/feishu/api.js';
import type { Db } from '../db/client.js';
import { runTick, type TickDeps, type TickResult } from './schedule.js';
import { continuousSender, requestScopedSender } from './sender.js';
import { defaultRegistry } from '../handlers/index.js';

export interface BuildOptions {
  clock?: Clock;
  /** Workers: no process outlives a request, so sends ride on its waitUntil. */
  requestScoped?: boolean;
}

export function buildDeps(config: Config, db: Db, log: Logger, opts: BuildOptions = {}): AppDeps {
  const clock = opts.clock ?? systemClock;
  const instance = newInstance();
  const feishuApi = config.feishu
    ? new FeishuApi({ appId: config.feishu.appId, appSecret: config.feishu.appSecret, domain: config.feishu.domain })
    : null;
  const senderOf = opts.requestScoped ? requestScopedSender : continuousSender;
  const sender = feishuApi ? senderOf({ db, log, api: feishuApi, instance, clock }) : null;
  return { config, db, clock, log, feishuApi, background: trackedBackground(log), instance, sender, useExecutionContext: opts.requestScoped };
}

export function tickDeps(deps: AppDeps): TickDeps {
  return {
    db: deps.db,
    log: deps.log,
    api: deps.feishuApi,
    instance: deps.instance,
    config: deps.config,
    timezone: deps.config.timezone,
    hooks: (deps.registry ?? defaultRegistry).tickHooks,
    responseSources: (deps.registry ?? defaultRegistry).responseSources,
  };
}

/** One minute's work: resume events left unfinished (a dead process's), then the scheduler tick. */
export async function tickOnce(deps: AppDeps, now: Date, defer: Defer = deps.background.defer): Promise<TickResult> {
  const dispatch = dispatchDeps(deps);
  // A failure here must not cost the minute's reminders.
  if (dispatch) await resumePending(dispatch, defer).catch((err: unknown) => deps.log.error('resuming events failed', { error: err }));
  return runTick(tickDeps(deps), now);
}
