// Peer review (党员互评) rounds and ballots, and leader reviews (领导点评).
import { sql } from 'drizzle-orm';
import { integer, primaryKey, sqliteTable, text, uniqueIndex, index } from 'drizzle-orm/sqlite-core';
import { campaignPhases } from './campaign.js';
import { branches, members } from './org.js';

export const GRADES = ['excellent', 'qualified', 'basic', 'unqualified'] as const;
export type Grade = (typeof GRADES)[number];

/** A peer-review round (党员互评 / 民主评议) of one branch; its roster is frozen in review_round_members. */
export const reviewRounds = sqliteTable(
  'review_rounds',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    platform: text('platform').notNull(),
    tenantKey: text('tenant_key').notNull(),
    branchId: integer('branch_id')
      .notNull()
      .references(() => branches.id),
    /** Set when the round belongs to a campaign's review phase (opened and closed by the scheduler). */
    phaseId: integer('phase_id').references(() => campaignPhases.id),
    /** Per-criterion stars asked for: the criteria's names, or empty for a grade only. */
    criteria: text('criteria', { mode: 'json' }).$type<string[]>().notNull(),
    minBallots: integer('min_ballots').notNull(),
    status: text('status', { enum: ['open', 'closed'] })
      .notNull()
      .default('open'),
    openedBy: text('opened_by').notNull(),
    openedAt: integer('opened_at', { mode: 'timestamp_ms' }).notNull(),
    closedAt: integer('closed_at', { mode: 'timestamp_ms' }),
    lastRemindAt: integer('last_remind_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    uniqueIndex('review_rounds_phase_uq').on(t.phaseId, t.branchId),
    // At most one open round per branch, whether opened by hand or by a campaign phase.
    uniqueIndex('review_rounds_open_uq').on(t.branchId).where(sql`status = 'open'`),
  ],
);

export const reviewRoundMembers = sqliteTable(
  'review_round_members',
  {
    roundId: integer('round_id')
      .notNull()
      .references(() => reviewRounds.id),
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id),
  },
  (t) => [primaryKey({ columns: [t.roundId, t.memberId] })],
);

/**
 * Anonymous ballot lines: one row per (rater, ratee), the rater present only inside `tag`, a keyed
 * hash of (round, rater, ratee) whose key is not in the database. Tags differ for every line, so
 * lines cannot even be grouped by rater (grouping would reveal the rater as the one member missing
 * from the group). The migration creates the table WITHOUT ROWID: rows sit in tag order, not in
 * the order they were written. No timestamps are kept.
 */
export const reviewBallots = sqliteTable(
  'review_ballots',
  {
    roundId: integer('round_id')
      .notNull()
      .references(() => reviewRounds.id),
    tag: text('tag').notNull(),
    rateeId: integer('ratee_id')
      .notNull()
      .references(() => members.id),
    grade: text('grade', { enum: GRADES }).notNull(),
    s1: integer('s1'),
    s2: integer('s2'),
    s3: integer('s3'),
    s4: integer('s4'),
    s5: integer('s5'),
    comment: text('comment'),
  },
  (t) => [primaryKey({ columns: [t.roundId, t.tag] }), index('review_ballots_ratee_ix').on(t.roundId, t.rateeId)],
);

/** 领导点评: a committee member's review of a branch they link, in a campaign's leader-review phase. */
export const leaderReviews = sqliteTable(
  'leader_reviews',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    phaseId: integer('phase_id')
      .notNull()
      .references(() => campaignPhases.id),
    leaderId: integer('leader_id')
      .notNull()
      .references(() => members.id),
    branchId: integer('branch_id')
      .notNull()
      .references(() => branches.id),
    grades: text('grades', { mode: 'json' }).$type<Record<string, string>>().notNull(),
    strengths: text('strengths').notNull(),
    problems: text('problems').notNull(),
    direction: text('direction').notNull(),
    revision: integer('revision').notNull().default(1),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [uniqueIndex('leader_reviews_uq').on(t.phaseId, t.leaderId, t.branchId)],
);

// ---- Declarations (申报), self-assessment (自评) and second scoring (考核打分), criteria self-checks ----
// Scores step in halves (rubric.step), so they are stored as REAL.

/**
 * That a rater has completed their ballot, as a keyed hash of (round, rater) only — which lines are
 * theirs stays unknowable. WITHOUT ROWID (in the migration), so the order of completion is not kept.
 */
export const reviewVoters = sqliteTable(
  'review_voters',
  {
    roundId: integer('round_id')
      .notNull()
      .references(() => reviewRounds.id),
    tag: text('tag').notNull(),
  },
  (t) => [primaryKey({ columns: [t.roundId, t.tag] })],
);
