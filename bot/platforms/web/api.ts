// The web edge's outbound half: a message "sent" is a row of web_messages that the pages show;
// a card update rewrites that row. Idempotent by the outbox key, like a platform's uuid.
import { asc, eq, sql } from 'drizzle-orm';
import type { CardModel } from '../../../cards/model.js';
import type { Clock } from '../../clock.js';
import type { ChatMemberInfo, MessageContent, PlatformApi, Recipient, ReplyTarget } from '../../types.js';
import type { Db } from '../../../db/client.js';
import { webMessages } from '../../../db/schema.js';
import { directChatOf } from './chats.js';

export type WebMessage = typeof webMessages.$inferSelect;

/** What is stored in place of a card with someone's anonymous answers (the card itself stays in memory). */
function storedCard(card: CardModel): MessageContent {
  if (!card.sensitive) return { kind: 'card', card };
  return {
    kind: 'card',
    card: { title: card.title, tone: 'grey', blocks: [{ type: 'note', text: '这张卡片含匿名评议内容，不保存在数据库中。请发送 /评议 重新打开。' }] },
  };
}

export class WebApi implements PlatformApi {
  readonly platform = 'web' as const;
  /** Cards with anonymous answers, by message id: shown while this process runs, never written. */
  private readonly sensitive = new Map<number, CardModel>();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    /** The people of a group chat (the sandbox's demo groups). */
    private readonly members: (chatId: string) => ChatMemberInfo[],
  ) {}

  private async insert(
    chatId: string,
    content: MessageContent,
    key: string | null,
    replyTo: number | null,
    fromUser: string | null,
  ): Promise<{ messageId: string; fresh: boolean }> {
    const now = this.clock.now();
    const stored = content.kind === 'card' ? storedCard(content.card) : content;
    const [row] = await this.db
      .insert(webMessages)
      .values({ dedupeKey: key, chatId, content: stored, replyTo, fromUser, createdAt: now, updatedAt: now })
      .onConflictDoNothing()
      .returning({ id: webMessages.id });
    if (row) {
      if (content.kind === 'card' && content.card.sensitive) this.sensitive.set(row.id, content.card);
      return { messageId: String(row.id), fresh: true };
    }
    const [sent] = await this.db
      .select({ id: webMessages.id })
      .from(webMessages)
      .where(eq(webMessages.dedupeKey, key ?? ''));
    return { messageId: String(sent?.id ?? ''), fresh: false };
  }

  send(to: Recipient, content: MessageContent, key: string): Promise<{ messageId: string }> {
    return this.insert(to.type === 'chat' ? to.id : directChatOf(to.id), content, key, null, null);
  }

  reply(to: ReplyTarget, content: MessageContent, key: string): Promise<{ messageId: string }> {
    const replyTo = Number(to.messageId);
    return this.insert(to.chatId, content, key, Number.isSafeInteger(replyTo) ? replyTo : null, null);
  }

  /** What a person typed, shown in the chat before the bot's answer; `key` makes a repeated post one message. */
  typed(chatId: string, userId: string, text: string, key: string): Promise<{ messageId: string; fresh: boolean }> {
    return this.insert(chatId, { kind: 'text', text }, key, null, userId);
  }

  async updateCard(messageId: string, card: CardModel): Promise<void> {
    const id = Number(messageId);
    if (!Number.isSafeInteger(id)) return;
    if (card.sensitive) this.sensitive.set(id, card);
    else this.sensitive.delete(id);
    await this.db
      .update(webMessages)
      .set({ content: storedCard(card), revision: sql`${webMessages.revision} + 1`, updatedAt: this.clock.now() })
      .where(eq(webMessages.id, id));
  }

  /** The late handle of a web card action is the message's id. */
  updateLate(handle: string, card: CardModel): Promise<void> {
    return this.updateCard(handle, card);
  }

  async listChatMembers(chatId: string): Promise<ChatMemberInfo[]> {
    return this.members(chatId);
  }

  /** The chat as its people see it (a card with anonymous answers as this process holds it). */
  async chat(chatId: string, limit = 200): Promise<WebMessage[]> {
    const rows = await this.db.select().from(webMessages).where(eq(webMessages.chatId, chatId)).orderBy(asc(webMessages.id)).limit(limit);
    return rows.map((r) => {
      const card = this.sensitive.get(r.id);
      return card ? { ...r, content: { kind: 'card', card } } : r;
    });
  }

  /** Forgets what is held in memory (the sandbox was reset). */
  forget(): void {
    this.sensitive.clear();
  }

  async message(id: number): Promise<WebMessage | undefined> {
    const [row] = await this.db.select().from(webMessages).where(eq(webMessages.id, id));
    return row;
  }

  /** A number that changes whenever the chat does (new message or a card replaced). */
  async version(chatId: string): Promise<string> {
    const [row] = await this.db
      .select({ n: sql<number>`count(*)`, rev: sql<number>`coalesce(sum(${webMessages.revision}), 0)`, last: sql<number>`coalesce(max(${webMessages.id}), 0)` })
      .from(webMessages)
      .where(eq(webMessages.chatId, chatId));
    return `${row?.last ?? 0}.${row?.n ?? 0}.${row?.rev ?? 0}`;
  }
}
