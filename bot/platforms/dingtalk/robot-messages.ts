// Robot messages: to a group, and 1:1 to up to BATCH_USERS people in one call, each cut to fit
// DingTalk's msgParam limit.
import { PlatformApiError } from '../../errors.js';
import type { BatchOutcome } from '../../types.js';
import { encodeMessageId } from './message-id.js';
import type { DingTalkOpenApi, Json } from './openapi.js';
import type { DingTalkMessage } from './render.js';

/** msgParam is at most 15 000 bytes (DT-help); text beyond this is cut. */
export const MSG_PARAM_BYTES = 14_000;
/** 1:1 robot messages take at most 20 user ids per call (rows with one message are batched up to it). */
export const BATCH_USERS = 20;

/** Cuts a message's text so its msgParam stays within DingTalk's byte limit. */
export function fitParam(message: DingTalkMessage): DingTalkMessage {
  const field = message.msgKey === 'sampleText' ? 'content' : 'text';
  const param = { ...message.msgParam };
  const size = () => new TextEncoder().encode(JSON.stringify(param)).length;
  if (size() <= MSG_PARAM_BYTES) return message;
  const note = '\n\n……（内容过长，已截断）';
  let text = param[field] ?? '';
  while (text.length > 0 && size() > MSG_PARAM_BYTES) {
    text = text.slice(0, Math.floor(text.length * 0.9));
    param[field] = text + note;
  }
  return { msgKey: message.msgKey, msgParam: param };
}

function wire(robotCode: string, message: DingTalkMessage): Json {
  return { robotCode, msgKey: message.msgKey, msgParam: JSON.stringify(message.msgParam) };
}

/** One message to a group; returns its id. */
export async function sendToGroup(api: DingTalkOpenApi, robotCode: string, chatId: string, message: DingTalkMessage): Promise<string> {
  const body = await api.call('robot.groupMessages.send', chatId, '/v1.0/robot/groupMessages/send', {
    ...wire(robotCode, message),
    openConversationId: chatId,
  });
  return encodeMessageId({ type: 'chat', id: chatId }, String(body.processQueryKey ?? ''));
}

/**
 * One 1:1 call to up to 20 people. DingTalk answers with one processQueryKey and lists the people it
 * refused (invalid ids) or held back (flow control): those fail alone, the latter to be retried.
 */
export async function sendToUsers(api: DingTalkOpenApi, robotCode: string, userIds: string[], message: DingTalkMessage): Promise<BatchOutcome[]> {
  // Paced by the app's rate only: one call, many recipients.
  const body = await api.call('robot.oToMessages.batchSend', userIds.length === 1 ? userIds[0]! : null, '/v1.0/robot/oToMessages/batchSend', {
    ...wire(robotCode, message),
    userIds,
  });
  const listed = (key: string) => new Set(Array.isArray(body[key]) ? (body[key] as unknown[]).map(String) : []);
  const held = listed('flowControlledStaffIdList');
  const invalid = listed('invalidStaffIdList');
  const processQueryKey = String(body.processQueryKey ?? '');
  return userIds.map((id) =>
    held.has(id)
      ? { error: new PlatformApiError('robot.oToMessages.batchSend: recipient flow-controlled', { retryable: true }) }
      : invalid.has(id)
        ? { error: new PlatformApiError('robot.oToMessages.batchSend: invalid staff id', { retryable: false }) }
        : { messageId: encodeMessageId({ type: 'user', id }, processQueryKey) },
  );
}
