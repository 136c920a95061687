// Surveys in the database: opening one (with its single-use codes as keyed hashes), taking an answer
// once per browser or per code, closing, and the tally the result is computed from.
import { createHmac } from 'node:crypto';
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { type Db, runBatch } from '../../db/client.js';
import { SURVEY_RATINGS, type SurveyMode, type SurveyRating, surveyAnswers, surveyCodes, surveys } from '../../db/schema.js';
import type { SurveyTally } from './results.js';

export type SurveyRow = typeof surveys.$inferSelect;

const key = (secret: string, purpose: string, data: string) => createHmac('sha256', secret).update(`survey-${purpose}\n${data}`).digest();

/** Codes people can type from a slip: no 0/O, 1/I/L. */
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/** The i-th code of a survey: derived from the key, so the print page can print it again; never stored. */
export function surveyCode(secret: string, surveyId: number, i: number): string {
  const bytes = key(secret, 'code', `${surveyId}:${i}`);
  return Array.from(bytes.subarray(0, 8), (b) => ALPHABET[b % ALPHABET.length]).join('');
}

export function codeHash(secret: string, surveyId: number, code: string): string {
  return key(secret, 'code-hash', `${surveyId}:${code.toUpperCase()}`).toString('base64url');
}

/** One-per-browser in open mode: a keyed hash of the browser's random id (the id itself is not kept). */
export function voterTag(secret: string, surveyId: number, browserId: string): string {
  return key(secret, 'voter', `${surveyId}:${browserId}`).toString('base64url');
}

export interface NewSurvey {
  platform: string;
  tenantKey: string;
  branchId: number;
  campaignId: number | null;
  phaseId: number | null;
  /** A member's post instead of the branch. */
  memberId?: number | null;
  postTitle?: string | null;
  title: string;
  mode: SurveyMode;
  codes: number;
  criteria: string[];
  threshold: number;
  minSample: number;
  rateRule: string;
  openedBy: string;
  now: Date;
}

export async function openSurvey(db: Db, secret: string, s: NewSurvey): Promise<SurveyRow> {
  const [row] = await db
    .insert(surveys)
    .values({
      platform: s.platform,
      tenantKey: s.tenantKey,
      branchId: s.branchId,
      campaignId: s.campaignId,
      phaseId: s.phaseId,
      memberId: s.memberId ?? null,
      postTitle: s.postTitle ?? null,
      title: s.title,
      mode: s.mode,
      criteria: s.criteria,
      threshold: s.threshold,
      minSample: s.minSample,
      rateRule: s.rateRule,
      openedBy: s.openedBy,
      openedAt: s.now,
    })
    .returning();
  const survey = row!;
  const hashes = Array.from({ length: s.codes }, (_, i) => codeHash(secret, survey.id, surveyCode(secret, survey.id, i)));
  for (let i = 0; i < hashes.length; i += 200) {
    await runBatch(
      db,
      hashes.slice(i, i + 200).map((h) => db.insert(surveyCodes).values({ surveyId: survey.id, codeHash: h }).onConflictDoNothing()),
    );
  }
  return survey;
}

export async function surveyById(db: Db, id: number): Promise<SurveyRow | undefined> {
  const [row] = await db.select().from(surveys).where(eq(surveys.id, id));
  return row;
}

/** The branch's open survey, or (with `memberId`) the open survey of that member's post. */
export async function openSurveyOfBranch(db: Db, branchId: number, memberId: number | null = null): Promise<SurveyRow | undefined> {
  const [row] = await db
    .select()
    .from(surveys)
    .where(and(eq(surveys.branchId, branchId), eq(surveys.status, 'open'), memberId === null ? isNull(surveys.memberId) : eq(surveys.memberId, memberId)))
    .orderBy(desc(surveys.id))
    .limit(1);
  return row;
}

export async function latestSurveyOfBranch(db: Db, branchId: number, memberId: number | null = null): Promise<SurveyRow | undefined> {
  const [row] = await db
    .select()
    .from(surveys)
    .where(and(eq(surveys.branchId, branchId), memberId === null ? isNull(surveys.memberId) : eq(surveys.memberId, memberId)))
    .orderBy(desc(surveys.id))
    .limit(1);
  return row;
}

