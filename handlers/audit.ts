// The audit trail: one row per change of bindings, roles and campaigns, keyed by the delivery that made it.
import { and, eq } from 'drizzle-orm';
import type { IncomingEvent } from '../bot/types.js';
import type { Db } from '../db/client.js';
import { auditLog } from '../db/schema.js';

/** A re-run of the same event (resumed after a crash) writes no second row. */
export function auditEntry(db: Db, at: Date, event: IncomingEvent, action: string, target: string, detail: Record<string, unknown> = {}) {
  return db
    .insert(auditLog)
    .values({
      at,
      platform: event.platform,
      tenantKey: event.tenantKey,
      actorId: event.userId,
      action,
      target,
      detail,
      eventId: event.eventId,
    })
    .onConflictDoNothing();
}

/**
 * True when this event already made its change: for handlers whose change is not idempotent
 * (advance a phase, stop a campaign) and is written in one batch with its audit row.
 */
export async function alreadyApplied(db: Db, event: IncomingEvent, action: string): Promise<boolean> {
  const rows = await db
    .select({ id: auditLog.id })
    .from(auditLog)
    .where(and(eq(auditLog.platform, event.platform), eq(auditLog.eventId, event.eventId), eq(auditLog.action, action)))
    .limit(1);
  return rows.length > 0;
}
