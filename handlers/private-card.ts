// Personal cards (forms, ballots, results) belong in the direct chat: in a group a card, or a card
// returned to a callback, would be shared with everyone.
import type { CardModel } from '../cards/model.js';
import type { Reply } from '../bot/types.js';
import type { HandlerContext } from '../bot/registry.js';

function inGroup(ctx: HandlerContext): boolean {
  const e = ctx.event;
  // Card callbacks do not say the chat type; a chat bound to a branch is a group.
  return e.kind === 'cardAction' ? ctx.actor.chatBranch !== null : e.chatType === 'group';
}

/** Answers with the card in a direct chat; from a group, sends it privately and says so. */
export function replyPrivately(ctx: HandlerContext, card: CardModel, what: string, verb: '填写' | '查看' = '填写'): Reply {
  if (!inGroup(ctx)) return { card };
  ctx.send({ type: 'user', id: ctx.actor.userId }, { kind: 'card', card }, `private:${ctx.event.eventId}`);
  const text = `已私信发送${what}，请在与我的单聊中${verb}。`;
  return ctx.event.kind === 'cardAction' ? { toast: { type: 'success', text } } : { text };
}
