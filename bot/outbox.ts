// The outbox: every message the bot sends (replies, forms, reminders) is written here first and sent
// by drainOutbox, marked sent only once the platform accepted it.
import { and, asc, eq, inArray, lte, sql } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { Db } from '../db/client.js';
import { prepared } from '../db/prepared.js';
import { outbox, type OutboxStatus } from '../db/schema.js';
import type { Instance } from './instance.js';
import type { Logger } from './log.js';
import { backoffMs, defaultRetryPolicy, isRetryable } from './retry.js';
import type { FileSource } from './files.js';
import type { BatchSend, MessageContent, OutboxContent, PlatformApi, PlatformId, Recipient, ReplyTarget } from './types.js';

/** Sends of one row (each already retried inside the API client) before it is dead-lettered. */
export const MAX_ATTEMPTS = 5;
/**
 * A claimed row is invisible to other drainers this long. A send (with the client's own retries)
 * ends well within it; a crash mid-send makes the row due again after it, or at once when the
 * restarted process is the database's only writer (releaseClaims). A row sent twice that way
 * carries the same idempotency uuid both times.
 */
export const OUTBOX_LEASE_MS = 60_000;

/** A chat or user, a reply to a message, or a card replaced through an event's late handle (opaque, the adapter's). */
export type OutboxTarget = Recipient | ({ type: 'reply' } & ReplyTarget) | { type: 'late'; handle: string };

/** How a target is stored: its kind, its id, and the chat of a reply. */
function storedTarget(to: OutboxTarget): { receiveIdType: string; receiveId: string; chatId: string | null } {
  switch (to.type) {
    case 'reply':
      return { receiveIdType: 'reply', receiveId: to.messageId, chatId: to.chatId };
    case 'late':
      return { receiveIdType: 'late', receiveId: to.handle, chatId: null };
    default:
      return { receiveIdType: to.type, receiveId: to.id, chatId: null };
  }
}

export interface OutboxMessage {
  /** Unique per (job, recipient, window): a second enqueue of the same key is a no-op. */
  key: string;
  platform: PlatformId;
  to: OutboxTarget;
  content: OutboxContent;
  notBefore: Date;
  expiresAt?: Date | null;
  campaignId?: number | null;
  /** Record the row as dropped (never sent) with this reason. */
  drop?: string;
  /** Someone is waiting for it (a reply): sent before scheduled reminders. */
  urgent?: boolean;
}

/** The columns a new row sets, each with its value: a packed row holds them in this order (see enqueueMany). */
const NEW_ROW: Array<[SQLiteColumn, (m: OutboxMessage, to: ReturnType<typeof storedTarget>) => unknown]> = [
  [outbox.dedupeKey, (m) => m.key],
  [outbox.platform, (m) => m.platform],
  [outbox.receiveIdType, (_, to) => to.receiveIdType],
  [outbox.receiveId, (_, to) => to.receiveId],
  [outbox.chatId, (_, to) => to.chatId],
  [outbox.msgType, (m) => m.content.kind],
  [outbox.content, (m) => JSON.stringify(m.content)],
  [outbox.notBefore, (m) => m.notBefore.getTime()],
  [outbox.expiresAt, (m) => m.expiresAt?.getTime() ?? null],
  [outbox.campaignId, (m) => m.campaignId ?? null],
  [outbox.priority, (m) => (m.urgent ? 0 : 1)],
  [outbox.status, (m) => (m.drop ? 'dropped' : 'pending')],
  [outbox.lastError, (m) => m.drop ?? null],
];

function packedRow(m: OutboxMessage): unknown[] {
  const to = storedTarget(m.to);
  return NEW_ROW.map(([, value]) => value(m, to));
}

const INSERT_PACKED = {
  head: sql.raw(
    `insert into "outbox" (${NEW_ROW.map(([c]) => `"${c.name}"`).join(', ')}) select ${NEW_ROW.map((_, i) => `value ->> ${i}`).join(', ')} from json_each(`,
  ),
  // "where true" tells SQLite's parser that ON CONFLICT is the upsert clause, not a join constraint.
  tail: sql.raw(`) where true on conflict do nothing returning "dedupe_key" as "key", "status"`),
};

export function enqueue(db: Db, m: OutboxMessage) {
  return enqueueMany(db, [m]);
}

/**
 * Several messages in one INSERT, each a no-op when its key exists; returns the rows written. The rows
 * go as one JSON parameter read by json_each: the same short statement for any number of rows, where
 * the query builder made thousands of objects per chunk of a fan-out (see the scheduler bench).
 */
export function enqueueMany(db: Db, messages: OutboxMessage[]) {
  return db.all<{ key: string; status: OutboxStatus }>(sql`${INSERT_PACKED.head}${JSON.stringify(messages.map(packedRow))}${INSERT_PACKED.tail}`);
}

