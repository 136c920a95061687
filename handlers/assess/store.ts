// Assessments in the database: drafts saved page by page, final submits frozen as numbered submissions.
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { AnswerRowLike } from '../../bot/campaign/rubric.js';
import { runBatch, type Db } from '../../db/client.js';
import { assessmentAnswers, assessments, assessmentSubmissions, phaseResponses, type AssessmentAnswer, type AssessmentRater } from '../../db/schema.js';

export type AssessmentRow = typeof assessments.$inferSelect;
export type SubmissionRow = typeof assessmentSubmissions.$inferSelect;

export interface AssessKey {
  campaignId: number;
  phaseId: number;
  memberId: number;
  branchId: number | null;
  rater: AssessmentRater;
  raterId: string;
  rubricId: string;
  rubricVersion: number;
}

export async function findAssessment(db: Db, k: Pick<AssessKey, 'phaseId' | 'memberId' | 'rater' | 'raterId'>): Promise<AssessmentRow | null> {
  const [row] = await db
    .select()
    .from(assessments)
    .where(and(eq(assessments.phaseId, k.phaseId), eq(assessments.memberId, k.memberId), eq(assessments.rater, k.rater), eq(assessments.raterId, k.raterId)));
  return row ?? null;
}

/** The row for a key, created on first use (concurrent first saves meet at the unique index). */
export async function ensureAssessment(db: Db, k: AssessKey, now: Date): Promise<AssessmentRow> {
  const [created] = await db
    .insert(assessments)
    .values({ ...k, updatedAt: now })
    .onConflictDoNothing()
    .returning();
  return created ?? (await findAssessment(db, k))!;
}

export async function answerRows(db: Db, assessmentId: number): Promise<AnswerRowLike[]> {
  return db
    .select({
      itemNo: assessmentAnswers.itemNo,
      part: assessmentAnswers.part,
      score: assessmentAnswers.score,
      flag: assessmentAnswers.flag,
      note: assessmentAnswers.note,
    })
    .from(assessmentAnswers)
    .where(eq(assessmentAnswers.assessmentId, assessmentId))
    .orderBy(asc(assessmentAnswers.itemNo), asc(assessmentAnswers.part));
}

const rowKey = (r: Pick<AnswerRowLike, 'itemNo' | 'part'>) => `${r.itemNo}.${r.part}`;
const same = (a: AnswerRowLike, b: AnswerRowLike) => a.score === b.score && a.flag === b.flag && a.note === b.note;

/**
 * Saves one page's answers (every field of the page, so a page is always complete) and marks the page
 * done. The assessment becomes "dirty" (differs from its last submission) only when something changed.
 */
export async function savePage(db: Db, a: AssessmentRow, pageId: string, rows: AnswerRowLike[], now: Date): Promise<boolean> {
  const before = new Map((await answerRows(db, a.id)).map((r) => [rowKey(r), r]));
  const changed = !a.pagesDone.includes(pageId) || rows.some((r) => !before.has(rowKey(r)) || !same(before.get(rowKey(r))!, r));
  if (!changed) return false;
  await runBatch(db, [
    ...rows.map((r) =>
      db
        .insert(assessmentAnswers)
        .values({ assessmentId: a.id, ...r })
        .onConflictDoUpdate({
          target: [assessmentAnswers.assessmentId, assessmentAnswers.itemNo, assessmentAnswers.part],
          set: { score: r.score, flag: r.flag, note: r.note },
        }),
    ),
    db
      .update(assessments)
      .set({
        pagesDone: sql`CASE WHEN EXISTS (SELECT 1 FROM json_each(${assessments.pagesDone}) WHERE value = ${pageId}) THEN ${assessments.pagesDone} ELSE json_insert(${assessments.pagesDone}, '$[#]', ${pageId}) END`,
        dirty: true,
        updatedAt: now,
      })
      .where(eq(assessments.id, a.id)),
  ]);
  return true;
}

export interface Snapshot {
  answers: AssessmentAnswer[];
  total: number;
  vetoed: boolean;
}

/**
 * The final submit: the next revision and its frozen snapshot, and the phase response when the
 * submitter is expected to answer. An unchanged assessment (a repeated click) writes nothing new.
 */
export async function submitAssessment(
  db: Db,
  a: AssessmentRow,
  snap: Snapshot,
  response: { phaseId: number; memberId: number } | null,
  now: Date,
): Promise<{ changed: boolean; revision: number }> {
  const bump = db
    .update(assessments)
    .set({ revision: sql`${assessments.revision} + 1`, dirty: false, submittedAt: now })
    .where(and(eq(assessments.id, a.id), eq(assessments.dirty, true)))
    .returning({ revision: assessments.revision });
  const frozen =
    db.run(sql`INSERT OR IGNORE INTO assessment_submissions (assessment_id, revision, rubric_id, rubric_version, answers, total, vetoed, submitted_at)
    SELECT id, revision, rubric_id, rubric_version, ${JSON.stringify(snap.answers)}, ${snap.total}, ${snap.vetoed ? 1 : 0}, ${now.getTime()}
    FROM assessments WHERE id = ${a.id} AND revision > 0`);
  const answered = response
    ? [
        db
          .insert(phaseResponses)
          .values({ ...response, at: now })
          .onConflictDoNothing(),
      ]
    : [];
  const [bumped] = (await db.batch([bump, frozen, ...answered])) as [Array<{ revision: number }>, ...unknown[]];
  const latest = (await findAssessment(db, a))!;
  return { changed: bumped.length > 0, revision: latest.revision };
}

export async function latestSubmission(db: Db, assessmentId: number): Promise<SubmissionRow | null> {
  const [row] = await db
    .select()
    .from(assessmentSubmissions)
    .where(eq(assessmentSubmissions.assessmentId, assessmentId))
    .orderBy(desc(assessmentSubmissions.revision))
    .limit(1);
  return row ?? null;
}

export async function phaseAssessments(db: Db, phaseId: number, rater: AssessmentRater, memberIds?: number[]): Promise<AssessmentRow[]> {
  if (memberIds && memberIds.length === 0) return [];
  return db
    .select()
    .from(assessments)
    .where(and(eq(assessments.phaseId, phaseId), eq(assessments.rater, rater), ...(memberIds ? [inArray(assessments.memberId, memberIds)] : [])));
}

/** The current submission of every submitted assessment of a phase by `rater` kind (one query). */
export async function currentSubmissions(db: Db, phaseId: number, rater: AssessmentRater) {
  return db
    .select({ assessment: assessments, submission: assessmentSubmissions })
    .from(assessments)
    .innerJoin(assessmentSubmissions, and(eq(assessmentSubmissions.assessmentId, assessments.id), eq(assessmentSubmissions.revision, assessments.revision)))
    .where(and(eq(assessments.phaseId, phaseId), eq(assessments.rater, rater)));
}
