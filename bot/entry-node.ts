// `npm start`: the webhook server on Node with an embedded (or remote) libSQL database and node-cron.
import { serve } from '@hono/node-server';
import cron from 'node-cron';
import { createApp } from './app.js';
import { configWarnings, parseConfig } from './config.js';
import { ConfigError } from './errors.js';
import { createLogger } from './log.js';
import { buildDeps, tickDeps } from './runtime.js';
import { runTick } from './schedule.js';
import { openMigratedDatabase } from '../db/open-node.js';

async function main(): Promise<void> {
  let config;
  try {
    config = parseConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`Configuration error: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  const log = createLogger(config.logLevel);
  for (const warning of configWarnings(config)) log.warn(warning);

  const database = await openMigratedDatabase(config.databaseUrl, config.databaseAuthToken ?? undefined);
  const deps = buildDeps(config, database.db, log);
  const app = createApp(deps);

  let ticking = false;
  const task = cron.schedule(
    '* * * * *',
    async () => {
      if (ticking) return;
      ticking = true;
      try {
        await runTick(tickDeps(deps), deps.clock.now());
      } catch (err) {
        log.error('tick failed', { error: err });
      } finally {
        ticking = false;
      }
    },
    { timezone: config.timezone },
  );

  const server = serve({ fetch: app.fetch, port: config.port }, (info) => {
    log.info(`listening on http://localhost:${info.port}`, {
      database: config.databaseUrl.startsWith('file:') ? config.databaseUrl : 'remote',
      feishu: config.feishu ? 'configured' : 'not configured',
    });
  });

  const shutdown = async () => {
    await task.stop();
    server.close();
    await deps.background.idle();
    database.close();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

await main();
