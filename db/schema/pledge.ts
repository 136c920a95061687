// Pledges (承诺/践诺): revisions, progress and checks, the wall card.
import { integer, primaryKey, sqliteTable, text, uniqueIndex, index } from 'drizzle-orm/sqlite-core';
import { campaignPhases, campaigns } from './campaign.js';
import { branches, members } from './org.js';

export interface PledgeItem {
  area: string;
  promise: string;
  /** YYYY-MM-DD */
  due: string;
}

export const PLEDGE_KINDS = ['member', 'branch'] as const;

/** A yearly public pledge (承诺) of a member or of a branch; `items` is the current revision. */
export const pledges = sqliteTable(
  'pledges',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    phaseId: integer('phase_id')
      .notNull()
      .references(() => campaignPhases.id),
    kind: text('kind', { enum: PLEDGE_KINDS }).notNull(),
    /** "member:<id>" or "branch:<id>": one pledge per owner and phase. */
    ownerKey: text('owner_key').notNull(),
    /** The member who pledges (kind member) or the branch (kind branch). */
    memberId: integer('member_id').references(() => members.id),
    branchId: integer('branch_id').references(() => branches.id),
    items: text('items', { mode: 'json' }).$type<PledgeItem[]>().notNull(),
    revision: integer('revision').notNull().default(1),
    submittedBy: text('submitted_by').notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [uniqueIndex('pledges_owner_uq').on(t.phaseId, t.ownerKey), index('pledges_branch_ix').on(t.phaseId, t.branchId)],
);

/** Every submitted version of a pledge, kept. */
export const pledgeRevisions = sqliteTable(
  'pledge_revisions',
  {
    pledgeId: integer('pledge_id')
      .notNull()
      .references(() => pledges.id),
    revision: integer('revision').notNull(),
    items: text('items', { mode: 'json' }).$type<PledgeItem[]>().notNull(),
    submittedBy: text('submitted_by').notNull(),
    submittedAt: integer('submitted_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.pledgeId, t.revision] })],
);

export const PROGRESS_STATUSES = ['todo', 'doing', 'done'] as const;
export type ProgressStatus = (typeof PROGRESS_STATUSES)[number];

/** 践诺: progress of one pledge item at one check phase, and the secretary's check of it. */
export const pledgeProgress = sqliteTable(
  'pledge_progress',
  {
    pledgeId: integer('pledge_id')
      .notNull()
      .references(() => pledges.id),
    itemNo: integer('item_no').notNull(),
    phaseId: integer('phase_id')
      .notNull()
      .references(() => campaignPhases.id),
    status: text('status', { enum: PROGRESS_STATUSES }).notNull(),
    note: text('note').notNull().default(''),
    reportedAt: integer('reported_at', { mode: 'timestamp_ms' }).notNull(),
    checkedBy: text('checked_by'),
    checkedAt: integer('checked_at', { mode: 'timestamp_ms' }),
    checkComment: text('check_comment'),
  },
  (t) => [primaryKey({ columns: [t.pledgeId, t.itemNo, t.phaseId] })],
);

/** The pledge wall card (亮承诺) of a branch in a pledge phase: patched in place, one page shown. */
export const pledgeWalls = sqliteTable(
  'pledge_walls',
  {
    phaseId: integer('phase_id')
      .notNull()
      .references(() => campaignPhases.id),
    branchId: integer('branch_id')
      .notNull()
      .references(() => branches.id),
    messageId: text('message_id').notNull(),
    page: integer('page').notNull().default(0),
    /** When the current message was posted: a platform updates a message only for so long (Feishu: 14 days). */
    postedAt: integer('posted_at', { mode: 'timestamp_ms' }),
  },
  (t) => [primaryKey({ columns: [t.phaseId, t.branchId] })],
);
