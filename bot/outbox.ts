// The outbox: messages written by the scheduler, sent by drainOutbox, marked sent only once accepted.
import { and, asc, eq, lte, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { outbox } from '../db/schema.js';
import type { Logger } from './log.js';
import { backoffMs, defaultRetryPolicy, isRetryable } from './retry.js';
import type { MessageContent, PlatformApi, PlatformId, Recipient } from './types.js';

/** Sends of one row (each already retried inside the API client) before it is dead-lettered. */
export const MAX_ATTEMPTS = 5;
/** A claimed row is invisible to other drainers this long; a crash mid-send makes it due again after. */
const LEASE_MS = 5 * 60_000;

/** A chat or user, or a reply to a message (by its message id). */
export type OutboxTarget = Recipient | { type: 'reply'; id: string };

export interface OutboxMessage {
  /** Unique per (job, recipient, window): a second enqueue of the same key is a no-op. */
  key: string;
  platform: PlatformId;
  to: OutboxTarget;
  content: MessageContent;
  notBefore: Date;
  expiresAt?: Date | null;
  campaignId?: number | null;
  /** Record the row as dropped (never sent) with this reason. */
  drop?: string;
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
      expiresAt: m.expiresAt ?? null,
      campaignId: m.campaignId ?? null,
      ...(m.drop ? { status: 'dropped' as const, lastError: m.drop } : {}),
    })
    .onConflictDoNothing()
    .returning({ key: outbox.dedupeKey, status: outbox.status });
}

export interface DrainDeps {
  db: Db;
  log: Logger;
  api: PlatformApi;
  /** Wall clock for the time budget (not the campaign clock). */
  wallNow?: () => number;
}

export interface DrainOptions {
  /** Parallel senders; the API client's rate gate keeps them within the platform's limits. */
  concurrency?: number;
  /** Stop claiming new rows after this long, so a tick ends and the next one continues. */
  budgetMs?: number;
  batch?: number;
}

export interface DrainResult {
  sent: number;
  retried: number;
  dead: number;
  expired: number;
}

type OutboxRow = typeof outbox.$inferSelect;

async function claim(db: Db, id: number, now: Date): Promise<boolean> {
  const rows = await db
    .update(outbox)
    .set({ notBefore: new Date(now.getTime() + LEASE_MS), attempts: sql`${outbox.attempts} + 1` })
    .where(and(eq(outbox.id, id), eq(outbox.status, 'pending'), lte(outbox.notBefore, now)))
    .returning({ id: outbox.id });
  return rows.length > 0;
}

async function deliver(deps: DrainDeps, row: OutboxRow, now: Date, result: DrainResult): Promise<void> {
  const { db, log, api } = deps;
  if (row.expiresAt && row.expiresAt.getTime() <= now.getTime()) {
    await db
      .update(outbox)
      .set({ status: 'dropped', lastError: 'expired before it could be sent' })
      .where(and(eq(outbox.id, row.id), eq(outbox.status, 'pending')));
    log.info('outbox message expired', { outboxId: row.id });
    result.expired++;
    return;
  }
  if (!(await claim(db, row.id, now))) return;
  const content = JSON.parse(row.content) as MessageContent;
  try {
    const { messageId } =
      row.receiveIdType === 'reply'
        ? await api.reply(row.receiveId, content, row.dedupeKey)
        : await api.send({ type: row.receiveIdType === 'chat' ? 'chat' : 'user', id: row.receiveId }, content, row.dedupeKey);
    await db.update(outbox).set({ status: 'sent', sentAt: now, messageId, lastError: null }).where(eq(outbox.id, row.id));
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
          : { notBefore: new Date(now.getTime() + backoffMs(attempts, { ...defaultRetryPolicy, baseMs: 60_000, maxMs: 3600_000 })), lastError: message },
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

/** Sends due rows with a few parallel senders until none are due or the time budget is spent. */
export async function drainOutbox(deps: DrainDeps, now: Date, opts: DrainOptions = {}): Promise<DrainResult> {
  const wallNow = deps.wallNow ?? Date.now;
  const started = wallNow();
  const budget = opts.budgetMs ?? 50_000;
  const result: DrainResult = { sent: 0, retried: 0, dead: 0, expired: 0 };
  const seen = new Set<number>();
  for (;;) {
    const due = (
      await deps.db
        .select()
        .from(outbox)
        .where(and(eq(outbox.status, 'pending'), eq(outbox.platform, deps.api.platform), lte(outbox.notBefore, now)))
        .orderBy(asc(outbox.notBefore), asc(outbox.id))
        .limit(opts.batch ?? 500)
    ).filter((r) => !seen.has(r.id));
    if (due.length === 0) return result;
    let next = 0;
    const worker = async () => {
      while (next < due.length && wallNow() - started < budget) {
        const row = due[next++]!;
        seen.add(row.id);
        await deliver(deps, row, now, result);
      }
    };
    await Promise.all(Array.from({ length: opts.concurrency ?? 8 }, worker));
    if (wallNow() - started >= budget) return result;
  }
}
