// Statements on the hot paths (the webhook, the outbox sender), prepared once per database: building
// SQL per request cost more than running it (see the bench notes in README).
import { and, eq, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Db } from './client.js';
import { botAdmins, branches, members, outbox, processedEvents } from './schema.js';

const eventKey = () => and(eq(processedEvents.platform, sql.placeholder('platform')), eq(processedEvents.eventId, sql.placeholder('eventId')));

function prepare(db: Db) {
  return {
    /** See admit() in bot/inbox.ts. */
    admitEvent: db
      .insert(processedEvents)
      .values({
        platform: sql.placeholder('platform'),
        eventId: sql.placeholder('eventId'),
        receivedAt: sql.placeholder('receivedAt'),
        status: 'pending',
        payload: sql.placeholder('payload'),
        claimedBy: sql.placeholder('claimedBy'),
        claimedUntil: sql.placeholder('claimedUntil'),
        attempts: 1,
      })
      .onConflictDoUpdate({
        target: [processedEvents.platform, processedEvents.eventId],
        set: { claimedBy: sql`excluded.claimed_by`, claimedUntil: sql`excluded.claimed_until`, attempts: sql`${processedEvents.attempts} + 1` },
        setWhere: and(
          eq(processedEvents.status, 'pending'),
          or(isNull(processedEvents.claimedUntil), lt(processedEvents.claimedUntil, sql.placeholder('wallNow'))),
        ),
      })
      .returning({ attempts: processedEvents.attempts })
      .prepare(),
    eventStatus: db.select({ status: processedEvents.status }).from(processedEvents).where(eventKey()).prepare(),
    memberByUser: db
      .select()
      .from(members)
      .where(
        and(
          eq(members.platform, sql.placeholder('platform')),
          eq(members.tenantKey, sql.placeholder('tenantKey')),
          eq(members.userId, sql.placeholder('userId')),
        ),
      )
      .limit(1)
      .prepare(),
    grantedAdmin: db
      .select({ userId: botAdmins.userId })
      .from(botAdmins)
      .where(
        and(
          eq(botAdmins.platform, sql.placeholder('platform')),
          eq(botAdmins.tenantKey, sql.placeholder('tenantKey')),
          eq(botAdmins.userId, sql.placeholder('userId')),
          isNull(botAdmins.revokedAt),
        ),
      )
      .limit(1)
      .prepare(),
    /** Claims one due row for a send (see claim() in bot/outbox.ts). */
    claimOutboxRow: db
      .update(outbox)
      .set({ notBefore: sql`${sql.placeholder('leaseUntil')}`, attempts: sql`${outbox.attempts} + 1`, claimedBy: sql`${sql.placeholder('claimedBy')}` })
      .where(and(eq(outbox.id, sql.placeholder('id')), eq(outbox.status, 'pending'), lte(outbox.notBefore, sql.placeholder('now'))))
      .returning({ id: outbox.id })
      .prepare(),
    markOutboxSent: db
      .update(outbox)
      .set({ status: 'sent', sentAt: sql`${sql.placeholder('sentAt')}`, messageId: sql`${sql.placeholder('messageId')}`, lastError: null, claimedBy: null })
      .where(eq(outbox.id, sql.placeholder('id')))
      .prepare(),
    branchByChat: db
      .select()
      .from(branches)
      .where(and(eq(branches.platform, sql.placeholder('platform')), eq(branches.chatId, sql.placeholder('chatId'))))
      .limit(1)
      .prepare(),
  };
}

export type Prepared = ReturnType<typeof prepare>;
const cache = new WeakMap<Db, Prepared>();

export function prepared(db: Db): Prepared {
  let p = cache.get(db);
  if (!p) {
    p = prepare(db);
    cache.set(db, p);
  }
  return p;
}
