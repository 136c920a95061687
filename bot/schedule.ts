// runTick: the one thing node-cron and Workers' scheduled() call, once a minute.
import { lt } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { processedEvents } from '../db/schema.js';
import type { Logger } from './log.js';
import { drainOutbox, type DrainResult } from './outbox.js';
import type { PlatformApi } from './types.js';

/** Delivery ids are kept well past Feishu's last retry (~7 h) and the signature freshness window. */
export const EVENT_RETENTION_MS = 7 * 24 * 60 * 60_000;

export interface TickDeps {
  db: Db;
  log: Logger;
  api: PlatformApi | null;
}

export interface TickResult {
  purgedEvents: number;
  outbox: DrainResult | null;
}

export async function runTick(deps: TickDeps, now: Date): Promise<TickResult> {
  const purged = await deps.db
    .delete(processedEvents)
    .where(lt(processedEvents.receivedAt, new Date(now.getTime() - EVENT_RETENTION_MS)))
    .returning({ eventId: processedEvents.eventId });
  const outbox = deps.api ? await drainOutbox({ db: deps.db, log: deps.log, api: deps.api }, now) : null;
  const result = { purgedEvents: purged.length, outbox };
  if (purged.length || (outbox && outbox.sent + outbox.retried + outbox.dead > 0)) deps.log.info('tick', { ...result });
  return result;
}
