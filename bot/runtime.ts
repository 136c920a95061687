// The composition root: which platforms and which capabilities, wired over config and a database.
// Shared by the Node and Workers entries; the only place bot/ meets handlers/ and platforms/.
import { dispatchDeps, type AppDeps } from './app.js';
import { trackedBackground, type Defer } from './background.js';
import { resumePending } from './dispatch.js';
import { systemClock, type Clock } from './clock.js';
import { requireReviewSecret, type Config } from './config.js';
import { fileSource } from './files.js';
import { newInstance } from './instance.js';
import type { Logger } from './log.js';
import { adapterMap, type PlatformPlugin, publicPagesOf, sendingApis } from './platform.js';
import { dingTalkPlugin } from './platforms/dingtalk/adapter.js';
import { feishuPlugin } from './platforms/feishu/adapter.js';
import { webPlugin } from './platforms/web/adapter.js';
import type { Registry } from './registry.js';
import type { HttpTransport } from './http-transport.js';
import { runTick, type TickDeps, type TickResult } from './schedule.js';
import { continuousSender, requestScopedSender } from './sender.js';
import type { Db } from '../db/client.js';
import { defaultRegistry } from '../handlers/index.js';

/** Every platform the bot knows; each reads its own section of the config. */
export const PLATFORMS: PlatformPlugin[] = [feishuPlugin, dingTalkPlugin, webPlugin];

/**
 * The sandbox runs when no production platform and no database are configured (SANDBOX=0 turns it
 * off), or when SANDBOX=1 asks for it. It always runs on a database of its own: SANDBOX=1 with a
 * DATABASE_URL refuses to start (web/sandbox/setup.ts).
 */
export function sandboxMode(config: Config): boolean {
  const flag = config.env.SANDBOX?.trim();
  if (flag === '1') return true;
  if (flag === '0') return false;
  // A configured database is the operator's: the default sandbox stays off rather than refusing to start.
  return !PLATFORMS.some((p) => p.production(config)) && !config.env.DATABASE_URL?.trim();
}

export interface BuildOptions {
  clock?: Clock;
  /** Workers: no process outlives a request, so sends ride on its waitUntil. */
  requestScoped?: boolean;
  /** This process is the sandbox (runtime decides: see sandboxMode). */
  sandbox?: boolean;
  registry?: Registry;
  cardAckBudgetMs?: number;
  /** How the Open API clients call out (default fetch; entry-node passes node:http). */
  http?: HttpTransport;
}

export function buildDeps(config: Config, db: Db, log: Logger, opts: BuildOptions = {}): AppDeps {
  const clock = opts.clock ?? systemClock;
  const instance = newInstance();
  const list = PLATFORMS.map((p) => p.create(config, { clock, db, http: opts.http }));
  requireReviewSecret(
    config,
    list.filter((a) => a.production).map((a) => a.id),
  );
  const adapters = adapterMap(list);
  const apis = sendingApis(adapters);
  const senderOf = opts.requestScoped ? requestScopedSender : continuousSender;
  const registry = opts.registry ?? defaultRegistry;
  const files = fileSource(registry.ports ?? {}, { db, config, clock });
  const sender = apis.length ? senderOf({ db, log, apis, instance, clock, files }) : null;
  const deps: AppDeps = {
    config,
    db,
    clock,
    log,
    adapters,
    background: trackedBackground(log),
    instance,
    sender,
    useExecutionContext: opts.requestScoped,
    registry,
    cardAckBudgetMs: opts.cardAckBudgetMs,
    sandbox: opts.sandbox ?? false,
  };
  deps.tick = () => tickOnce(deps, clock.now());
  return deps;
}

export function tickDeps(deps: AppDeps): TickDeps {
  return {
    db: deps.db,
    log: deps.log,
    apis: sendingApis(deps.adapters),
    files: fileSource(deps.registry.ports ?? {}, { db: deps.db, config: deps.config, clock: deps.clock }),
    instance: deps.instance,
    config: deps.config,
    timezone: deps.config.timezone,
    hooks: deps.registry.tickHooks,
    responseSources: deps.registry.responseSources,
    engine: deps.registry.engine,
    pages: publicPagesOf(deps.adapters),
  };
}

/** Start-up lines for the operator: core settings, then each platform's. */
export function startupWarnings(deps: AppDeps): string[] {
  return [...deps.adapters.values()].flatMap((a) => a.warnings());
}

/** One minute's work: resume events left unfinished (a dead process's), then the scheduler tick. */
export async function tickOnce(deps: AppDeps, now: Date, defer: Defer = deps.background.defer): Promise<TickResult> {
  const dispatch = dispatchDeps(deps);
  // A failure here must not cost the minute's reminders.
  if (dispatch) await resumePending(dispatch, defer).catch((err: unknown) => deps.log.error('resuming events failed', { error: err }));
  const tick = tickDeps(deps);
  // On Node the continuous sender sends what the tick wrote; on Workers the tick drains within its own run.
  const sender = deps.useExecutionContext ? null : deps.sender;
  return runTick(sender ? { ...tick, kick: () => sender.kick(defer) } : tick, now);
}
