// Pledges in the database: save with revisions, read by owner, progress reports and checks.
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { runBatch, type Db } from '../../db/client.js';
import { campaignRoster, members, phaseResponses, pledgeProgress, pledges, type PledgeItem, type ProgressStatus } from '../../db/schema.js';

export type PledgeRow = typeof pledges.$inferSelect;
export type Owner = { kind: 'member'; memberId: number; branchId: number | null } | { kind: 'branch'; branchId: number };

export function ownerKey(owner: Owner): string {
  return owner.kind === 'member' ? `member:${owner.memberId}` : `branch:${owner.branchId}`;
}

export async function findPledge(db: Db, phaseId: number, owner: Owner): Promise<PledgeRow | null> {
  const [row] = await db
    .select()
    .from(pledges)
    .where(and(eq(pledges.phaseId, phaseId), eq(pledges.ownerKey, ownerKey(owner))));
  return row ?? null;
}

/**
 * Stores a pledge: a new revision when the items changed, nothing when they are the same (a double
 * click or a repeated callback, even concurrent ones: the comparison happens inside the upsert).
 * The member's answer to the phase is recorded with it.
 */
export async function savePledge(
  db: Db,
  p: { campaignId: number; phaseId: number; owner: Owner; items: PledgeItem[]; by: string; now: Date },
): Promise<{ pledge: PledgeRow; changed: boolean }> {
  const key = ownerKey(p.owner);
  const upsert = db
    .insert(pledges)
    .values({
      campaignId: p.campaignId,
      phaseId: p.phaseId,
      kind: p.owner.kind,
      ownerKey: key,
      memberId: p.owner.kind === 'member' ? p.owner.memberId : null,
      branchId: p.owner.branchId,
      items: p.items,
      submittedBy: p.by,
      updatedAt: p.now,
    })
    .onConflictDoUpdate({
      target: [pledges.phaseId, pledges.ownerKey],
      set: { items: p.items, revision: sql`${pledges.revision} + 1`, submittedBy: p.by, updatedAt: p.now },
      setWhere: sql`${pledges.items} IS NOT excluded.items`,
    })
    .returning({ id: pledges.id });
  // The revision row is copied from the row as it now stands; an unchanged pledge already has it.
  const revision = db.run(sql`INSERT OR IGNORE INTO pledge_revisions (pledge_id, revision, items, submitted_by, submitted_at)
    SELECT id, revision, items, submitted_by, updated_at FROM pledges WHERE phase_id = ${p.phaseId} AND owner_key = ${key}`);
  const [written] =
    p.owner.kind === 'member'
      ? await db.batch([
          upsert,
          revision,
          db.insert(phaseResponses).values({ phaseId: p.phaseId, memberId: p.owner.memberId, at: p.now }).onConflictDoNothing(),
        ])
      : await db.batch([upsert, revision]);
  return { pledge: (await findPledge(db, p.phaseId, p.owner))!, changed: written.length > 0 };
}

/** Member pledges of a branch in a phase, oldest first, with names (the wall and the status view). */
export async function branchPledges(db: Db, phaseId: number, branchId: number) {
  return db
    .select({ pledge: pledges, name: members.name })
    .from(pledges)
    .innerJoin(members, eq(members.id, pledges.memberId))
    .where(and(eq(pledges.phaseId, phaseId), eq(pledges.branchId, branchId), eq(pledges.kind, 'member')))
    .orderBy(asc(pledges.id));
}

/** Roster members of a branch who are expected to pledge (members and secretaries). */
export async function branchRoster(db: Db, campaignId: number, branchId: number) {
  return db
    .select({ memberId: members.id, name: members.name, userId: members.userId, role: campaignRoster.role })
    .from(campaignRoster)
    .innerJoin(members, eq(members.id, campaignRoster.memberId))
    .where(and(eq(campaignRoster.campaignId, campaignId), eq(campaignRoster.branchId, branchId), isNull(campaignRoster.removedAt)))
    .orderBy(asc(members.id));
}

export async function progressOf(db: Db, pledgeId: number, phaseId: number) {
  return db
    .select()
    .from(pledgeProgress)
    .where(and(eq(pledgeProgress.pledgeId, pledgeId), eq(pledgeProgress.phaseId, phaseId)))
    .orderBy(asc(pledgeProgress.itemNo));
}

export async function saveProgress(
  db: Db,
  p: { pledgeId: number; phaseId: number; memberId: number; report: Array<{ status: ProgressStatus; note: string }>; now: Date },
): Promise<void> {
  await runBatch(db, [
    ...p.report.map((r, i) =>
      db
        .insert(pledgeProgress)
        .values({ pledgeId: p.pledgeId, itemNo: i + 1, phaseId: p.phaseId, status: r.status, note: r.note, reportedAt: p.now })
        .onConflictDoUpdate({
          target: [pledgeProgress.pledgeId, pledgeProgress.itemNo, pledgeProgress.phaseId],
          set: { status: r.status, note: r.note, reportedAt: p.now },
        }),
    ),
    db.insert(phaseResponses).values({ phaseId: p.phaseId, memberId: p.memberId, at: p.now }).onConflictDoNothing(),
  ]);
}

export async function checkItem(db: Db, p: { pledgeId: number; phaseId: number; itemNo: number; by: string; comment: string; now: Date }): Promise<boolean> {
  const rows = await db
    .update(pledgeProgress)
    .set({ checkedBy: p.by, checkedAt: p.now, checkComment: p.comment })
    .where(and(eq(pledgeProgress.pledgeId, p.pledgeId), eq(pledgeProgress.phaseId, p.phaseId), eq(pledgeProgress.itemNo, p.itemNo)))
    .returning({ itemNo: pledgeProgress.itemNo });
  return rows.length > 0;
}
