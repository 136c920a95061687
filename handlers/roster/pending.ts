// Who waits for a secretary to confirm their 政治面貌, and confirming them (audited).
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { PoliticalStatus } from '../../bot/political-status.js';
import type { IncomingEvent } from '../../bot/types.js';
import { runBatch, type Db } from '../../db/client.js';
import { members } from '../../db/schema.js';
import type { PendingPerson } from '../../cards/roster-cards.js';
import { auditEntry } from '../audit.js';

export async function pendingOf(db: Db, branchId: number): Promise<PendingPerson[]> {
  return db
    .select({ memberId: members.id, name: members.name })
    .from(members)
    .where(and(eq(members.branchId, branchId), eq(members.active, true), eq(members.politicalStatus, 'pending')))
    .orderBy(asc(members.id));
}

/** Confirms those of `memberIds` still pending in the branch; returns their names. */
export async function confirmPending(
  db: Db,
  event: IncomingEvent,
  now: Date,
  branchId: number,
  memberIds: number[],
  status: PoliticalStatus,
): Promise<string[]> {
  if (!memberIds.length) return [];
  const rows = await db
    .select({ id: members.id, name: members.name })
    .from(members)
    .where(and(eq(members.branchId, branchId), eq(members.politicalStatus, 'pending'), inArray(members.id, memberIds)));
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  await runBatch(db, [
    db.update(members).set({ politicalStatus: status }).where(inArray(members.id, ids)),
    auditEntry(db, now, event, 'member.confirm', `branch:${branchId}/members:${ids.join(',')}`, { memberIds: ids, status }),
  ]);
  return rows.map((r) => r.name);
}
