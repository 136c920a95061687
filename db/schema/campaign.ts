// Campaigns: the frozen template, its phases, its roster and who has answered.
import { sql } from 'drizzle-orm';
import { integer, primaryKey, sqliteTable, text, uniqueIndex, index } from 'drizzle-orm/sqlite-core';
import type { CampaignTemplate } from '../../bot/campaign/template.js';
import { RESPONDERS, ROLES, type DateRange } from '../../bot/campaign/template.js';
import { createdAt } from './columns.js';
import { branches, members } from './org.js';

export const CAMPAIGN_STATUSES = ['active', 'stopped', 'finished'] as const;

/** A campaign run from a template (创先争优, 党员示范岗 ...); the template is frozen into the row. */
export const campaigns = sqliteTable('campaigns', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  platform: text('platform').notNull(),
  tenantKey: text('tenant_key').notNull(),
  templateId: text('template_id').notNull(),
  templateVersion: integer('template_version').notNull(),
  /** The whole template (phases, criteria, rubric version) as it was when the campaign started. */
  template: text('template', { mode: 'json' }).$type<CampaignTemplate>().notNull(),
  title: text('title').notNull(),
  startsOn: text('starts_on').notNull(),
  timezone: text('timezone').notNull(),
  /** Holidays (寒暑假) during which nudges and digests pause; inclusive local dates. */
  blackouts: text('blackouts', { mode: 'json' }).$type<DateRange[]>().notNull().default(sql`'[]'`),
  status: text('status', { enum: CAMPAIGN_STATUSES }).notNull().default('active'),
  /** On escalation the member's last reminder also goes as the platform's urgent notice (Feishu 加急, DingTalk DING). */
  urgentEscalation: integer('urgent_escalation', { mode: 'boolean' }).notNull().default(false),
  createdBy: text('created_by').notNull(),
  createdAt: createdAt(),
});

/** The roster frozen when a campaign starts; later changes are audited amendments (removedAt). */
export const campaignRoster = sqliteTable(
  'campaign_roster',
  {
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id),
    branchId: integer('branch_id').references(() => branches.id),
    role: text('role', { enum: ROLES }).notNull(),
    /** A branch member who also sits on the committee: answers leader phases as well. */
    committee: integer('committee', { mode: 'boolean' }).notNull().default(false),
    addedAt: integer('added_at', { mode: 'timestamp_ms' }).notNull(),
    removedAt: integer('removed_at', { mode: 'timestamp_ms' }),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.memberId] }), index('campaign_roster_branch_ix').on(t.campaignId, t.branchId)],
);

/** That a roster member answered a phase (pledged, self-assessed, voted, acknowledged ...). */
export const phaseResponses = sqliteTable(
  'phase_responses',
  {
    phaseId: integer('phase_id')
      .notNull()
      .references(() => campaignPhases.id),
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id),
    at: integer('at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.phaseId, t.memberId] })],
);

/** One dated phase of a campaign. */
export const campaignPhases = sqliteTable(
  'campaign_phases',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    seq: integer('seq').notNull(),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    task: text('task').notNull(),
    respond: text('respond', { enum: RESPONDERS }),
    round: integer('round'),
    opensAt: integer('opens_at', { mode: 'timestamp_ms' }).notNull(),
    closesAt: integer('closes_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [uniqueIndex('campaign_phases_seq_uq').on(t.campaignId, t.seq)],
);

export const EXEMPTION_KINDS = ['leave', 'exempt'] as const;
export type ExemptionKind = (typeof EXEMPTION_KINDS)[number];

/**
 * A member excused by their secretary (请假 for a date range or a phase, 免评 for a phase): not nudged,
 * not counted as pending, shown as such. Revoking keeps the row (revokedAt).
 */
export const memberExemptions = sqliteTable(
  'member_exemptions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id),
    kind: text('kind', { enum: EXEMPTION_KINDS }).notNull(),
    /** For one phase; else the inclusive local dates below. */
    phaseId: integer('phase_id').references(() => campaignPhases.id),
    fromDate: text('from_date'),
    toDate: text('to_date'),
    reason: text('reason').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    revokedBy: text('revoked_by'),
    revokedAt: integer('revoked_at', { mode: 'timestamp_ms' }),
  },
  (t) => [index('member_exemptions_campaign_ix').on(t.campaignId, t.memberId)],
);
