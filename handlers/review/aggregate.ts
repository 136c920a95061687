// Results of a round: per member grade counts, criteria averages and comments, computed in SQL.
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { reviewBallots } from '../../db/schema.js';
import type { GradeKey, MemberResult } from '../../cards/review-cards.js';
import { shuffled } from './anonymity.js';

export interface RoundAggregate {
  rateeId: number;
  ballots: number;
  grades: Record<GradeKey, number>;
  stars: Array<number | null>;
}

export async function aggregateRound(db: Db, roundId: number): Promise<Map<number, RoundAggregate>> {
  const g = reviewBallots.grade;
  const rows = await db
    .select({
      rateeId: reviewBallots.rateeId,
      ballots: sql<number>`count(*)`,
      excellent: sql<number>`sum(${g} = 'excellent')`,
      qualified: sql<number>`sum(${g} = 'qualified')`,
      basic: sql<number>`sum(${g} = 'basic')`,
      unqualified: sql<number>`sum(${g} = 'unqualified')`,
      s1: sql<number | null>`avg(${reviewBallots.s1})`,
      s2: sql<number | null>`avg(${reviewBallots.s2})`,
      s3: sql<number | null>`avg(${reviewBallots.s3})`,
      s4: sql<number | null>`avg(${reviewBallots.s4})`,
      s5: sql<number | null>`avg(${reviewBallots.s5})`,
    })
    .from(reviewBallots)
    .where(eq(reviewBallots.roundId, roundId))
    .groupBy(reviewBallots.rateeId);
  return new Map(
    rows.map((r) => [
      r.rateeId,
      {
        rateeId: r.rateeId,
        ballots: Number(r.ballots),
        grades: { excellent: Number(r.excellent), qualified: Number(r.qualified), basic: Number(r.basic), unqualified: Number(r.unqualified) },
        stars: [r.s1, r.s2, r.s3, r.s4, r.s5].map((v) => (v === null ? null : Number(v))),
      },
    ]),
  );
}

/** Comments about one member, in random order and without any rater information. */
export async function commentsAbout(db: Db, roundId: number, rateeId: number, random?: () => number): Promise<string[]> {
  const rows = await db
    .select({ comment: reviewBallots.comment })
    .from(reviewBallots)
    .where(sql`${reviewBallots.roundId} = ${roundId} AND ${reviewBallots.rateeId} = ${rateeId} AND ${reviewBallots.comment} IS NOT NULL`);
  return shuffled(rows.map((r) => r.comment!).filter(Boolean), random);
}

export function emptyResult(name: string): MemberResult {
  return { name, ballots: 0, grades: { excellent: 0, qualified: 0, basic: 0, unqualified: 0 }, stars: [null, null, null, null, null], comments: [] };
}
