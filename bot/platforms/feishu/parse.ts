// Feishu wire payloads (already decrypted) -> a challenge, or a neutral IncomingEvent.
import { BadRequestError } from '../../errors.js';
import type { CardActionEvent, ChatType, IncomingEvent, Mention } from '../../types.js';
import { parseCommandText } from '../../command-text.js';

export type FeishuInbound =
  | { type: 'challenge'; challenge: string }
  | { type: 'event'; eventType: string; event: IncomingEvent | null }
  | { type: 'ignored'; reason: string };

type Json = Record<string, unknown>;

/** How Feishu writes a mention inside message text. */
export const FEISHU_MENTION = /^@_(?:user_\d+|all)$/;

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function requireStr(obj: Json, key: string, where: string): string {
  const v = obj[key];
  if (typeof v !== 'string' || v === '') throw new BadRequestError(`${where}.${key} is missing`);
  return v;
}

/** The verification token sits at the top for challenges and v1, in `header` for schema 2.0. */
export function tokenOf(body: Json): unknown {
  return body.schema === '2.0' && isObject(body.header) ? body.header.token : body.token;
}

export function parseFeishu(body: Json): FeishuInbound {
  if (body.type === 'url_verification') {
    if (typeof body.challenge !== 'string') throw new BadRequestError('challenge is missing');
    return { type: 'challenge', challenge: body.challenge };
  }
  if (body.schema !== '2.0') {
    return { type: 'ignored', reason: 'only schema 2.0 events are handled' };
  }
  const header = body.header;
  if (!isObject(header)) throw new BadRequestError('header is missing');
  const event = body.event;
  if (!isObject(event)) throw new BadRequestError('event is missing');
  const eventType = str(header.event_type);
  const base = { eventId: requireStr(header, 'event_id', 'header'), tenantKey: str(header.tenant_key) };
  switch (eventType) {
    case 'im.message.receive_v1':
      return { type: 'event', eventType, event: parseMessage(base, event) };
    case 'card.action.trigger':
      return { type: 'event', eventType, event: parseCardAction(base, event) };
    default:
      return { type: 'event', eventType, event: null };
  }
}

function parseMessage(base: { eventId: string; tenantKey: string }, event: Json): IncomingEvent | null {
  const sender = isObject(event.sender) ? event.sender : {};
  const message = event.message;
  if (!isObject(message)) throw new BadRequestError('event.message is missing');
  if (sender.sender_type && sender.sender_type !== 'user') return null;
  const senderId = isObject(sender.sender_id) ? sender.sender_id : {};
  const userId = requireStr(senderId, 'open_id', 'event.sender.sender_id');
  const chatType: ChatType = message.chat_type === 'p2p' ? 'p2p' : 'group';
  const common = {
    ...base,
    platform: 'feishu' as const,
    tenantKey: base.tenantKey || str(sender.tenant_key),
    chatId: requireStr(message, 'chat_id', 'event.message'),
    chatType,
    userId,
    messageId: requireStr(message, 'message_id', 'event.message'),
  };
  const text = message.message_type === 'text' ? textOf(message.content) : '';
  const mentions = new Map<string, Mention>();
  for (const m of Array.isArray(message.mentions) ? message.mentions : []) {
    if (!isObject(m) || typeof m.key !== 'string') continue;
    const id = isObject(m.id) ? m.id : {};
    mentions.set(m.key, { userId: str(id.open_id), name: str(m.name) });
  }
  const command = parseCommandText(text, FEISHU_MENTION, (token) => mentions.get(token) ?? null);
  if (command) return { ...common, kind: 'command', ...command };
  return { ...common, kind: 'message', text: stripPlaceholders(text, mentions) };
}

function textOf(content: unknown): string {
  if (typeof content !== 'string') return '';
  try {
    const parsed: unknown = JSON.parse(content);
    return isObject(parsed) ? str(parsed.text) : '';
  } catch {
    throw new BadRequestError('event.message.content is not JSON');
  }
}

function stripPlaceholders(text: string, mentions: Map<string, Mention>): string {
  return text.replace(/@_(?:user_\d+|all)/g, (key) => (mentions.has(key) ? '' : key)).trim();
}

/** Keys a client-sent object may not set on ours (they would reach the prototype chain). */
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function scalar(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return null;
}

/** Card values come back from the client: only own, safe keys with text or number values are kept. */
function safeArgs(value: Json): Record<string, string> {
  const args: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [k, v] of Object.entries(value)) {
    const s = scalar(v);
    if (k !== 'a' && k !== 'v' && !UNSAFE_KEYS.has(k) && s !== null) args[k] = s;
  }
  return args;
}

/** The date picker answers "2026-09-30 +0800": the core reads dates as YYYY-MM-DD. */
const PICKED_DATE = /^(\d{4}-\d{2}-\d{2}) [+-]\d{4}$/;

/**
 * Form fields as the core reads them: one trimmed string per field (a select's list gives its first
 * value, a picked date its day). Anything else is dropped, never stringified.
 */
function safeForm(form: unknown): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  if (!isObject(form)) return out;
  for (const [k, v] of Object.entries(form)) {
    if (UNSAFE_KEYS.has(k)) continue;
    const s = scalar(Array.isArray(v) ? v[0] : v);
    if (s === null) continue;
    const t = s.trim();
    out[k] = PICKED_DATE.exec(t)?.[1] ?? t;
  }
  return out;
}

function actionVersion(v: unknown): number {
  if (typeof v === 'number') return Number.isSafeInteger(v) && v > 0 ? v : 0;
  if (typeof v === 'string' && /^\d{1,6}$/.test(v)) return Number(v);
  return 0;
}

function parseCardAction(base: { eventId: string; tenantKey: string }, event: Json): CardActionEvent {
  const operator = isObject(event.operator) ? event.operator : {};
  const action = isObject(event.action) ? event.action : {};
  const context = isObject(event.context) ? event.context : {};
  const value = isObject(action.value) ? action.value : {};
  return {
    ...base,
    platform: 'feishu',
    tenantKey: base.tenantKey || str(operator.tenant_key),
    kind: 'cardAction',
    chatId: str(context.open_chat_id) || str(event.open_chat_id),
    userId: requireStr(operator, 'open_id', 'event.operator'),
    messageId: str(context.open_message_id) || str(event.open_message_id),
    action: { id: str(value.a), v: actionVersion(value.v), args: safeArgs(value) },
    formValue: safeForm(action.form_value),
    lateHandle: str(event.token) || null,
  };
}
