// Declarations in the database: save with revisions, branch lists confirmed by secretaries, awarded posts.
import { and, asc, desc, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { declarationLists, members, postDeclarations } from '../../db/schema.js';

export type DeclarationRow = typeof postDeclarations.$inferSelect;
export type ListRow = typeof declarationLists.$inferSelect;

export async function findDeclaration(db: Db, phaseId: number, memberId: number): Promise<DeclarationRow | null> {
  const [row] = await db
    .select()
    .from(postDeclarations)
    .where(and(eq(postDeclarations.phaseId, phaseId), eq(postDeclarations.memberId, memberId)));
  return row ?? null;
}

/** The member's awarded post in a campaign (the latest, if awarded twice), revoked (撤销) or not. */
export async function heldPost(db: Db, campaignId: number, memberId: number): Promise<DeclarationRow | null> {
  const [row] = await db
    .select()
    .from(postDeclarations)
    .where(and(eq(postDeclarations.campaignId, campaignId), eq(postDeclarations.memberId, memberId), isNotNull(postDeclarations.awardedAt)))
    .orderBy(desc(postDeclarations.id))
    .limit(1);
  return row ?? null;
}

/** The posts a campaign awarded that are still held (not revoked). */
export async function awardedPosts(db: Db, campaignId: number) {
  return db
    .select({ declaration: postDeclarations, name: members.name, userId: members.userId })
    .from(postDeclarations)
    .innerJoin(members, eq(members.id, postDeclarations.memberId))
    .where(and(eq(postDeclarations.campaignId, campaignId), isNotNull(postDeclarations.awardedAt), isNull(postDeclarations.revokedAt)))
    .orderBy(asc(postDeclarations.id));
}

/** Stores a declaration; a changed one gets the next revision, an identical resubmit changes nothing. */
export async function saveDeclaration(
  db: Db,
  d: { campaignId: number; phaseId: number; memberId: number; branchId: number | null; postKind: string; statement: string; now: Date },
): Promise<{ declaration: DeclarationRow; changed: boolean }> {
  const written = await db
    .insert(postDeclarations)
    .values({ ...d, updatedAt: d.now })
    .onConflictDoUpdate({
      target: [postDeclarations.phaseId, postDeclarations.memberId],
      set: { postKind: d.postKind, statement: d.statement, branchId: d.branchId, revision: sql`${postDeclarations.revision} + 1`, updatedAt: d.now },
      setWhere: sql`${postDeclarations.postKind} IS NOT excluded.post_kind OR ${postDeclarations.statement} IS NOT excluded.statement`,
    })
    .returning({ id: postDeclarations.id });
  return { declaration: (await findDeclaration(db, d.phaseId, d.memberId))!, changed: written.length > 0 };
}

/** Every declaration of a phase (one query), by member. */
export async function phaseDeclarations(db: Db, phaseId: number): Promise<Map<number, DeclarationRow>> {
  const rows = await db.select().from(postDeclarations).where(eq(postDeclarations.phaseId, phaseId));
  return new Map(rows.map((d) => [d.memberId, d]));
}

export async function branchDeclarations(db: Db, phaseId: number, branchId: number) {
  return db
    .select({ declaration: postDeclarations, name: members.name })
    .from(postDeclarations)
    .innerJoin(members, eq(members.id, postDeclarations.memberId))
    .where(and(eq(postDeclarations.phaseId, phaseId), eq(postDeclarations.branchId, branchId)))
    .orderBy(asc(postDeclarations.id));
}

export async function latestList(db: Db, phaseId: number, branchId: number): Promise<ListRow | null> {
  const [row] = await db
    .select()
    .from(declarationLists)
    .where(and(eq(declarationLists.phaseId, phaseId), eq(declarationLists.branchId, branchId)))
    .orderBy(desc(declarationLists.revision))
    .limit(1);
  return row ?? null;
}

/** The latest confirmed list of every branch in a phase. */
export async function latestLists(db: Db, phaseId: number): Promise<ListRow[]> {
  const rows = await db.select().from(declarationLists).where(eq(declarationLists.phaseId, phaseId)).orderBy(asc(declarationLists.revision));
  const byBranch = new Map<number, ListRow>();
  for (const r of rows) byBranch.set(r.branchId, r);
  return [...byBranch.values()];
}

/** A digest of a list of member ids, carried by the confirm button so a list that changed meanwhile is not confirmed. */
export function listDigest(memberIds: number[]): string {
  let h = 2166136261;
  for (const ch of [...memberIds].sort((a, b) => a - b).join(',')) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 16777619) >>> 0;
  }
  return `${memberIds.length}-${h.toString(36)}`;
}

/**
 * Records a confirmation as the next revision, in one statement; nothing when the latest confirmed list
 * is already this one (a double click). Returns the new revision or null.
 */
export async function confirmList(db: Db, c: { phaseId: number; branchId: number; memberIds: number[]; by: string; now: Date }): Promise<number | null> {
  const ids = JSON.stringify([...c.memberIds].sort((a, b) => a - b));
  const result = await db.all<{ revision: number }>(sql`INSERT INTO declaration_lists (phase_id, branch_id, revision, member_ids, confirmed_by, confirmed_at)
    SELECT ${c.phaseId}, ${c.branchId}, COALESCE(MAX(revision), 0) + 1, ${ids}, ${c.by}, ${c.now.getTime()}
    FROM declaration_lists WHERE phase_id = ${c.phaseId} AND branch_id = ${c.branchId}
    HAVING COALESCE((SELECT member_ids FROM declaration_lists WHERE phase_id = ${c.phaseId} AND branch_id = ${c.branchId} ORDER BY revision DESC LIMIT 1), '') <> ${ids}
    RETURNING revision`);
  return result[0]?.revision ?? null;
}

export async function setAward(db: Db, declarationId: number, by: string | null, now: Date): Promise<void> {
  await db
    .update(postDeclarations)
    // Awarding again ends an earlier 撤销.
    .set(by ? { awardedAt: now, awardedBy: by, revokedAt: null, revokedBy: null, revokeReason: null } : { awardedAt: null, awardedBy: null })
    .where(eq(postDeclarations.id, declarationId));
}
