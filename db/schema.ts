// Every table of the bot. Uniqueness lives in constraints, not in code.
import { sql } from 'drizzle-orm';
import type { CampaignTemplate } from '../bot/campaign/template.js';
import { RESPONDERS, ROLES, type DateRange, type Role } from '../bot/campaign/template.js';

export { ROLES, type DateRange, type Role };
import { integer, primaryKey, sqliteTable, text, uniqueIndex, index } from 'drizzle-orm/sqlite-core';

const createdAt = () => integer('created_at', { mode: 'timestamp_ms' }).notNull().default(sql`(unixepoch() * 1000)`);

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
    /** The secretary has made the branch's pledges public on a web page (公开亮出承诺). */
    pledgesPublic: integer('pledges_public', { mode: 'boolean' }).notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('branches_name_uq').on(t.platform, t.tenantKey, t.name), uniqueIndex('branches_chat_uq').on(t.platform, t.chatId)],
);

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
  (t) => [uniqueIndex('members_user_uq').on(t.platform, t.tenantKey, t.userId), index('members_branch_ix').on(t.branchId)],
);

/** The branches a committee member "links" (联系点) and reviews. */
export const leaderLinks = sqliteTable(
  'leader_links',
  {
    leaderId: integer('leader_id')
      .notNull()
      .references(() => members.id),
    branchId: integer('branch_id')
      .notNull()
      .references(() => branches.id),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.leaderId, t.branchId] })],
);

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

/** One row per platform delivery id: the second delivery of an event stops at this constraint. */
/** pending: recorded and acknowledged, not yet fully processed; done: effects and replies are durable. */
export const INBOX_STATUSES = ['pending', 'done', 'failed'] as const;
export type InboxStatus = (typeof INBOX_STATUSES)[number];

/**
 * The durable inbox: one row per delivery (the dedupe key), written before the platform gets its 200.
 * The neutral event is kept only while pending, so a crash resumes it; it is cleared when done
 * (a card action can carry a ballot, and its sender must not stay next to it).
 */
export const processedEvents = sqliteTable(
  'processed_events',
  {
    platform: text('platform').notNull(),
    eventId: text('event_id').notNull(),
    receivedAt: integer('received_at', { mode: 'timestamp_ms' }).notNull(),
    status: text('status', { enum: INBOX_STATUSES }).notNull().default('done'),
    payload: text('payload'),
    /** Instance processing it and until when (wall-clock ms); an expired claim may be taken over. */
    claimedBy: text('claimed_by'),
    claimedUntil: integer('claimed_until'),
    attempts: integer('attempts').notNull().default(0),
    doneAt: integer('done_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    primaryKey({ columns: [t.platform, t.eventId] }),
    index('processed_events_received_ix').on(t.receivedAt),
    // Partial: only the few unfinished events are in it, so completing one is cheap.
    index('processed_events_pending_ix').on(t.claimedUntil).where(sql`status = 'pending'`),
  ],
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
    /** chat, user, reply (receive_id is the message answered) or late (an adapter's late-update handle). */
    receiveIdType: text('receive_id_type').notNull(),
    receiveId: text('receive_id').notNull(),
    /** The chat of a reply. */
    chatId: text('chat_id'),
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
    /** The instance whose claim (lease in notBefore) is on the row; a restarted sole writer releases it. */
    claimedBy: text('claimed_by'),
    /** 0: an answer someone is waiting for; 1: scheduled (reminders). Lower goes first. */
    priority: integer('priority').notNull().default(1),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('outbox_dedupe_uq').on(t.dedupeKey),
    index('outbox_due_ix').on(t.status, t.priority, t.notBefore),
    index('outbox_campaign_ix').on(t.campaignId, t.status),
  ],
);

/** Who changed what: bindings, roles, campaign adjustments. */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: integer('at', { mode: 'timestamp_ms' }).notNull(),
    platform: text('platform').notNull(),
    tenantKey: text('tenant_key').notNull(),
    actorId: text('actor_id').notNull(),
    action: text('action').notNull(),
    target: text('target').notNull(),
    detail: text('detail', { mode: 'json' }).$type<Record<string, unknown>>(),
    /** The delivery that made the change: a resumed event finds its change already written. */
    eventId: text('event_id'),
  },
  (t) => [uniqueIndex('audit_log_event_uq').on(t.platform, t.eventId, t.action, t.target)],
);

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
  },
  (t) => [primaryKey({ columns: [t.phaseId, t.branchId] })],
);

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
import { real } from 'drizzle-orm/sqlite-core';

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

/**
 * What the web adapter delivered: the chats of the sandbox (a branch group, a direct chat) as the
 * bot and people wrote them. A card answered by a callback is replaced in place (revision + 1).
 */
export const webMessages = sqliteTable(
  'web_messages',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** The outbox key that sent it (null for what a person typed): a resend is the same message. */
    dedupeKey: text('dedupe_key'),
    chatId: text('chat_id').notNull(),
    /** The web user who typed it; null for the bot. */
    fromUser: text('from_user'),
    content: text('content', { mode: 'json' }).$type<{ kind: 'text'; text: string } | { kind: 'card'; card: unknown }>().notNull(),
    replyTo: integer('reply_to'),
    revision: integer('revision').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [uniqueIndex('web_messages_dedupe_uq').on(t.dedupeKey), index('web_messages_chat_ix').on(t.chatId, t.id)],
);

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
