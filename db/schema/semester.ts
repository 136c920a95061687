// The semester calendar (data, editable by admins) and the semester re-checks of held model posts.
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { postDeclarations } from './assess.js';
import { campaignPhases, campaigns } from './campaign.js';
import { members } from './org.js';

/**
 * One semester of a school year (第一学期 in autumn, 第二学期 in spring) with its local dates and the
 * day its re-check window opens; the window ends with the semester. Default rows are written the first
 * time an organisation needs a school year (updatedBy "default"); admins change them with /学期 设置.
 */
export const semesters = sqliteTable(
  'semesters',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    platform: text('platform').notNull(),
    tenantKey: text('tenant_key').notNull(),
    /** "2026-2027". */
    schoolYear: text('school_year').notNull(),
    /** 1 = 第一学期, 2 = 第二学期. */
    term: integer('term').notNull(),
    startsOn: text('starts_on').notNull(),
    endsOn: text('ends_on').notNull(),
    recheckFrom: text('recheck_from').notNull(),
    updatedBy: text('updated_by').notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [uniqueIndex('semesters_term_uq').on(t.platform, t.tenantKey, t.schoolYear, t.term)],
);

/**
 * A held post re-checked in a semester: the holder self-assesses in `phaseId` (the awarding campaign's
 * own 每学期考核 phase when it overlaps the window, else a phase added to that campaign for the
 * re-check) and the committee scores it there.
 */
export const postRechecks = sqliteTable(
  'post_rechecks',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    semesterId: integer('semester_id')
      .notNull()
      .references(() => semesters.id),
    declarationId: integer('declaration_id')
      .notNull()
      .references(() => postDeclarations.id),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    phaseId: integer('phase_id')
      .notNull()
      .references(() => campaignPhases.id),
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id),
    openedAt: integer('opened_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [uniqueIndex('post_rechecks_uq').on(t.semesterId, t.declarationId), index('post_rechecks_phase_ix').on(t.phaseId)],
);
