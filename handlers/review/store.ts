// Review rounds in the database: opening with a frozen roster, ballots by rater hash, who has voted.
import { and, asc, eq, inArray, isNull, ne } from 'drizzle-orm';
import { runBatch, type Db } from '../../db/client.js';
import { campaignRoster, members, reviewBallots, reviewRoundMembers, reviewRounds, reviewVoters, type Grade } from '../../db/schema.js';
import type { PlatformId } from '../../bot/types.js';
import { voterTag } from './anonymity.js';

export type RoundRow = typeof reviewRounds.$inferSelect;

export async function openRoundOf(db: Db, branchId: number): Promise<RoundRow | null> {
  // A unique index allows one open round per branch.
  const [row] = await db
    .select()
    .from(reviewRounds)
    .where(and(eq(reviewRounds.branchId, branchId), eq(reviewRounds.status, 'open')));
  return row ?? null;
}

export async function roundById(db: Db, id: number): Promise<RoundRow | null> {
  const [row] = await db.select().from(reviewRounds).where(eq(reviewRounds.id, id));
  return row ?? null;
}

/** Active members and secretaries of a branch (from a campaign's roster when the round belongs to one). */
export async function branchPeople(db: Db, branchId: number, campaignId: number | null): Promise<number[]> {
  if (campaignId !== null) {
    const rows = await db
      .select({ id: campaignRoster.memberId, role: campaignRoster.role })
      .from(campaignRoster)
      .where(and(eq(campaignRoster.campaignId, campaignId), eq(campaignRoster.branchId, branchId), isNull(campaignRoster.removedAt)));
    return rows.filter((r) => r.role !== 'leader').map((r) => r.id);
  }
  const rows = await db
    .select({ id: members.id })
    .from(members)
    .where(and(eq(members.branchId, branchId), eq(members.active, true), ne(members.role, 'leader')));
  return rows.map((r) => r.id);
}

export interface NewRound {
  platform: PlatformId;
  tenantKey: string;
  branchId: number;
  phaseId: number | null;
  criteria: string[];
  minBallots: number;
  openedBy: string;
  now: Date;
  memberIds: number[];
}

/** Opens a round and freezes its roster; null when the phase's round for this branch already exists. */
export async function openRound(db: Db, n: NewRound): Promise<RoundRow | null> {
  const [round] = await db
    .insert(reviewRounds)
    .values({
      platform: n.platform,
      tenantKey: n.tenantKey,
      branchId: n.branchId,
      phaseId: n.phaseId,
      criteria: n.criteria,
      minBallots: n.minBallots,
      openedBy: n.openedBy,
      openedAt: n.now,
    })
    .onConflictDoNothing()
    .returning();
  if (!round) return null;
  await runBatch(db, n.memberIds.length ? [db.insert(reviewRoundMembers).values(n.memberIds.map((memberId) => ({ roundId: round.id, memberId })))] : []);
  return round;
}

export async function roundRoster(db: Db, roundId: number): Promise<Array<{ id: number; name: string; userId: string }>> {
  return db
    .select({ id: members.id, name: members.name, userId: members.userId })
    .from(reviewRoundMembers)
    .innerJoin(members, eq(members.id, reviewRoundMembers.memberId))
    .where(eq(reviewRoundMembers.roundId, roundId))
    .orderBy(asc(members.id));
}

export interface BallotLine {
  rateeId: number;
  grade: Grade;
  stars: Array<number | null>;
  comment: string | null;
}

/** Writes (or replaces) a rater's lines for some ratees; the rater appears only inside each line's tag. */
export async function saveBallotLines(db: Db, roundId: number, tagOf: (rateeId: number) => string, lines: BallotLine[]): Promise<void> {
  await runBatch(
    db,
    lines.map((l) => {
      const stars = { s1: l.stars[0] ?? null, s2: l.stars[1] ?? null, s3: l.stars[2] ?? null, s4: l.stars[3] ?? null, s5: l.stars[4] ?? null };
      return db
        .insert(reviewBallots)
        .values({ roundId, tag: tagOf(l.rateeId), rateeId: l.rateeId, grade: l.grade, comment: l.comment, ...stars })
        .onConflictDoUpdate({ target: [reviewBallots.roundId, reviewBallots.tag], set: { grade: l.grade, comment: l.comment, ...stars } });
    }),
  );
}

/** A rater's lines, found by recomputing the tag for each possible ratee. */
export async function ballotLinesOf(db: Db, roundId: number, tagOf: (rateeId: number) => string, rateeIds: number[]) {
  if (rateeIds.length === 0) return [];
  return db
    .select()
    .from(reviewBallots)
    .where(and(eq(reviewBallots.roundId, roundId), inArray(reviewBallots.tag, rateeIds.map(tagOf))));
}

/** Marks a rater's ballot complete (idempotent). */
export async function markVoted(db: Db, secret: string, roundId: number, raterId: number): Promise<void> {
  await db
    .insert(reviewVoters)
    .values({ roundId, tag: voterTag(secret, roundId, raterId) })
    .onConflictDoNothing();
}

/** Who has completed a ballot, found by recomputing each member's marker. */
export async function completedVoters(db: Db, secret: string, roundId: number, roster: Array<{ id: number }>): Promise<Set<number>> {
  const stored = new Set((await db.select({ tag: reviewVoters.tag }).from(reviewVoters).where(eq(reviewVoters.roundId, roundId))).map((r) => r.tag));
  return new Set(roster.filter((m) => stored.has(voterTag(secret, roundId, m.id))).map((m) => m.id));
}

export async function roundsOfPhase(db: Db, phaseId: number): Promise<RoundRow[]> {
  return db.select().from(reviewRounds).where(eq(reviewRounds.phaseId, phaseId));
}
