// Statements on the webhook's hot path, prepared once per database: building SQL per request cost
// more than running it (see the bench notes in README).
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from './client.js';
import { branches, members, processedEvents } from './schema.js';

function prepare(db: Db) {
  return {
    recordEvent: db
      .insert(processedEvents)
      .values({ eventId: sql.placeholder('eventId'), platform: sql.placeholder('platform'), receivedAt: sql.placeholder('receivedAt') })
      .onConflictDoNothing()
      .returning({ eventId: processedEvents.eventId })
      .prepare(),
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
