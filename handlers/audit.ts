// The audit trail: one row per change of bindings, roles and campaigns.
import type { IncomingEvent } from '../bot/types.js';
import type { Db } from '../db/client.js';
import { auditLog } from '../db/schema.js';

export function auditEntry(
  db: Db,
  at: Date,
  event: IncomingEvent,
  action: string,
  target: string,
  detail: Record<string, unknown> = {},
) {
  return db.insert(auditLog).values({
    at,
    platform: event.platform,
    tenantKey: event.tenantKey,
    actorId: event.userId,
    action,
    target,
    detail,
  });
}
