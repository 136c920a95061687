// What the web edge delivered (the sandbox chats).
import { integer, sqliteTable, text, uniqueIndex, index } from 'drizzle-orm/sqlite-core';
import { createdAt } from './columns.js';

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
