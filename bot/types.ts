// The neutral event and reply types: handlers see these, never a platform payload.
import type { CardModel } from '../cards/model.js';

/** An adapter's id ('feishu', 'dingtalk', 'web'); stored with every row that belongs to a platform. */
export type PlatformId = 'feishu' | 'dingtalk' | 'web' | (string & {});
export type ChatType = 'p2p' | 'group';

export interface Mention {
  userId: string;
  name: string;
}

interface EventBase {
  /** The platform's delivery id (Feishu header.event_id); the dedupe key. */
  eventId: string;
  platform: PlatformId;
  tenantKey: string;
  chatId: string;
  /** The sender's id in this app (Feishu open_id). */
  userId: string;
}

export interface CommandEvent extends EventBase {
  kind: 'command';
  chatType: ChatType;
  messageId: string;
  /** Lower-cased command word without the slash: "help", "帮助". */
  name: string;
  args: string[];
  /** People @-mentioned after the command word (the bot's own mention is removed). */
  mentions: Mention[];
  /** The campaign named with "活动:<编号|名称>" (several can run at once). */
  campaign?: string;
}

export interface MessageEvent extends EventBase {
  kind: 'message';
  chatType: ChatType;
  messageId: string;
  text: string;
}

export interface CardActionEvent extends EventBase {
  kind: 'cardAction';
  messageId: string;
  action: { id: string; v: number; args: Record<string, string> };
  /** The form's fields, one trimmed string each (dates as YYYY-MM-DD): adapters normalise their wire forms. */
  formValue: Record<string, string>;
  /** The adapter's opaque handle to replace this card after the callback was answered (Feishu: a token valid 30 min). */
  lateHandle: string | null;
}

export type IncomingEvent = CommandEvent | MessageEvent | CardActionEvent;

export interface Toast {
  type: 'info' | 'success' | 'warning' | 'error';
  text: string;
}

/** What a handler answers: text or a card to post, and/or a toast and new card for a callback. */
export interface Reply {
  text?: string;
  card?: CardModel;
  toast?: Toast;
}

export interface ChatMemberInfo {
  userId: string;
  name: string;
  tenantKey: string;
}

export type MessageContent = { kind: 'text'; text: string } | { kind: 'card'; card: CardModel };

/**
 * A file described, not held: the outbox row stays small and the bytes are built when it is sent,
 * through a capability's port (see bot/files.ts). Plain JSON, as it is stored.
 */
export interface FileRef {
  /** A ledger as /台账 grants it (checked again when built). */
  ledger?: { platform: PlatformId; tenantKey: string; userId: string; campaignId: number; branchId: number | null; sheet: string | null };
}

/** A built file, as an adapter uploads it. */
export interface Attachment {
  fileName: string;
  bytes: Uint8Array;
}

/**
 * What handlers send and the outbox stores: a message, or a file message. An adapter that takes
 * files (`sendFile`) gets the file; any other gets `fallback` as text (e.g. the download link).
 */
export type OutboxContent =
  | MessageContent
  | { kind: 'file'; file: FileRef; fallback: string }
  /** A card that is also sent as the platform's urgent notice to its recipient (where the platform has one). */
  | { kind: 'urgent'; card: CardModel };
export type Recipient = { type: 'chat'; id: string } | { type: 'user'; id: string };
/** A reply to a message: the chat it is in and the message answered. */
export interface ReplyTarget {
  chatId: string;
  messageId: string;
}

/** The outbound half of a platform, as the core uses it. */
export interface PlatformApi {
  readonly platform: PlatformId;
  send(to: Recipient, content: MessageContent, idempotencyKey: string): Promise<{ messageId: string }>;
  reply(to: ReplyTarget, content: MessageContent, idempotencyKey: string): Promise<{ messageId: string }>;
  updateCard(messageId: string, card: CardModel): Promise<void>;
  /** Replaces a card after its callback was answered, through the event's `lateHandle`. */
  updateLate(handle: string, card: CardModel): Promise<void>;
  listChatMembers(chatId: string): Promise<ChatMemberInfo[]>;
  /** What to check on this platform when it refuses `listChatMembers` (shown by /同步, in Chinese). */
  readonly membersRefusedHint?: string;
  /** Makes a sent message an in-app urgent notice for a user (Feishu urgent_app, DingTalk DING). */
  urgent?(messageId: string, userId: string): Promise<void>;
  /** Uploads a file and sends it as a file message (platforms that take files). */
  sendFile?(to: Recipient, file: Attachment, idempotencyKey: string): Promise<{ messageId: string }>;
  /** One call for one message to several people (DingTalk); without it every outbox row is one call. */
  readonly batch?: BatchSend;
}

/** A row of a batch: who gets the message, and the idempotency key of their outbox row. */
export interface BatchRecipient {
  userId: string;
  key: string;
}

/** Per recipient: the message id the platform gave, or why it refused that person (the others may be sent). */
export type BatchOutcome = { messageId: string } | { error: Error };

export interface BatchSend {
  /** The most people one call takes. */
  readonly max: number;
  /**
   * Rows to people with the same key may go as one call: the key stands for the message exactly as the
   * platform would show it to that person. Null: this row goes alone (e.g. it carries a personal link).
   */
  key(userId: string, content: MessageContent): string | null;
  /** Sends one message to all of them; throws when the call as a whole failed (none was sent). */
  send(to: BatchRecipient[], content: MessageContent): Promise<BatchOutcome[]>;
}
