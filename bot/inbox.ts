// The durable inbox: an event is stored (with its dedupe key) before the platform gets its 200,
// claimed while a process works on it, and marked done in the same batch that records its replies.
import { and, eq, isNotNull, lt, or, isNull, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { runBatch, type Db } from '../db/client.js';
import { prepared } from '../db/prepared.js';
import { outbox, processedEvents } from '../db/schema.js';
import { doneMarks, type DoneMarks } from './done-marks.js';
import type { Instance } from './instance.js';
import type { IncomingEvent } from './types.js';

/** How long a claim keeps other processes off an event; a dead process's events resume after it. */
export const INBOX_LEASE_MS = 60_000;
/** Runs of one event (each cut short by a crash) before it is given up as poison. */
export const MAX_EVENT_ATTEMPTS = 3;

export interface InboxDeps {
  db: Db;
  instance: Instance;
}

/** new: first delivery; resume: recorded earlier and left unfinished; done / busy: nothing to do here. */
export type Admission = { kind: 'new' | 'resume'; attempts: number } | { kind: 'done' } | { kind: 'busy' };

function claimFields(deps: InboxDeps) {
  return { claimedBy: deps.instance.id, claimedUntil: deps.instance.wallNow() + INBOX_LEASE_MS };
}

/**
 * One statement: insert the event as pending and claimed by us, or, when it was recorded before and
 * its claim has expired (its process died), take it over. No row back means done or claimed elsewhere.
 */
export async function admit(deps: InboxDeps, event: IncomingEvent, receivedAt: Date): Promise<Admission> {
  const q = prepared(deps.db);
  const key = { platform: event.platform, eventId: event.eventId };
  const rows = await q.admitEvent.all({
    ...key,
    receivedAt,
    payload: JSON.stringify(event),
    ...claimFields(deps),
    wallNow: deps.instance.wallNow(),
  });
  const row = rows[0];
  if (row) return { kind: row.attempts === 1 ? 'new' : 'resume', attempts: row.attempts };
  const [existing] = await q.eventStatus.all(key);
  return existing?.status === 'pending' ? { kind: 'busy' } : { kind: 'done' };
}

const marks = new WeakMap<Db, DoneMarks>();
function marksOf(db: Db): DoneMarks {
  let m = marks.get(db);
  if (!m) marks.set(db, (m = doneMarks(db)));
  return m;
}

function claimExpired(deps: InboxDeps) {
  return or(isNull(processedEvents.claimedUntil), lt(processedEvents.claimedUntil, deps.instance.wallNow()))!;
}

/** Marks the event done together with the outbox rows and other writes that are its effects. */
export async function completeEvent(
  deps: InboxDeps,
  event: Pick<IncomingEvent, 'platform' | 'eventId'>,
  writes: Array<BatchItem<'sqlite'>>,
  status: 'done' | 'failed' = 'done',
) {
  const doneAt = new Date(deps.instance.wallNow());
  // Most card actions write nothing more: their marks are group-committed (done-marks.ts).
  if (writes.length === 0) return marksOf(deps.db).mark(event.platform, event.eventId, status, doneAt.getTime());
  await runBatch(deps.db, [
    ...writes,
    deps.db
      .update(processedEvents)
      .set({ status, payload: null, claimedBy: null, claimedUntil: null, doneAt })
      .where(and(eq(processedEvents.platform, event.platform), eq(processedEvents.eventId, event.eventId))),
  ]);
}

export interface PendingEvent {
  event: IncomingEvent;
  attempts: number;
  receivedAt: Date;
}

/** An event as stored; a card action recorded before neutral targets carried Feishu's `updateToken`. */
function storedEvent(payload: string): IncomingEvent {
  const event = JSON.parse(payload) as IncomingEvent & { updateToken?: string | null };
  if (event.kind === 'cardAction' && event.lateHandle === undefined) {
    event.lateHandle = event.updateToken ?? null;
    delete event.updateToken;
  }
  return event;
}

/** Claims up to `limit` unfinished events whose claim has expired (or was released), oldest first. */
export async function claimPending(deps: InboxDeps, limit: number, skip: ReadonlySet<string> = new Set()): Promise<PendingEvent[]> {
  const candidates = await deps.db
    .select({ platform: processedEvents.platform, eventId: processedEvents.eventId })
    .from(processedEvents)
    // A literal, not a bound parameter, so SQLite can use the partial index of pending events.
    .where(and(sql`${processedEvents.status} = 'pending'`, claimExpired(deps)))
    .orderBy(processedEvents.receivedAt)
    .limit(limit + skip.size);
  const claimed: PendingEvent[] = [];
  for (const c of candidates) {
    if (claimed.length >= limit) break;
    if (skip.has(`${c.platform}:${c.eventId}`)) continue;
    const [row] = await deps.db
      .update(processedEvents)
      .set({ ...claimFields(deps), attempts: sql`${processedEvents.attempts} + 1` })
      .where(and(eq(processedEvents.platform, c.platform), eq(processedEvents.eventId, c.eventId), eq(processedEvents.status, 'pending'), claimExpired(deps)))
      .returning({ payload: processedEvents.payload, attempts: processedEvents.attempts, receivedAt: processedEvents.receivedAt });
    if (!row?.payload) continue;
    claimed.push({ event: storedEvent(row.payload), attempts: row.attempts, receivedAt: row.receivedAt });
  }
  return claimed;
}

/**
 * A restarted sole writer (an embedded file we hold the lock on) owns every claim: whoever held one
 * is dead, so its events and outbox rows are due again at once instead of after their leases.
 */
export async function releaseClaims(db: Db, now: Date): Promise<{ events: number; outbox: number }> {
  const events = await db
    .update(processedEvents)
    .set({ claimedBy: null, claimedUntil: null })
    .where(and(eq(processedEvents.status, 'pending'), isNotNull(processedEvents.claimedBy)))
    .returning({ eventId: processedEvents.eventId });
  const rows = await db
    .update(outbox)
    .set({ claimedBy: null, notBefore: now })
    .where(and(eq(outbox.status, 'pending'), isNotNull(outbox.claimedBy)))
    .returning({ id: outbox.id });
  return { events: events.length, outbox: rows.length };
}
