// The "which campaign?" buttons: the command the person typed, run again for the campaign they chose.
// It runs as whoever presses, with their own rights, so a forged button can do no more than typing.
import { COMMAND_AGAIN } from '../cards/campaign-choice-card.js';
import type { CardActionEvent, CommandEvent, Mention } from './types.js';

export const isCommandAgain = (e: CardActionEvent): boolean => e.action.id === COMMAND_AGAIN.id && e.action.v === COMMAND_AGAIN.v;

/** The command a button asks for, or null when its values are not one. */
export function commandAgain(e: CardActionEvent): CommandEvent | null {
  const { c, t, m, g } = e.action.args;
  if (!c || !/^\d{1,9}$/.test(c) || !t?.trim()) return null;
  let mentions: Mention[] = [];
  try {
    const parsed: unknown = JSON.parse(m ?? '[]');
    if (!Array.isArray(parsed)) return null;
    mentions = parsed.flatMap((x) => (Array.isArray(x) && typeof x[0] === 'string' && typeof x[1] === 'string' ? [{ userId: x[0], name: x[1] }] : []));
  } catch {
    return null;
  }
  const [name, ...args] = t.trim().split(/\s+/);
  return {
    kind: 'command',
    eventId: e.eventId,
    platform: e.platform,
    tenantKey: e.tenantKey,
    chatId: e.chatId,
    chatType: g === '1' ? 'group' : 'p2p',
    userId: e.userId,
    // No chat message to answer: the answer replaces the card that asked.
    messageId: '',
    name: name!.toLowerCase(),
    args,
    mentions,
    campaign: c,
  };
}
