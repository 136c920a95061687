// 党员互评: per member only the aggregates of their round (ballots, grade counts, average stars),
// only once the round is closed (two exports around one vote would otherwise tell that vote) and
// only when the member got the round's minimum of ballots (k-threshold). Never a ballot line, a
// tag, a comment or anything that pairs a rater with a ratee.
import { and, asc, eq, inArray } from 'drizzle-orm';
import { GRADE_LABELS, type GradeKey } from '../../cards/review-cards.js';
import { members, reviewRoundMembers, reviewRounds } from '../../db/schema.js';
import { aggregateRound } from '../review/aggregate.js';
import type { SheetSpec } from './sheet.js';

const GRADES = Object.keys(GRADE_LABELS) as GradeKey[];

/** The mean of the criteria averages a member got, to two places; null without stars. */
export function averageStars(stars: Array<number | null>): number | null {
  const given = stars.filter((s): s is number => s !== null);
  return given.length ? Math.round((given.reduce((a, b) => a + b, 0) / given.length) * 100) / 100 : null;
}

export const peerSheet: SheetSpec = {
  name: '党员互评',
  columns: [
    { header: '支部', width: 22 },
    { header: '轮次', width: 20 },
    { header: '党员', width: 12 },
    { header: '有效票数', width: 10 },
    ...GRADES.map((g) => ({ header: GRADE_LABELS[g], width: 10 })),
    { header: '平均星级', width: 10 },
    { header: '说明', width: 24 },
  ],
  async *rows(src) {
    const phaseIds = src.phases.map((p) => p.id);
    if (!src.branchIds.length || !phaseIds.length) return;
    const rounds = await src.db
      .select()
      .from(reviewRounds)
      .where(and(inArray(reviewRounds.phaseId, phaseIds), inArray(reviewRounds.branchId, src.branchIds)))
      .orderBy(asc(reviewRounds.branchId), asc(reviewRounds.id));
    for (const round of rounds) {
      const roster = await src.db
        .select({ id: members.id, name: members.name })
        .from(reviewRoundMembers)
        .innerJoin(members, eq(members.id, reviewRoundMembers.memberId))
        .where(eq(reviewRoundMembers.roundId, round.id))
        .orderBy(asc(members.id));
      const label = `${src.phaseTitle(round.phaseId)}${round.status === 'open' ? '（进行中）' : ''}`;
      if (round.status === 'open') {
        for (const person of roster) yield [src.branchName(round.branchId), label, person.name, '', ...GRADES.map(() => ''), '', '评议进行中，结束后公布'];
        continue;
      }
      const results = await aggregateRound(src.db, round.id);
      for (const person of roster) {
        const r = results.get(person.id);
        const ballots = r?.ballots ?? 0;
        if (ballots < round.minBallots) {
          yield [src.branchName(round.branchId), label, person.name, '', ...GRADES.map(() => ''), '', `不足${round.minBallots}票，不公布`];
          continue;
        }
        yield [src.branchName(round.branchId), label, person.name, ballots, ...GRADES.map((g) => r!.grades[g]), averageStars(r!.stars), ''];
      }
    }
  },
};
