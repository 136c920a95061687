// createApp(deps): mounts every adapter's routes, /healthz, and the one place edge errors become HTTP codes.
import { Hono, type Context } from 'hono';
import { ActorCache } from './actor-cache.js';
import type { Background, Defer } from './background.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { DispatchDeps } from './dispatch.js';
import { BadRequestError, VerificationError } from './errors.js';
import type { Instance } from './instance.js';
import type { Logger } from './log.js';
import { type AdapterHost, type Adapters, publicPagesOf } from './platform.js';
import type { Registry } from './registry.js';
import type { OutboxSender } from './sender.js';
import type { Db } from '../db/client.js';

export interface AppDeps {
  config: Config;
  db: Db;
  clock: Clock;
  log: Logger;
  /** Every platform this process serves, configured or not (an unconfigured one answers 503). */
  adapters: Adapters;
  background: Background;
  instance: Instance;
  /** Sends what events write to the outbox (null without a platform to send to). */
  sender: OutboxSender | null;
  /** Overrides the adapters' card ack budgets (tests). */
  cardAckBudgetMs?: number;
  /** True on Workers: background work goes to the request's executionCtx.waitUntil. */
  useExecutionContext?: boolean;
  /** Commands, card actions and engine hooks of every capability (the composition root's choice). */
  registry: Registry;
  /** The sandbox runs in this process (see AdapterHost.sandbox). */
  sandbox?: boolean;
  /** One scheduler tick (runtime.ts's tickOnce over these deps). */
  tick?: () => Promise<unknown>;
}

/** Workers hand each request an ExecutionContext to keep work alive; on Node we track it ourselves. */
function deferFor(deps: AppDeps) {
  if (!deps.useExecutionContext) return (): Defer => deps.background.defer;
  return (c: Context): Defer => {
    const ctx = c.executionCtx;
    return (work) => ctx.waitUntil(work.catch((err: unknown) => deps.log.error('background work failed', { error: err })));
  };
}

const dispatchOf = new WeakMap<AppDeps, DispatchDeps>();

/** The one dispatch of these deps (every adapter's routes and the resuming of unfinished events share it). */
export function dispatchDeps(deps: AppDeps): DispatchDeps | null {
  if (!deps.sender) return null;
  let d = dispatchOf.get(deps);
  if (!d) {
    d = {
      db: deps.db,
      clock: deps.clock,
      config: deps.config,
      log: deps.log,
      adapters: deps.adapters,
      pages: publicPagesOf(deps.adapters),
      cardAckBudgetMs: deps.cardAckBudgetMs,
      registry: deps.registry,
      actors: new ActorCache(),
      instance: deps.instance,
      kick: deps.sender.kick,
      processing: new Map(),
    };
    dispatchOf.set(deps, d);
  }
  return d;
}

async function settled(deps: AppDeps, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const work = (async () => {
    for (let i = 0; i < 3; i++) {
      await deps.background.idle();
      await deps.sender?.idle();
    }
  })();
  await Promise.race([work, new Promise((r) => (timer = setTimeout(r, ms)))]);
  clearTimeout(timer);
}

export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  const host: AdapterHost = {
    config: deps.config,
    db: deps.db,
    clock: deps.clock,
    log: deps.log,
    dispatch: dispatchDeps(deps),
    defer: deferFor(deps),
    sandbox: deps.sandbox ?? false,
    ports: deps.registry.ports ?? {},
    tick: () => deps.tick?.() ?? Promise.resolve(),
    idle: (ms) => settled(deps, ms),
  };

  app.get('/healthz', (c) => {
    const platforms: Record<string, unknown> = {};
    for (const a of deps.adapters.values()) {
      platforms[a.id] = a.missing.length === 0 ? 'configured' : { status: a.api ? 'partly configured' : 'not configured', missing: a.missing };
    }
    return c.json({ ok: true, platforms });
  });

  for (const adapter of deps.adapters.values()) adapter.mount(app, host);

  app.notFound((c) => c.json({ error: 'not found' }, 404));

  app.onError((err, c) => {
    if (err instanceof VerificationError) {
      deps.log.warn('request refused', { path: c.req.path, reason: err.message });
      return c.json({ error: 'unauthorized' }, 401);
    }
    if (err instanceof BadRequestError) {
      deps.log.warn('bad request', { path: c.req.path, reason: err.message });
      return c.json({ error: err.message }, 400);
    }
    deps.log.error('unexpected error', { path: c.req.path, error: err });
    return c.json({ error: 'internal error' }, 500);
  });

  return app;
}
