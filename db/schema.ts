// Every table of the bot. Uniqueness lives in constraints, not in code.
import { sql } from 'drizzle-orm';
import type { CampaignTemplate } from '../bot/campaign/template.js';
import { RESPONDERS } from '../bot/campaign/template.js';
import { integer, primaryKey, sqliteTable, text, uniqueIndex, index } from 'drizzle-orm/sqlite-core';

const createdAt = () =>
  integer('created_at', { mode: 'timestamp_ms' }).notNull().default(sql`(unixepoch() * 1000)`);

/** A Feishu/DingTalk organisation (tenant_key / corpId) the bot has seen. */
export const tenants = sqliteTable(
  'tenants',
  {
    platform: text('platform').notNull(),
    tenantKey: text('tenant_key').notNull(),
    name: text('name'),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.platform, t.tenantKey] })],
);

/** A party branch (党支部); bound to at most one group chat. */
export const branches = sqliteTable(
  'branches',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    platform: text('platform').notNull(),
    tenantKey: text('tenant_key').notNull(),
    name: text('name').notNull(),
    chatId: text('chat_id'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('branches_name_uq').on(t.platform, t.tenantKey, t.name),
    uniqueIndex('branches_chat_uq').on(t.platform, t.chatId),
  ],
);

export const ROLES = ['member', 'secretary', 'leader'] as const;
export type Role = (typeof ROLES)[number];

/** A person on the roster: party member, branch secretary or committee member (leader). */
export const members = sqliteTable(
  'members',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    platform: text('platform').notNull(),
    tenantKey: text('tenant_key').notNull(),
    userId: text('user_id').notNull(),
    name: text('name').notNull(),
    branchId: integer('branch_id').references(() => branches.id),
    role: text('role', { enum: ROLES }).notNull().default('member'),
    joinedPartyOn: text('joined_party_on'),
    anniversaryOptOut: integer('anniversary_opt_out', { mode: 'boolean' }).notNull().default(false),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('members_user_uq').on(t.platform, t.tenantKey, t.userId),
    index('members_branch_ix').on(t.branchId),
  ],
);

/** The branches a committee member "links" (联系点) and reviews. */
export const leaderLinks = sqliteTable(
  'leader_links',
  {
    leaderId: integer('leader_id').notNull().references(() => members.id),
    branchId: integer('branch_id').notNull().references(() => branches.id),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.leaderId, t.branchId] })],
);

export const CAMPAIGN_STATUSES = ['active', 'stopped', 'finished'] as const;

export interface DateRange {
  from: string;
  to: string;
}

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
  createdBy: text('created_by').notNull(),
  createdAt: createdAt(),
});

/** The roster frozen when a campaign starts; later changes are audited amendments (removedAt). */
export const campaignRoster = sqliteTable(
  'campaign_roster',
  {
    campaignId: integer('campaign_id').notNull().references(() => campaigns.id),
    memberId: integer('member_id').notNull().references(() => members.id),
    branchId: integer('branch_id').references(() => branches.id),
    role: text('role', { enum: ROLES }).notNull(),
    addedAt: integer('added_at', { mode: 'timestamp_ms' }).notNull(),
    removedAt: integer('removed_at', { mode: 'timestamp_ms' }),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.memberId] }), index('campaign_roster_branch_ix').on(t.campaignId, t.branchId)],
);

/** That a roster member answered a phase (pledged, self-assessed, voted, acknowledged ...). */
export const phaseResponses = sqliteTable(
  'phase_responses',
  {
    phaseId: integer('phase_id').notNull().references(() => campaignPhases.id),
    memberId: integer('member_id').notNull().references(() => members.id),
    at: integer('at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.phaseId, t.memberId] })],
);

/** One dated phase of a campaign. */
export const campaignPhases = sqliteTable(
  'campaign_phases',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    campaignId: integer('campaign_id').notNull().references(() => campaigns.id),
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

/** One row per platform delivery id: the second delivery of an event stops at this constraint. */
export const processedEvents = sqliteTable(
  'processed_events',
  {
    eventId: text('event_id').primaryKey(),
    platform: text('platform').notNull(),
    receivedAt: integer('received_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('processed_events_received_ix').on(t.receivedAt)],
);

/** dropped: stale (deadline passed) or superseded, never sent; cancelled: its campaign stopped. */
export const OUTBOX_STATUSES = ['pending', 'sent', 'dead', 'dropped', 'cancelled'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/** Messages to send; a row is marked sent only after the Open API accepted it. */
export const outbox = sqliteTable(
  'outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    dedupeKey: text('dedupe_key').notNull(),
    platform: text('platform').notNull(),
    receiveIdType: text('receive_id_type').notNull(),
    receiveId: text('receive_id').notNull(),
    msgType: text('msg_type').notNull(),
    content: text('content').notNull(),
    status: text('status', { enum: OUTBOX_STATUSES }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    notBefore: integer('not_before', { mode: 'timestamp_ms' }).notNull(),
    /** Not worth sending after this (a nudge after its deadline). */
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }),
    campaignId: integer('campaign_id'),
    lastError: text('last_error'),
    messageId: text('message_id'),
    sentAt: integer('sent_at', { mode: 'timestamp_ms' }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('outbox_dedupe_uq').on(t.dedupeKey),
    index('outbox_due_ix').on(t.status, t.notBefore),
    index('outbox_campaign_ix').on(t.campaignId, t.status),
  ],
);

/** Who changed what: bindings, roles, campaign adjustments. */
export const auditLog = sqliteTable('audit_log', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  at: integer('at', { mode: 'timestamp_ms' }).notNull(),
  platform: text('platform').notNull(),
  tenantKey: text('tenant_key').notNull(),
  actorId: text('actor_id').notNull(),
  action: text('action').notNull(),
  target: text('target').notNull(),
  detail: text('detail', { mode: 'json' }).$type<Record<string, unknown>>(),
});

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
    campaignId: integer('campaign_id').notNull().references(() => campaigns.id),
    phaseId: integer('phase_id').notNull().references(() => campaignPhases.id),
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
  (t) => [
    uniqueIndex('pledges_owner_uq').on(t.phaseId, t.ownerKey),
    index('pledges_branch_ix').on(t.phaseId, t.branchId),
  ],
);

/** Every submitted version of a pledge, kept. */
export const pledgeRevisions = sqliteTable(
  'pledge_revisions',
  {
    pledgeId: integer('pledge_id').notNull().references(() => pledges.id),
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
    pledgeId: integer('pledge_id').notNull().references(() => pledges.id),
    itemNo: integer('item_no').notNull(),
    phaseId: integer('phase_id').notNull().references(() => campaignPhases.id),
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
    phaseId: integer('phase_id').notNull().references(() => campaignPhases.id),
    branchId: integer('branch_id').notNull().references(() => branches.id),
    messageId: text('message_id').notNull(),
    page: integer('page').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.phaseId, t.branchId] })],
);
