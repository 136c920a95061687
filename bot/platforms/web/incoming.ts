// What a person does on a web page -> the neutral events dispatch routes: a typed line becomes a
// command or message, a posted card form a card action. Mentions are "@名字" of the chat's people.
import { parseCommandText } from '../../command-text.js';
import type { CardActionEvent, IncomingEvent, Mention } from '../../types.js';

export const WEB_MENTION = /^@\S+$/;

export function typedEvent(e: {
  eventId: string;
  tenantKey: string;
  chatId: string;
  userId: string;
  messageId: string;
  direct: boolean;
  text: string;
  people: Mention[];
}): IncomingEvent {
  const base = {
    eventId: e.eventId,
    platform: 'web' as const,
    tenantKey: e.tenantKey,
    chatId: e.chatId,
    userId: e.userId,
    messageId: e.messageId,
    chatType: e.direct ? ('p2p' as const) : ('group' as const),
  };
  const command = parseCommandText(e.text, WEB_MENTION, (token) => (token.startsWith('@') ? (e.people.find((p) => p.name === token.slice(1)) ?? null) : null));
  if (command) return { ...base, kind: 'command', ...command };
  return { ...base, kind: 'message', text: e.text.trim() };
}

export function cardActionEvent(e: Omit<CardActionEvent, 'kind'>): CardActionEvent {
  return { ...e, kind: 'cardAction' };
}
