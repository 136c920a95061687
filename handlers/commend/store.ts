// 评选表彰 rows: the commendation of a campaign round, its nominees, the committee's votes (a new
// revision per change) and 公示 objections.
import { and, desc, eq, inArray, ne } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { commendations, commendNominees, commendObjections, commendVotes, type CommendStage, type NomineeStatus } from '../../db/schema.js';

export type CommendationRow = typeof commendations.$inferSelect;
export type NomineeRow = typeof commendNominees.$inferSelect;

/** "党员示范岗·服务育人示范岗", or the title alone. */
export const nomineeTitle = (n: Pick<NomineeRow, 'titleName' | 'postKind'>): string => n.titleName + (n.postKind ? `·${n.postKind}` : '');

export async function commendationOf(db: Db, campaignId: number, round: number): Promise<CommendationRow | null> {
  const [row] = await db
    .select()
    .from(commendations)
    .where(and(eq(commendations.campaignId, campaignId), eq(commendations.round, round)));
  return row ?? null;
}

export async function commendationById(db: Db, id: number): Promise<CommendationRow | null> {
  const [row] = await db.select().from(commendations).where(eq(commendations.id, id));
  return row ?? null;
}

/** The campaign round's commendation, opened on first use (a repeated call finds the same row). */
export async function ensureCommendation(
  db: Db,
  c: { campaignId: number; round: number; formula: string; publicityDays: number; by: string; now: Date },
): Promise<CommendationRow> {
  await db
    .insert(commendations)
    .values({ campaignId: c.campaignId, round: c.round, formula: c.formula, publicityDays: c.publicityDays, openedBy: c.by, openedAt: c.now })
    .onConflictDoNothing();
  return (await commendationOf(db, c.campaignId, c.round))!;
}

export async function setStage(db: Db, id: number, from: CommendStage, to: CommendStage, extra: Partial<CommendationRow> = {}): Promise<boolean> {
  const rows = await db
    .update(commendations)
    .set({ ...extra, stage: to })
    .where(and(eq(commendations.id, id), eq(commendations.stage, from)))
    .returning({ id: commendations.id });
  return rows.length > 0;
}

export async function nomineesOf(db: Db, commendationId: number, statuses?: NomineeStatus[]): Promise<NomineeRow[]> {
  const rows = await db
    .select()
    .from(commendNominees)
    .where(
      statuses
        ? and(eq(commendNominees.commendationId, commendationId), inArray(commendNominees.status, statuses))
        : and(eq(commendNominees.commendationId, commendationId), ne(commendNominees.status, 'withdrawn')),
    );
  return rows.sort((a, b) => a.titleId.localeCompare(b.titleId) || (a.rank ?? 999) - (b.rank ?? 999) || a.id - b.id);
}

export async function nomineeById(db: Db, id: number): Promise<NomineeRow | null> {
  const [row] = await db.select().from(commendNominees).where(eq(commendNominees.id, id));
  return row ?? null;
}

export type NewNominee = Omit<typeof commendNominees.$inferInsert, 'id' | 'status' | 'reason'>;

/** Nominates (or re-nominates a withdrawn candidate), as a statement of the caller's batch; a nominated one is left as it is. */
export function nominateStatement(db: Db, n: NewNominee) {
  return db
    .insert(commendNominees)
    .values({ ...n, status: 'nominated' })
    .onConflictDoUpdate({
      target: [commendNominees.commendationId, commendNominees.titleId, commendNominees.subjectId],
      set: { status: 'nominated', score: n.score, rank: n.rank, nominatedBy: n.nominatedBy, nominatedAt: n.nominatedAt, reason: null },
      setWhere: eq(commendNominees.status, 'withdrawn'),
    });
}

export async function setNomineeStatus(db: Db, id: number, from: NomineeStatus[], to: NomineeStatus, reason: string | null = null): Promise<boolean> {
  const rows = await db
    .update(commendNominees)
    .set({ status: to, ...(reason !== null ? { reason } : {}) })
    .where(and(eq(commendNominees.id, id), inArray(commendNominees.status, from)))
    .returning({ id: commendNominees.id });
  return rows.length > 0;
}

/** Each voter's latest vote per nominee. */
export async function latestVotes(db: Db, nomineeIds: number[]): Promise<Map<number, Map<number, 'yes' | 'no'>>> {
  const out = new Map<number, Map<number, 'yes' | 'no'>>();
  if (!nomineeIds.length) return out;
  const rows = await db.select().from(commendVotes).where(inArray(commendVotes.nomineeId, nomineeIds)).orderBy(commendVotes.revision);
  for (const r of rows) {
    if (!out.has(r.nomineeId)) out.set(r.nomineeId, new Map());
    out.get(r.nomineeId)!.set(r.voterId, r.vote);
  }
  return out;
}

/** The revision a voter's next ballot on these nominees gets. */
export async function nextVoteRevision(db: Db, voterId: number, nomineeIds: number[]): Promise<number> {
  const [last] = nomineeIds.length
    ? await db
        .select({ revision: commendVotes.revision })
        .from(commendVotes)
        .where(and(eq(commendVotes.voterId, voterId), inArray(commendVotes.nomineeId, nomineeIds)))
        .orderBy(desc(commendVotes.revision))
        .limit(1)
    : [];
  return (last?.revision ?? 0) + 1;
}

/** A voter's ballot as one new revision for every nominee (written in the caller's batch). */
export function insertVotes(db: Db, voterId: number, revision: number, votes: Array<{ nomineeId: number; vote: 'yes' | 'no' }>, now: Date) {
  return db.insert(commendVotes).values(votes.map((v) => ({ ...v, voterId, revision, at: now })));
}

/** A stage change as a statement of the caller's batch (guarded by the stage it leaves). */
export function stageStatement(db: Db, id: number, from: CommendStage, to: CommendStage, extra: Partial<CommendationRow> = {}) {
  return db
    .update(commendations)
    .set({ ...extra, stage: to })
    .where(and(eq(commendations.id, id), eq(commendations.stage, from)));
}

export function statusStatement(db: Db, ids: number[], from: NomineeStatus, to: NomineeStatus) {
  return db
    .update(commendNominees)
    .set({ status: to })
    .where(and(inArray(commendNominees.id, ids.length ? ids : [-1]), eq(commendNominees.status, from)));
}

export async function addObjection(db: Db, o: typeof commendObjections.$inferInsert): Promise<void> {
  await db.insert(commendObjections).values(o);
}

export async function objectionsOf(db: Db, commendationId: number) {
  return db.select().from(commendObjections).where(eq(commendObjections.commendationId, commendationId)).orderBy(commendObjections.id);
}
