// Ids of sent DingTalk messages: where a message lives is written into its id, so an update can reach
// the same conversation (or the same interactive card) again.
export type Conversation = { type: 'chat' | 'user'; id: string };

export function encodeMessageId(to: Conversation, processQueryKey: string): string {
  return `${to.type}:${encodeURIComponent(to.id)}:${processQueryKey}`;
}

export function decodeMessageId(messageId: string): Conversation | null {
  const m = /^(chat|user):([^:]+):/.exec(messageId);
  return m ? { type: m[1] as Conversation['type'], id: decodeURIComponent(m[2]!) } : null;
}

/** An interactive card in a group, updatable in place by its cardBizId. */
export function encodeCardId(chatId: string, cardBizId: string): string {
  return `card:${encodeURIComponent(chatId)}:${cardBizId}`;
}

export function decodeCardId(messageId: string): { chatId: string; cardBizId: string } | null {
  const m = /^card:([^:]+):(.+)$/.exec(messageId);
  return m ? { chatId: decodeURIComponent(m[1]!), cardBizId: m[2]! } : null;
}
