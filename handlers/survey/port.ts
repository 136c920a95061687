// The survey's public side, as the web adapter's pages use it: what the page shows, and taking one
// answer (checked field by field, in Chinese) once per browser or per code.
import type { SurveyPort } from '../../bot/ports.js';
import { SURVEY_RATINGS, type SurveyRating } from '../../db/schema.js';
import { branchById } from '../branches.js';
import { COMMENT_MAX, RATING_LABELS, surveyField } from './fields.js';
import type { Db } from '../../db/client.js';
import { type PublicPledges, publicPledges } from './public-pledges.js';
import { type Answer, codeHash, recordAnswer, type SurveyRow, surveyById, surveyCode, voterTag } from './store.js';
import { and, count, eq } from 'drizzle-orm';
import { members, surveyAnswers, surveyCodes } from '../../db/schema.js';

const isRating = (v: string | undefined): v is SurveyRating => SURVEY_RATINGS.includes(v as SurveyRating);

function readAnswer(form: Record<string, string>, criteria: string[]): { answer: Answer | null; errors: string[] } {
  const errors: string[] = [];
  const rating = form[surveyField.rating]?.trim();
  if (!isRating(rating)) errors.push('总体评价：请选择 满意、基本满意 或 不满意。');
  const chosen: Record<string, SurveyRating> = {};
  criteria.forEach((name, i) => {
    const v = form[surveyField.criterion(i)]?.trim();
    if (!v) return;
    if (isRating(v)) chosen[name] = v;
    else errors.push(`${name}：「${v.slice(0, 20)}」不是可选的评价。`);
  });
  const comment = (form[surveyField.comment] ?? '').trim();
  if ([...comment].length > COMMENT_MAX) errors.push(`意见建议：最多 ${COMMENT_MAX} 字，现在 ${[...comment].length} 字。`);
  return { answer: errors.length ? null : { rating: rating as SurveyRating, criteria: chosen, comment }, errors };
}

/**
 * A survey's row and branch name, read at most every 2 s per survey: a lunch-hour QR brings hundreds of
 * answers a second to one survey, and its row changes only when it is closed (taking effect within 2 s).
 */
const CACHE_MS = 2_000;
interface CachedSurvey {
  at: number;
  row: SurveyRow | undefined;
  branchName: string;
  subject: { name: string; post: string } | null;
  pledges: PublicPledges | null;
}
const cache = new Map<number, CachedSurvey>();

async function subjectOf(db: Db, row: SurveyRow): Promise<CachedSurvey['subject']> {
  if (row.memberId === null) return null;
  const [m] = await db.select({ name: members.name }).from(members).where(eq(members.id, row.memberId));
  return { name: m?.name ?? '', post: row.postTitle ?? '' };
}

async function cachedSurvey(db: Db, id: number, clockNow: Date, now = Date.now()): Promise<CachedSurvey> {
  const hit = cache.get(id);
  if (hit && now - hit.at < CACHE_MS) return hit;
  const row = await surveyById(db, id);
  const entry = {
    at: now,
    row,
    branchName: row ? (await branchById(db, row.branchId)).name : '',
    subject: row ? await subjectOf(db, row) : null,
    pledges: row ? await publicPledges(db, row, clockNow) : null,
  };
  if (cache.size > 1_000) cache.clear();
  cache.set(id, entry);
  return entry;
}

function secretOf(deps: { config: { reviewSecret: string | null } }): string {
  if (!deps.config.reviewSecret) throw new Error('REVIEW_SECRET is required for surveys');
  return deps.config.reviewSecret;
}

export const surveyPort: SurveyPort = {
  async view({ db, clock }, id) {
    const { row: s, branchName, subject, pledges } = await cachedSurvey(db, id, clock.now());
    if (!s) return null;
    return {
      id: s.id,
      title: s.title,
      branchName,
      mode: s.mode,
      open: s.status === 'open',
      criteria: s.criteria,
      commentMax: COMMENT_MAX,
      ratings: SURVEY_RATINGS.map((r) => ({ value: r, label: RATING_LABELS[r] })),
      pledges,
      subject,
    };
  },

  async answered(deps, id, browserId) {
    const [row] = await deps.db
      .select({ id: surveyAnswers.id })
      .from(surveyAnswers)
      .where(and(eq(surveyAnswers.surveyId, id), eq(surveyAnswers.voterTag, voterTag(secretOf(deps), id, browserId))));
    return Boolean(row);
  },

  async answer(deps, id, form, who) {
    const { row: s } = await cachedSurvey(deps.db, id, deps.clock.now());
    if (!s) return { outcome: 'closed', errors: [] };
    const { answer, errors } = readAnswer(form, s.criteria);
    if (!answer) return { outcome: 'invalid', errors };
    const secret = secretOf(deps);
    const key = 'code' in who ? { codeHash: codeHash(secret, id, who.code.trim()) } : { voterTag: voterTag(secret, id, who.browserId) };
    if (s.mode === 'coded' && !('codeHash' in key)) return { outcome: 'code-unknown', errors: [] };
    return { outcome: await recordAnswer(deps.db, s, answer, key, deps.clock.now()), errors: [] };
  },

  async codes(deps, id) {
    const s = await surveyById(deps.db, id);
    if (!s || s.mode !== 'coded') return [];
    const [row] = await deps.db.select({ n: count() }).from(surveyCodes).where(eq(surveyCodes.surveyId, id));
    const secret = secretOf(deps);
    return Array.from({ length: row?.n ?? 0 }, (_, i) => surveyCode(secret, id, i));
  },
};