export interface DrainDeps {
  db: Db;
  log: Logger;
  /** One per platform that can send; rows of other platforms wait. */
  apis: PlatformApi[];
  /** Written on each claim, so a restarted sole writer can release what its predecessor held. */
  instance?: Instance;
  /** Wall clock for the time budget (not the campaign clock). */
  wallNow?: () => number;
  /** Builds the bytes of file messages at send time (none: a file goes out as its fallback text). */
  files?: FileSource;
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

/** Claims due rows for this drainer (one or a batch); returns the ids it got. */
async function claim(db: Db, ids: number[], now: Date, instance: Instance | undefined): Promise<Set<number>> {
  // From the later of the drain's "now" and the wall clock: a drain that started long ago must not claim an expired lease.
  const leaseUntil = new Date(Math.max(now.getTime(), Date.now()) + OUTBOX_LEASE_MS);
  const claimedBy = instance?.id ?? 'drain';
  if (ids.length === 1) {
    const rows = await prepared(db).claimOutboxRow.all({ id: ids[0], now: now.getTime(), leaseUntil: leaseUntil.getTime(), claimedBy });
    return new Set(rows.map((r) => r.id));
  }
  const rows = await db
    .update(outbox)
    .set({ notBefore: leaseUntil, attempts: sql`${outbox.attempts} + 1`, claimedBy })
    .where(and(inArray(outbox.id, ids), eq(outbox.status, 'pending'), lte(outbox.notBefore, now)))
    .returning({ id: outbox.id });
  return new Set(rows.map((r) => r.id));
}

async function sendRow(api: PlatformApi, row: OutboxRow, stored: OutboxContent, files: FileSource | undefined): Promise<string | null> {
  let content: MessageContent;
  if (stored.kind === 'file') {
    const file = api.sendFile && files ? await files(stored.file) : null;
    if (file && api.sendFile) {
      const to: Recipient =
        row.receiveIdType === 'reply' ? { type: 'chat', id: row.chatId ?? '' } : { type: row.receiveIdType === 'chat' ? 'chat' : 'user', id: row.receiveId };
      return (await api.sendFile(to, file, row.dedupeKey)).messageId;
    }
    content = { kind: 'text', text: stored.fallback };
  } else if (stored.kind === 'urgent') {
    content = { kind: 'card', card: stored.card };
  } else {
    content = stored;
  }
  if (row.receiveIdType === 'reply') return (await api.reply({ chatId: row.chatId ?? '', messageId: row.receiveId }, content, row.dedupeKey)).messageId;
  if (row.receiveIdType === 'late') {
    if (content.kind === 'card') await api.updateLate(row.receiveId, content.card);
    return null;
  }
  const to: Recipient = { type: row.receiveIdType === 'chat' ? 'chat' : 'user', id: row.receiveId };
  return (await api.send(to, content, row.dedupeKey)).messageId;
}

type Batching = PlatformApi & { batch: BatchSend };

/** Drops a row whose time is over; true if it was. */
async function expire(deps: DrainDeps, row: OutboxRow, now: Date, result: DrainResult): Promise<boolean> {
  if (!row.expiresAt || row.expiresAt.getTime() > now.getTime()) return false;
  await deps.db
    .update(outbox)
    .set({ status: 'dropped', lastError: 'expired before it could be sent' })
    .where(and(eq(outbox.id, row.id), eq(outbox.status, 'pending')));
  deps.log.info('outbox message expired', { outboxId: row.id });
  result.expired++;
  return true;
}

/** A card replaced through a late handle has no message id of its own. */
type Outcome = { messageId: string | null } | { error: Error };

/** Records how a claimed row's send ended: sent, due again after a backoff, or dead. */
async function settle(deps: DrainDeps, row: OutboxRow, now: Date, result: DrainResult, outcome: Outcome): Promise<void> {
  const { db, log } = deps;
  if ('messageId' in outcome) {
    await prepared(db).markOutboxSent.run({ id: row.id, sentAt: now.getTime(), messageId: outcome.messageId });
    result.sent++;
    return;
  }
  const err = outcome.error;
  const attempts = row.attempts + 1;
  const giveUp = !isRetryable(err) || attempts >= MAX_ATTEMPTS;
  const message = err.message;
  await db
    .update(outbox)
    .set(
      giveUp
        ? { status: 'dead', lastError: message, claimedBy: null }
        : {
            claimedBy: null,
            notBefore: new Date(now.getTime() + backoffMs(attempts, { ...defaultRetryPolicy, baseMs: 60_000, maxMs: 3600_000 })),
            lastError: message,
          },
    )
    .where(eq(outbox.id, row.id));
  if (giveUp) {
    result.dead++;
    log.error('outbox message dead-lettered', { outboxId: row.id, attempts, error: message });
  } else {
    result.retried++;
  }
}

const asError = (err: unknown): Error => (err instanceof Error ? err : new Error(String(err)));

/**
 * Expires, claims, sends and settles rows as one unit (one row, or a batch); returns the claimed rows
 * with how each send ended. A failed call fails all of its rows; a person the platform refused fails alone.
 */
async function run(
  deps: DrainDeps,
  rows: OutboxRow[],
  now: Date,
  result: DrainResult,
  send: (claimed: OutboxRow[]) => Promise<Outcome[]>,
): Promise<Array<[OutboxRow, Outcome]>> {
  const live: OutboxRow[] = [];
  for (const row of rows) if (!(await expire(deps, row, now, result))) live.push(row);
  if (live.length === 0) return [];
  const claimed = await claim(
    deps.db,
    live.map((r) => r.id),
    now,
    deps.instance,
  );
  const mine = live.filter((r) => claimed.has(r.id));
  if (mine.length === 0) return [];
  let outcomes: Outcome[];
  try {
    outcomes = await send(mine);
  } catch (err) {
    outcomes = mine.map(() => ({ error: asError(err) }));
  }
  const settled = mine.map((row, i): [OutboxRow, Outcome] => [row, outcomes[i] ?? { error: new Error('no outcome for this recipient') }]);
  for (const [row, outcome] of settled) await settle(deps, row, now, result, outcome);
  return settled;
}

async function deliver(deps: DrainDeps, row: OutboxRow, now: Date, result: DrainResult): Promise<void> {
  const api = deps.apis.find((a) => a.platform === row.platform);
  if (!api) return;
  let content: OutboxContent | undefined;
  const [sent] = await run(deps, [row], now, result, async () => {
    content = JSON.parse(row.content) as OutboxContent;
    return [{ messageId: await sendRow(api, row, content, deps.files) }];
  });
  const outcome = sent?.[1];
  // After the sent mark: a crash in between loses the urgent flag, never doubles the message.
  if (outcome && 'messageId' in outcome && outcome.messageId && content?.kind === 'urgent' && api.urgent && row.receiveIdType === 'user') {
    await api
      .urgent(outcome.messageId, row.receiveId)
      .catch((err: unknown) => deps.log.warn('urgent notice failed; the message itself was sent', { outboxId: row.id, error: err }));
  }
}

/** Rows to people with one message (as the adapter would show it) go in one call; each row is claimed and settled on its own. */
async function deliverBatch(deps: DrainDeps, api: Batching, rows: OutboxRow[], now: Date, result: DrainResult): Promise<void> {
  await run(deps, rows, now, result, (batch) =>
    api.batch.send(
      batch.map((r) => ({ userId: r.receiveId, key: r.dedupeKey })),
      JSON.parse(batch[0]!.content) as MessageContent,
    ),
  );
}

/** Due rows as units of work: one row, or up to `batch.max` rows to people with the same message. */
function unitsOf(deps: DrainDeps, due: OutboxRow[]): Array<{ api: Batching; rows: OutboxRow[] } | OutboxRow> {
  const units: Array<{ api: Batching; rows: OutboxRow[] } | OutboxRow> = [];
  const open = new Map<string, { api: Batching; rows: OutboxRow[] }>();
  for (const row of due) {
    const api = deps.apis.find((a) => a.platform === row.platform);
    const batch = api?.batch;
    const key =
      batch && row.receiveIdType === 'user' && (row.msgType === 'text' || row.msgType === 'card')
        ? batch.key(row.receiveId, JSON.parse(row.content) as MessageContent)
        : null;
    if (!api || !batch || key === null) {
      units.push(row);
      continue;
    }
    const id = `${row.platform}\u0000${key}`;
    let unit = open.get(id);
    if (!unit || unit.rows.length >= batch.max) {
      unit = { api: api as Batching, rows: [] };
      open.set(id, unit);
      units.push(unit);
    }
    unit.rows.push(row);
  }
  return units;
}

export const platformsOf = (deps: { apis: PlatformApi[] }): string[] => deps.apis.map((a) => a.platform);

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
        .where(and(eq(outbox.status, 'pending'), inArray(outbox.platform, platformsOf(deps)), lte(outbox.notBefore, now)))
        .orderBy(asc(outbox.priority), asc(outbox.notBefore), asc(outbox.id))
        .limit(opts.batch ?? 500)
    ).filter((r) => !seen.has(r.id));
    if (due.length === 0) return result;
    const units = unitsOf(deps, due);
    let next = 0;
    const worker = async () => {
      while (next < units.length && wallNow() - started < budget) {
        const unit = units[next++]!;
        if ('rows' in unit) {
          for (const row of unit.rows) seen.add(row.id);
          await deliverBatch(deps, unit.api, unit.rows, now, result);
        } else {
          seen.add(unit.id);
          await deliver(deps, unit, now, result);
        }
      }
    };
    await Promise.all(Array.from({ length: opts.concurrency ?? 8 }, worker));
    if (wallNow() - started >= budget) return result;
  }
}

/**
 * For platforms without a send idempotency key (DingTalk): the adapter records "the platform accepted
 * this row" the moment it does, on the row itself (its message id while still pending). A retry of a
 * row whose process died before marking it sent then finds the id and does not send again.
 */
export async function recordAccepted(db: Db, key: string, messageId: string): Promise<void> {
  await db
    .update(outbox)
    .set({ messageId })
    .where(and(eq(outbox.dedupeKey, key), eq(outbox.status, 'pending')));
}

/** The message id recorded for an outbox row the platform already accepted, if any. */
export async function acceptedMessageId(db: Db, key: string): Promise<string | null> {
  const [row] = await db.select({ messageId: outbox.messageId }).from(outbox).where(eq(outbox.dedupeKey, key));
  return row?.messageId ?? null;
}
