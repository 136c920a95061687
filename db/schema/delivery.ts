// The way in and out: the durable inbox, the outbox, and the audit log.
import { sql } from 'drizzle-orm';
import { integer, primaryKey, sqliteTable, text, uniqueIndex, index } from 'drizzle-orm/sqlite-core';
import { createdAt } from './columns.js';

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
    // The scheduler reads every key of a campaign each tick: from the index alone, not the rows' contents.
    index('outbox_campaign_key_ix').on(t.campaignId, t.dedupeKey, t.status),
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
