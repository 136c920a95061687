// Satisfaction surveys (师生评议 / 群众评议): surveys, codes, answers.
import { integer, primaryKey, sqliteTable, text, uniqueIndex, index } from 'drizzle-orm/sqlite-core';
import { campaignPhases, campaigns } from './campaign.js';
import { branches, members } from './org.js';

export const SURVEY_MODES = ['open', 'coded'] as const;
export type SurveyMode = (typeof SURVEY_MODES)[number];
export const SURVEY_RATINGS = ['satisfied', 'basic', 'unsatisfied'] as const;
export type SurveyRating = (typeof SURVEY_RATINGS)[number];

/**
 * A satisfaction survey (师生评议 / 群众评议) of a branch, answered on a public page by people on no chat
 * platform. `rateRule` names how the rate is computed (versioned: results say which rule they used).
 */
export const surveys = sqliteTable('surveys', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  platform: text('platform').notNull(),
  tenantKey: text('tenant_key').notNull(),
  branchId: integer('branch_id')
    .notNull()
    .references(() => branches.id),
  campaignId: integer('campaign_id').references(() => campaigns.id),
  phaseId: integer('phase_id').references(() => campaignPhases.id),
  /** A survey of one member's post (党员示范岗, 先锋岗) rather than of the branch. */
  memberId: integer('member_id').references(() => members.id),
  /** The post's name on its plaque, e.g. 服务育人示范岗 (member surveys). */
  postTitle: text('post_title'),
  title: text('title').notNull(),
  mode: text('mode', { enum: SURVEY_MODES }).notNull(),
  criteria: text('criteria', { mode: 'json' }).$type<string[]>().notNull(),
  /** The satisfaction rate to reach, in percent (seeds 001 and 004: 90). */
  threshold: integer('threshold').notNull(),
  /** No verdict below this many answers. */
  minSample: integer('min_sample').notNull(),
  rateRule: text('rate_rule').notNull(),
  status: text('status', { enum: ['open', 'closed'] })
    .notNull()
    .default('open'),
  openedBy: text('opened_by').notNull(),
  openedAt: integer('opened_at', { mode: 'timestamp_ms' }).notNull(),
  closedAt: integer('closed_at', { mode: 'timestamp_ms' }),
});

/** Single-use codes of a coded survey, as keyed hashes (the code itself is printed, never stored). */
export const surveyCodes = sqliteTable(
  'survey_codes',
  {
    surveyId: integer('survey_id')
      .notNull()
      .references(() => surveys.id),
    codeHash: text('code_hash').notNull(),
    usedAt: integer('used_at', { mode: 'timestamp_ms' }),
  },
  (t) => [primaryKey({ columns: [t.surveyId, t.codeHash] })],
);

/**
 * One answer. It keeps no IP, user agent or cookie: only, in open mode, a keyed hash of a random
 * browser id (one answer per browser); a coded answer does not say which code it used.
 */
export const surveyAnswers = sqliteTable(
  'survey_answers',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    surveyId: integer('survey_id')
      .notNull()
      .references(() => surveys.id),
    rating: text('rating', { enum: SURVEY_RATINGS }).notNull(),
    /** Criterion -> rating, for the criteria answered. */
    criteria: text('criteria', { mode: 'json' }).$type<Record<string, SurveyRating>>().notNull(),
    comment: text('comment').notNull().default(''),
    voterTag: text('voter_tag'),
    at: integer('at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [uniqueIndex('survey_answers_voter_uq').on(t.surveyId, t.voterTag), index('survey_answers_survey_ix').on(t.surveyId)],
);
