// `npm start`: the webhook server on Node with an embedded (or remote) libSQL database and node-cron.
// Built to plain JavaScript (dist/) and run with node; stops cleanly on SIGTERM/SIGINT.
import './heap-growth.js';
import { serve } from '@hono/node-server';
import cron from 'node-cron';
import { createApp, dispatchDeps, type AppDeps } from './app.js';
import { startConnections } from './connections-node.js';
import { configWarnings, parseConfig, type Config } from './config.js';
import { resumePending } from './dispatch.js';
import { ConfigError } from './errors.js';
import { releaseClaims } from './inbox.js';
import { createLogger } from './log.js';
import { adjustableClock, systemClock } from './clock.js';
import { buildDeps, sandboxMode, startupWarnings, tickOnce } from './runtime.js';
import { nodeTransport } from './http-node.js';
import { sandboxEnv } from './platforms/web/sandbox/setup.js';
import { openMigratedDatabase } from '../db/open-node.js';
import { DatabaseInUseError } from '../db/writer-lock.js';
import { isEmbeddedUrl, type Database } from '../db/client.js';

/** A stop finishes requests, events and sends within this, then exits (Docker kills after 10 s). */
const DRAIN_MS = Number(process.env.DRAIN_TIMEOUT_MS ?? 8_000);

function within<T>(ms: number, work: Promise<T>): Promise<T | 'timeout'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), Math.max(0, ms))));
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

async function main(): Promise<void> {
  let config: Config;
  let sandbox = false;
  try {
    config = parseConfig(process.env);
    sandbox = sandboxMode(config);
    if (sandbox) config = parseConfig(sandboxEnv(process.env));
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`Configuration error: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  const log = createLogger(config.logLevel);
  for (const warning of configWarnings(config)) log.warn(warning);

  let database: Database;
  try {
    database = await openMigratedDatabase(config.databaseUrl, config.databaseAuthToken ?? undefined);
  } catch (err) {
    if (err instanceof DatabaseInUseError) {
      log.error('refusing to start: database in use', { reason: err.message });
      process.exit(3);
    }
    throw err;
  }
  // The sandbox's clock can be moved from its page ("时间"); a production clock cannot.
  let deps: AppDeps;
  try {
    deps = buildDeps(config, database.db, log, { sandbox, clock: sandbox ? adjustableClock() : systemClock, http: nodeTransport() });
  } catch (err) {
    if (err instanceof ConfigError) {
      log.error(`Configuration error: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  for (const warning of startupWarnings(deps)) log.warn(warning);
  const app = createApp(deps);
  const dispatch = dispatchDeps(deps);

  if (isEmbeddedUrl(config.databaseUrl)) {
    // We hold the file's writer lock: whoever claimed events or sends before us is gone.
    const released = await releaseClaims(database.db, deps.clock.now());
    if (released.events || released.outbox) log.warn('released claims of a previous process', released);
  }
  if (dispatch) {
    deps.background.defer(resumePending(dispatch, deps.background.defer));
    dispatch.kick(deps.background.defer);
  }

  // Outbound platform connections (DingTalk Stream): events arrive without a public URL.
  const connections = startConnections(deps);

  let ticking: Promise<void> | null = null;
  const task = cron.schedule(
    '* * * * *',
    () => {
      if (ticking) return;
      ticking = tickOnce(deps, deps.clock.now())
        .then(() => undefined)
        .catch((err: unknown) => log.error('tick failed', { error: err }))
        .finally(() => {
          ticking = null;
        });
    },
    { timezone: config.timezone },
  );

  const server = serve({ fetch: app.fetch, port: config.port }, (info) => {
    if (sandbox) log.info(`sandbox: open http://localhost:${info.port}/ in a browser (demo organisation, its own database ${config.databaseUrl})`);
    log.info(`listening on http://localhost:${info.port}`, {
      database: config.databaseUrl.startsWith('file:') ? config.databaseUrl : 'remote',
      platforms: [...deps.adapters.values()].map((a) => `${a.id}: ${a.api ? 'on' : 'off'}`).join(', '),
      pid: process.pid,
    });
  });

  let stopping = false;
  const stop = async (signal: string) => {
    // npm, a shell or a process-group kill can deliver the same signal twice: one drain only.
    if (stopping) {
      log.info('already stopping', { signal });
      return;
    }
    stopping = true;
    const deadline = Date.now() + DRAIN_MS;
    const left = () => deadline - Date.now();
    log.info('stopping: no new requests; finishing events and sends', { signal, drainMs: DRAIN_MS });
    let clean = true;
    try {
      await task.stop();
      await within(left(), connections.stop());
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      const steps = [closed, ticking ?? Promise.resolve(), deps.background.idle(), deps.sender?.idle() ?? Promise.resolve()];
      for (const step of steps) if ((await within(left(), step)) === 'timeout') clean = false;
      if (deps.sender && !(await deps.sender.stop(Math.max(0, left())))) clean = false;
    } catch (err) {
      // Whatever did not finish is durable and resumes at the next start: still a clean exit.
      clean = false;
      log.error('error while stopping', { error: err });
    }
    log.info(clean ? 'stopped cleanly' : 'stopped at the drain limit; unfinished work resumes at the next start');
    database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

await main();