export async function closeSurvey(db: Db, id: number, now: Date): Promise<boolean> {
  const rows = await db
    .update(surveys)
    .set({ status: 'closed', closedAt: now })
    .where(and(eq(surveys.id, id), eq(surveys.status, 'open')))
    .returning({ id: surveys.id });
  return rows.length > 0;
}

export interface Answer {
  rating: SurveyRating;
  criteria: Record<string, SurveyRating>;
  comment: string;
}

/** The open-mode answer, prepared once per database: a lunch-hour QR sends hundreds a second. */
const prepared = new WeakMap<Db, ReturnType<typeof prepareOpenAnswer>>();
function prepareOpenAnswer(db: Db) {
  return db
    .insert(surveyAnswers)
    .values({
      surveyId: sql.placeholder('surveyId'),
      rating: sql.placeholder('rating'),
      criteria: sql.placeholder('criteria'),
      comment: sql.placeholder('comment'),
      at: sql.placeholder('at'),
      voterTag: sql.placeholder('voterTag'),
    })
    .onConflictDoNothing()
    .returning({ id: surveyAnswers.id })
    .prepare();
}
function insertOpenAnswer(db: Db) {
  let p = prepared.get(db);
  if (!p) prepared.set(db, (p = prepareOpenAnswer(db)));
  return p;
}

export type AnswerOutcome = 'ok' | 'closed' | 'duplicate' | 'code-used' | 'code-unknown';

/** Takes an answer: open mode once per voter tag, coded mode once per code (the answer does not name it). */
export async function recordAnswer(
  db: Db,
  survey: SurveyRow,
  answer: Answer,
  who: { voterTag: string } | { codeHash: string },
  now: Date,
): Promise<AnswerOutcome> {
  if (survey.status !== 'open') return 'closed';
  const values = { surveyId: survey.id, rating: answer.rating, criteria: answer.criteria, comment: answer.comment, at: now };
  if ('voterTag' in who) {
    const rows = await insertOpenAnswer(db).all({ ...values, voterTag: who.voterTag });
    return rows.length ? 'ok' : 'duplicate';
  }
  const where = and(eq(surveyCodes.surveyId, survey.id), eq(surveyCodes.codeHash, who.codeHash));
  const claimed = await db
    .update(surveyCodes)
    .set({ usedAt: now })
    .where(and(where, isNull(surveyCodes.usedAt)))
    .returning({ hash: surveyCodes.codeHash });
  if (!claimed.length) {
    const [known] = await db.select({ usedAt: surveyCodes.usedAt }).from(surveyCodes).where(where);
    return known ? 'code-used' : 'code-unknown';
  }
  await db.insert(surveyAnswers).values({ ...values, voterTag: null });
  return 'ok';
}

export async function tallyOf(db: Db, surveyId: number): Promise<SurveyTally> {
  const counts = Object.fromEntries(SURVEY_RATINGS.map((r) => [r, 0])) as Record<SurveyRating, number>;
  for (const row of await db
    .select({ rating: surveyAnswers.rating, n: sql<number>`count(*)` })
    .from(surveyAnswers)
    .where(eq(surveyAnswers.surveyId, surveyId))
    .groupBy(surveyAnswers.rating)) {
    counts[row.rating] = Number(row.n);
  }
  const criteria: SurveyTally['criteria'] = {};
  for (const row of await db
    .select({ name: sql<string>`j.key`, rating: sql<SurveyRating>`j.value`, n: sql<number>`count(*)` })
    .from(sql`${surveyAnswers}, json_each(${surveyAnswers.criteria}) AS j`)
    .where(eq(surveyAnswers.surveyId, surveyId))
    .groupBy(sql`j.key`, sql`j.value`)) {
    const c = (criteria[row.name] ??= { satisfied: 0, basic: 0, unsatisfied: 0 });
    if (row.rating in c) c[row.rating] = Number(row.n);
  }
  return { counts, criteria };
}

export async function recentComments(db: Db, surveyId: number, limit = 20): Promise<string[]> {
  const rows = await db
    .select({ comment: surveyAnswers.comment })
    .from(surveyAnswers)
    .where(and(eq(surveyAnswers.surveyId, surveyId), sql`${surveyAnswers.comment} != ''`))
    .orderBy(desc(surveyAnswers.id))
    .limit(limit);
  return rows.map((r) => r.comment);
}
