// A card that is updated later (the pledge wall) goes to the group as the robot's interactive card with
// the built-in StandardCard template (no template in the card console), under our cardBizId.
import { PlatformApiError } from '../../errors.js';
import type { CardModel } from '../../../cards/model.js';
import { encodeCardId } from './message-id.js';
import type { DingTalkOpenApi } from './openapi.js';
import { renderStandardCard } from './render.js';
import { MSG_PARAM_BYTES } from './robot-messages.js';

/** A group card is shown as everyone in the group sees it: no personal link, command hints. */
function standardCardData(card: CardModel): string {
  const data = JSON.stringify(renderStandardCard(card, { personalLink: null, direct: false }));
  if (new TextEncoder().encode(data).length > MSG_PARAM_BYTES) {
    throw new PlatformApiError(`interactiveCards: the card「${card.title}」is too large for DingTalk`, { retryable: false });
  }
  return data;
}

/** Sends the card to the group; returns its id (see encodeCardId). */
export async function sendInteractiveCard(api: DingTalkOpenApi, robotCode: string, chatId: string, card: CardModel): Promise<string> {
  const cardBizId = crypto.randomUUID().replaceAll('-', '');
  await api.call('robot.interactiveCards.send', chatId, '/v1.0/im/v1.0/robot/interactiveCards/send', {
    cardTemplateId: 'StandardCard',
    robotCode,
    cardBizId,
    openConversationId: chatId,
    cardData: standardCardData(card),
    sendOptions: {},
  });
  return encodeCardId(chatId, cardBizId);
}

/** Updates a sent interactive card in place (PUT by its cardBizId). */
export async function updateInteractiveCard(api: DingTalkOpenApi, sent: { chatId: string; cardBizId: string }, card: CardModel): Promise<void> {
  await api.call(
    'robots.interactiveCards.update',
    sent.chatId,
    '/v1.0/im/robots/interactiveCards',
    { cardBizId: sent.cardBizId, cardData: standardCardData(card) },
    'PUT',
  );
}
