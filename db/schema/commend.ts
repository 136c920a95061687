// 评选表彰: a campaign's list of titles from nomination through the committee's vote and 公示 to the
// final decision; every vote is a new revision, objections are kept, nothing is overwritten.
import { integer, primaryKey, real, sqliteTable, text, uniqueIndex, index } from 'drizzle-orm/sqlite-core';
import { campaigns } from './campaign.js';
import { members } from './org.js';

export const COMMEND_STAGES = ['nominating', 'voting', 'publicity', 'final'] as const;
export type CommendStage = (typeof COMMEND_STAGES)[number];

/** One 评选表彰 of a campaign (a campaign of two yearly rounds has one per round). */
export const commendations = sqliteTable(
  'commendations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    round: integer('round').notNull().default(1),
    stage: text('stage', { enum: COMMEND_STAGES }).notNull().default('nominating'),
    /** The results formula the nominations were ranked by, e.g. "excellence-results@1". */
    formula: text('formula').notNull(),
    publicityDays: integer('publicity_days').notNull(),
    publicityFrom: integer('publicity_from', { mode: 'timestamp_ms' }),
    publicityTo: integer('publicity_to', { mode: 'timestamp_ms' }),
    openedBy: text('opened_by').notNull(),
    openedAt: integer('opened_at', { mode: 'timestamp_ms' }).notNull(),
    confirmedBy: text('confirmed_by'),
    confirmedAt: integer('confirmed_at', { mode: 'timestamp_ms' }),
  },
  (t) => [uniqueIndex('commendations_round_uq').on(t.campaignId, t.round)],
);

export const NOMINEE_STATUSES = ['nominated', 'withdrawn', 'approved', 'rejected', 'awarded'] as const;
export type NomineeStatus = (typeof NOMINEE_STATUSES)[number];

/** A candidate put forward for a title, with the score and rank it had when nominated. */
export const commendNominees = sqliteTable(
  'commend_nominees',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    commendationId: integer('commendation_id')
      .notNull()
      .references(() => commendations.id),
    titleId: text('title_id').notNull(),
    titleName: text('title_name').notNull(),
    /** 'member' (a member id) or 'branch' (a branch id). */
    subjectKind: text('subject_kind', { enum: ['member', 'branch'] }).notNull(),
    subjectId: integer('subject_id').notNull(),
    name: text('name').notNull(),
    branch: text('branch').notNull(),
    postKind: text('post_kind'),
    score: real('score'),
    rank: integer('rank'),
    status: text('status', { enum: NOMINEE_STATUSES }).notNull().default('nominated'),
    nominatedBy: text('nominated_by').notNull(),
    nominatedAt: integer('nominated_at', { mode: 'timestamp_ms' }).notNull(),
    /** Why a nomination was withdrawn (after an objection, say). */
    reason: text('reason'),
  },
  (t) => [uniqueIndex('commend_nominees_uq').on(t.commendationId, t.titleId, t.subjectId), index('commend_nominees_ix').on(t.commendationId, t.status)],
);

/** A committee member's 同意/不同意 on a nominee; a change is a new revision (the latest counts). */
export const commendVotes = sqliteTable(
  'commend_votes',
  {
    nomineeId: integer('nominee_id')
      .notNull()
      .references(() => commendNominees.id),
    voterId: integer('voter_id')
      .notNull()
      .references(() => members.id),
    revision: integer('revision').notNull(),
    vote: text('vote', { enum: ['yes', 'no'] }).notNull(),
    at: integer('at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.nomineeId, t.voterId, t.revision] })],
);

/** An objection raised during 公示, named or anonymous, about one nominee or the list. */
export const commendObjections = sqliteTable('commend_objections', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  commendationId: integer('commendation_id')
    .notNull()
    .references(() => commendations.id),
  nomineeId: integer('nominee_id').references(() => commendNominees.id),
  text: text('text').notNull(),
  /** Name and contact when the objector signs; both null when anonymous. */
  name: text('name'),
  contact: text('contact'),
  at: integer('at', { mode: 'timestamp_ms' }).notNull(),
});
