// The outbox: messages written by the scheduler, sent by drainOutbox, marked sent only once accepted.
import { and, asc, eq, lte, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { outbox } from '../db/schema.js';
import type { Logger } from './log.js';
import { backoffMs, defaultRetryPolicy, isRetryable } from './retry.js';
import type { MessageContent, PlatformApi, PlatformId, Recipient } from './types.js';

export const MAX_ATTEMPTS = 6;
/** A claimed row is invisible to other drainers this long; a crash mid-send makes it due again after. */
const LEASE_MS = 5 * 60_000;

export interface OutboxMessage {
  /** Unique per (job, recipient, window): a second enqueue of the same key is a no-op. */
  key: string;
  platform: PlatformId;
  to: Recipient;
  content: MessageContent;
  notBefore: Date;
}

export function enqueue(db: Db, m: OutboxMessage) {
  return db
    .insert(outbox)
    .values({
      dedupeKey: m.key,
      platform: m.platform,
      receiveIdType: m.to.type,
      receiveId: m.to.id,
      msgType: m.content.kind,
      content: JSON.stringify(m.content),
      notBefore: m.notBefore,
    })
    .onConflictDoNothing();
}

export interface DrainDeps {
  db: Db;
  log: Logger;
  api: PlatformApi;
}

export interface DrainResult {
  sent: number;
  retried: number;
  dead: number;
}

async function claim(db: Db, id: number, now: Date): Promise<boolean> {
  const rows = await db
    .update(outbox)
    .set({ notBefore: new Date(now.getTime() + LEASE_MS), attempts: sql`${outbox.attempts} + 1` })
    .where(and(eq(outbox.id, id), eq(outbox.status, 'pending'), lte(outbox.notBefore, now)))
    .returning({ id: outbox.id });
  return rows.length > 0;
}

export async function drainOutbox(deps: DrainDeps, now: Date, limit = 200): Promise<DrainResult> {
  const { db, log, api } = deps;
  const result: DrainResult = { sent: 0, retried: 0, dead: 0 };
  const due = await db
    .select()
    .from(outbox)
    .where(and(eq(outbox.status, 'pending'), eq(outbox.platform, api.platform), lte(outbox.notBefore, now)))
    .orderBy(asc(outbox.notBefore), asc(outbox.id))
    .limit(limit);
  for (const row of due) {
    if (!(await claim(db, row.id, now))) continue;
    const to: Recipient = { type: row.receiveIdType === 'chat' ? 'chat' : 'user', id: row.receiveId };
    try {
      const { messageId } = await api.send(to, JSON.parse(row.content) as MessageContent, row.dedupeKey);
      await db.update(outbox).set({ status: 'sent', sentAt: new Date(), messageId, lastError: null }).where(eq(outbox.id, row.id));
      result.sent++;
    } catch (err) {
      const attempts = row.attempts + 1;
      const giveUp = !isRetryable(err) || attempts >= MAX_ATTEMPTS;
      const message = err instanceof Error ? err.message : String(err);
      await db
        .update(outbox)
        .set(
          giveUp
            ? { status: 'dead', lastError: message }
            : { notBefore: new Date(now.getTime() + backoffMs(attempts, defaultRetryPolicy)), lastError: message },
        )
        .where(eq(outbox.id, row.id));
      if (giveUp) {
        result.dead++;
        log.error('outbox message dead-lettered', { outboxId: row.id, attempts, error: message });
      } else {
        result.retried++;
      }
    }
  }
  return result;
}
