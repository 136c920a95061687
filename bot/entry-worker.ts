// Cloudflare Workers entry: fetch -> the same Hono app, scheduled -> the same runTick.
import type { ExecutionContext, Hono } from 'hono';
import { createApp, type AppDeps } from './app.js';
import { configWarnings, parseConfig, type EnvRecord } from './config.js';
import { ConfigError } from './errors.js';
import { createLogger } from './log.js';
import { buildDeps, startupWarnings, tickOnce } from './runtime.js';
import { isEmbeddedUrl, openDatabase } from '../db/client.js';

let built: Promise<{ deps: AppDeps; app: Hono }> | null = null;

/** One set of deps per isolate; migrations are applied at deploy time (`npm run db:migrate`). */
function boot(env: EnvRecord): Promise<{ deps: AppDeps; app: Hono }> {
  built ??= (async () => {
    const config = parseConfig(env);
    if (isEmbeddedUrl(config.databaseUrl)) {
      throw new ConfigError('DATABASE_URL', 'a Worker needs a remote libSQL URL (libsql://, https:// or http://)');
    }
    const log = createLogger(config.logLevel);
    for (const warning of configWarnings(config)) log.warn(warning);
    const database = await openDatabase(config.databaseUrl, config.databaseAuthToken ?? undefined);
    const deps = buildDeps(config, database.db, log, { requestScoped: true });
    for (const warning of startupWarnings(deps)) log.warn(warning);
    return { deps, app: createApp(deps) };
  })().catch((err: unknown) => {
    built = null;
    throw err;
  });
  return built;
}

function stringEnv(env: Record<string, unknown>): EnvRecord {
  const out: EnvRecord = {};
  for (const [k, v] of Object.entries(env)) if (typeof v === 'string') out[k] = v;
  return out;
}

export default {
  async fetch(request: Request, env: Record<string, unknown>, ctx: ExecutionContext): Promise<Response> {
    try {
      const { app } = await boot(stringEnv(env));
      return await app.fetch(request, env, ctx);
    } catch (err) {
      const message = err instanceof ConfigError ? err.message : 'service unavailable';
      console.error(JSON.stringify({ level: 'error', msg: 'worker boot failed', error: message }));
      return Response.json({ error: message }, { status: 503 });
    }
  },
  async scheduled(controller: { scheduledTime: number }, env: Record<string, unknown>): Promise<void> {
    const { deps } = await boot(stringEnv(env));
    // Awaited, so a failed tick shows as a failed cron run as well as in our log. Events left
    // unfinished (a request's waitUntil cut short) are resumed here, their sends awaited too.
    const work: Array<Promise<unknown>> = [];
    try {
      await tickOnce(
        deps,
        new Date(controller.scheduledTime),
        (p) => void work.push(p.catch((err: unknown) => deps.log.error('background work failed', { error: err }))),
      );
      await Promise.all(work);
    } catch (err) {
      deps.log.error('tick failed', { error: err });
      throw err;
    }
  },
};
