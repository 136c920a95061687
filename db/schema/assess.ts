// Declarations, self-assessments, second scoring and self-checks.
import { sql } from 'drizzle-orm';
import { integer, primaryKey, sqliteTable, text, uniqueIndex, index, real } from 'drizzle-orm/sqlite-core';
import { campaignPhases, campaigns } from './campaign.js';
import { branches, members } from './org.js';
import { PLEDGE_KINDS } from './pledge.js';

/** A member's application for a model post in a declare phase ("一人一报"); awarding it (授牌) makes a post held. */
export const postDeclarations = sqliteTable(
  'post_declarations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    phaseId: integer('phase_id')
      .notNull()
      .references(() => campaignPhases.id),
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id),
    branchId: integer('branch_id').references(() => branches.id),
    postKind: text('post_kind').notNull(),
    statement: text('statement').notNull(),
    revision: integer('revision').notNull().default(1),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
    awardedAt: integer('awarded_at', { mode: 'timestamp_ms' }),
    awardedBy: text('awarded_by'),
    /** 撤销: the title withdrawn (a failing re-check, seed 001 "及时进行调整"); a revoked post is no longer re-checked. */
    revokedAt: integer('revoked_at', { mode: 'timestamp_ms' }),
    revokedBy: text('revoked_by'),
    revokeReason: text('revoke_reason'),
  },
  (t) => [
    uniqueIndex('post_declarations_member_uq').on(t.phaseId, t.memberId),
    index('post_declarations_branch_ix').on(t.phaseId, t.branchId),
    index('post_declarations_campaign_ix').on(t.campaignId, t.memberId),
  ],
);

/** A secretary's confirmation of the branch's applicants, sent to the committee; every confirmation is kept. */
export const declarationLists = sqliteTable(
  'declaration_lists',
  {
    phaseId: integer('phase_id')
      .notNull()
      .references(() => campaignPhases.id),
    branchId: integer('branch_id')
      .notNull()
      .references(() => branches.id),
    revision: integer('revision').notNull(),
    memberIds: text('member_ids', { mode: 'json' }).$type<number[]>().notNull(),
    confirmedBy: text('confirmed_by').notNull(),
    confirmedAt: integer('confirmed_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.phaseId, t.branchId, t.revision] })],
);

export const ASSESSMENT_RATERS = ['self', 'review'] as const;
export type AssessmentRater = (typeof ASSESSMENT_RATERS)[number];

/**
 * A member's self-assessment against the rubric frozen in the campaign (rater self), or a leader's
 * second scoring of it (rater review). `phaseId` is the declare or semester phase assessed.
 */
export const assessments = sqliteTable(
  'assessments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    phaseId: integer('phase_id')
      .notNull()
      .references(() => campaignPhases.id),
    /** The member assessed. */
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id),
    branchId: integer('branch_id').references(() => branches.id),
    rater: text('rater', { enum: ASSESSMENT_RATERS }).notNull(),
    /** The platform user id of who scores (the member themself for a self-assessment). */
    raterId: text('rater_id').notNull(),
    rubricId: text('rubric_id').notNull(),
    rubricVersion: integer('rubric_version').notNull(),
    /** Pages saved so far (category ids and "extra"): the draft a member comes back to. */
    pagesDone: text('pages_done', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    /** The answers differ from the last submission (or nothing was submitted yet). */
    dirty: integer('dirty', { mode: 'boolean' }).notNull().default(true),
    /** Final submits so far; 0 while a draft. */
    revision: integer('revision').notNull().default(0),
    submittedAt: integer('submitted_at', { mode: 'timestamp_ms' }),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [uniqueIndex('assessments_uq').on(t.phaseId, t.memberId, t.rater, t.raterId), index('assessments_branch_ix').on(t.phaseId, t.branchId)],
);

/**
 * One answer per assessment and rubric item: a score and note (scored items), an evidence claim or the
 * points a reviewer grants (bonus items), or a yes/no per veto condition (`part` = condition 1..n).
 */
export const assessmentAnswers = sqliteTable(
  'assessment_answers',
  {
    assessmentId: integer('assessment_id')
      .notNull()
      .references(() => assessments.id),
    itemNo: integer('item_no').notNull(),
    part: integer('part').notNull().default(0),
    score: real('score'),
    flag: integer('flag', { mode: 'boolean' }),
    note: text('note').notNull().default(''),
  },
  (t) => [primaryKey({ columns: [t.assessmentId, t.itemNo, t.part] })],
);

export interface AssessmentAnswer {
  itemNo: number;
  part: number;
  score: number | null;
  flag: boolean | null;
  note: string;
}

/** Every final submit of an assessment, frozen with its rubric version and totals: what reviewers and the ledger see. */
export const assessmentSubmissions = sqliteTable(
  'assessment_submissions',
  {
    assessmentId: integer('assessment_id')
      .notNull()
      .references(() => assessments.id),
    revision: integer('revision').notNull(),
    rubricId: text('rubric_id').notNull(),
    rubricVersion: integer('rubric_version').notNull(),
    answers: text('answers', { mode: 'json' }).$type<AssessmentAnswer[]>().notNull(),
    total: real('total').notNull(),
    vetoed: integer('vetoed', { mode: 'boolean' }).notNull(),
    submittedAt: integer('submitted_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.assessmentId, t.revision] })],
);

export interface CriterionAnswer {
  id: string;
  name: string;
  grade: string;
  note: string;
}

/** A semester self-check against the template's criteria (五个好 for a branch), one per owner and phase. */
export const criteriaChecks = sqliteTable(
  'criteria_checks',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    phaseId: integer('phase_id')
      .notNull()
      .references(() => campaignPhases.id),
    kind: text('kind', { enum: PLEDGE_KINDS }).notNull(),
    /** "branch:<id>" or "member:<id>". */
    ownerKey: text('owner_key').notNull(),
    branchId: integer('branch_id').references(() => branches.id),
    memberId: integer('member_id').references(() => members.id),
    /** The criteria set and the template version it was answered against, e.g. "three-lights/criteria.branch" v1. */
    criteriaId: text('criteria_id').notNull(),
    criteriaVersion: integer('criteria_version').notNull(),
    answers: text('answers', { mode: 'json' }).$type<CriterionAnswer[]>().notNull(),
    revision: integer('revision').notNull().default(1),
    submittedBy: text('submitted_by').notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [uniqueIndex('criteria_checks_owner_uq').on(t.phaseId, t.ownerKey)],
);
