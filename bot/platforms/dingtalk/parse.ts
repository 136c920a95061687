// DingTalk robot message payloads (HTTP callback body or a Stream frame's data) -> a neutral IncomingEvent.
// One parser for both transports: the webhook and the Stream client hand it the same JSON object.
import { BadRequestError } from '../../errors.js';
import type { ChatType, IncomingEvent, Mention } from '../../types.js';
import { parseCommandText } from '../../command-text.js';

type Json = Record<string, unknown>;

/** How a mention reads in DingTalk text: "@张三" (the robot's own mention is removed by DingTalk). */
export const DINGTALK_MENTION = /^@\S+$/;

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function requireStr(obj: Json, key: string): string {
  const v = obj[key];
  if (typeof v !== 'string' || v === '') throw new BadRequestError(`${key} is missing`);
  return v;
}

/**
 * The message id of a DingTalk event as the core stores it. DingTalk has no "reply to message" API:
 * a reply is a new message to the conversation, and a 1:1 conversation is written to by user id, so
 * the id of a direct message carries its sender: "p2p:<staffId>:<msgId>".
 */
export function messageIdOf(chatType: ChatType, staffId: string, msgId: string): string {
  return chatType === 'p2p' ? `p2p:${encodeURIComponent(staffId)}:${msgId}` : msgId;
}

/** The user a reply to this message goes to, when it was a direct message. */
export function directSenderOf(messageId: string): string | null {
  const m = /^p2p:([^:]+):/.exec(messageId);
  return m ? decodeURIComponent(m[1]!) : null;
}

/** Text of a text or richText message; other kinds (pictures, files) carry none. */
function textOf(body: Json): string {
  if (body.msgtype === 'text') {
    const text = body.text;
    if (text !== undefined && !isObject(text)) throw new BadRequestError('text is not an object');
    return str(text?.content);
  }
  if (body.msgtype === 'richText' && isObject(body.content) && Array.isArray(body.content.richText)) {
    return body.content.richText.map((part: unknown) => (isObject(part) ? str(part.text) : '')).join('');
  }
  return '';
}

/**
 * The people @-mentioned besides the robot, in order. DingTalk lists them in `atUsers` (staff ids,
 * no names) and writes "@名字" in the text: the n-th "@word" of the text is taken as the n-th of them.
 */
function mentionResolver(body: Json): (token: string) => Mention | null {
  const robot = str(body.chatbotUserId);
  const people = (Array.isArray(body.atUsers) ? body.atUsers : [])
    .filter((u): u is Json => isObject(u) && typeof u.staffId === 'string' && u.staffId !== '' && u.dingtalkId !== robot)
    .map((u) => u.staffId as string);
  let next = 0;
  return (token) => {
    if (!token.startsWith('@') || next >= people.length) return null;
    return { userId: people[next++]!, name: token.slice(1) };
  };
}

/** A robot message -> a command or message event; null for what the bot does not answer (no staff id: a visitor). */
export function parseDingTalk(body: Json): IncomingEvent | null {
  const msgId = requireStr(body, 'msgId');
  const conversationType = body.conversationType;
  if (conversationType !== '1' && conversationType !== '2') throw new BadRequestError('conversationType must be "1" or "2"');
  const chatId = requireStr(body, 'conversationId');
  const userId = str(body.senderStaffId);
  // Someone outside the organisation (no staff id) cannot be on a roster.
  if (!userId) return null;
  const chatType: ChatType = conversationType === '1' ? 'p2p' : 'group';
  const common = {
    eventId: msgId,
    platform: 'dingtalk' as const,
    tenantKey: str(body.chatbotCorpId) || str(body.senderCorpId),
    chatId,
    chatType,
    userId,
    messageId: messageIdOf(chatType, userId, msgId),
  };
  const text = textOf(body).trim();
  const command = parseCommandText(text, DINGTALK_MENTION, mentionResolver(body));
  if (command) return { ...common, kind: 'command', ...command };
  return { ...common, kind: 'message', text };
}
