// createApp(deps): the Hono routes and the one place edge errors become HTTP codes.
import { Hono, type Context } from 'hono';
import type { Background, Defer } from './background.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { DispatchDeps } from './dispatch.js';
import { BadRequestError, VerificationError } from './errors.js';
import type { Instance } from './instance.js';
import type { Logger } from './log.js';
import type { OutboxSender } from './sender.js';
import { feishuWebhook } from './platforms/feishu/webhook.js';
import type { PlatformApi } from './types.js';
import type { Db } from '../db/client.js';
import { ActorCache } from '../handlers/actor-cache.js';
import { defaultRegistry, type Registry } from '../handlers/index.js';

export interface AppDeps {
  config: Config;
  db: Db;
  clock: Clock;
  log: Logger;
  feishuApi: PlatformApi | null;
  background: Background;
  instance: Instance;
  /** Sends what events write to the outbox (null without a platform to send to). */
  sender: OutboxSender | null;
  cardAckBudgetMs?: number;
  /** True on Workers: background work goes to the request's executionCtx.waitUntil. */
  useExecutionContext?: boolean;
  /** Commands and card actions; the default is every capability in handlers/. */
  registry?: Registry;
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

/** The one dispatch of these deps (the webhook and the resuming of unfinished events share it). */
export function dispatchDeps(deps: AppDeps): DispatchDeps | null {
  if (!deps.feishuApi || !deps.sender) return null;
  let d = dispatchOf.get(deps);
  if (!d) {
    d = {
      db: deps.db,
      clock: deps.clock,
      config: deps.config,
      log: deps.log,
      api: deps.feishuApi,
      cardAckBudgetMs: deps.cardAckBudgetMs ?? 2500,
      registry: deps.registry ?? defaultRegistry,
      actors: new ActorCache(),
      instance: deps.instance,
      kick: deps.sender.kick,
      processing: new Map(),
    };
    dispatchOf.set(deps, d);
  }
  return d;
}

export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  const dispatch = dispatchDeps(deps);

  app.get('/healthz', (c) =>
    c.json({
      ok: true,
      feishu: deps.config.feishu ? 'configured' : 'not configured',
      ...(deps.config.feishuMissing.length ? { missing: deps.config.feishuMissing } : {}),
    }),
  );

  app.post(
    '/webhooks/feishu',
    feishuWebhook({
      feishu: deps.config.feishu,
      missing: deps.config.feishuMissing,
      dispatch,
      defer: deferFor(deps),
    }),
  );

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
