// Builds Feishu wire payloads the way Feishu does: schema 2.0 JSON, AES-256-CBC, SHA-256 signature.
// Written from the platform's documentation, independently of bot/platforms/feishu.
import { createCipheriv, createHash, randomBytes } from 'node:crypto';

export const TEST_APP = {
  appId: 'cli_test_app',
  appSecret: 'test-app-secret',
  verificationToken: 'vtoken-test',
  encryptKey: 'test encrypt key',
  tenantKey: 'tenant_test',
};

export function encryptFeishu(plaintext: string, encryptKey: string, iv: Buffer = randomBytes(16)): string {
  const key = createHash('sha256').update(encryptKey).digest();
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  return Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final()]).toString('base64');
}

export function signFeishu(timestamp: string, nonce: string, encryptKey: string, body: string): string {
  return createHash('sha256')
    .update(timestamp + nonce + encryptKey + body)
    .digest('hex');
}

export interface WireOptions {
  encryptKey?: string | null;
  timestamp?: string;
  nonce?: string;
  /** Send without signature headers (challenges are unsigned). */
  unsigned?: boolean;
}

export interface WireRequest {
  body: string;
  headers: Record<string, string>;
}

/** Encrypts (when a key is given) and signs a payload exactly as Feishu's push would. */
export function wire(payload: unknown, opts: WireOptions = {}): WireRequest {
  const key = opts.encryptKey === undefined ? TEST_APP.encryptKey : opts.encryptKey;
  const plain = JSON.stringify(payload);
  const body = key ? JSON.stringify({ encrypt: encryptFeishu(plain, key) }) : plain;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (key && !opts.unsigned) {
    const timestamp = opts.timestamp ?? String(Math.floor(Date.now() / 1000));
    const nonce = opts.nonce ?? randomBytes(8).toString('hex');
    headers['x-lark-request-timestamp'] = timestamp;
    headers['x-lark-request-nonce'] = nonce;
    headers['x-lark-signature'] = signFeishu(timestamp, nonce, key, body);
  }
  return { body, headers };
}

let counter = 0;
export function newEventId(): string {
  counter += 1;
  return `ev_${Date.now().toString(36)}_${counter}_${randomBytes(4).toString('hex')}`;
}

export function challenge(token = TEST_APP.verificationToken, value = 'challenge-abc') {
  return { challenge: value, token, type: 'url_verification' };
}

function header(eventType: string, eventId: string, token: string) {
  return {
    event_id: eventId,
    event_type: eventType,
    create_time: String(Date.now()),
    token,
    app_id: TEST_APP.appId,
    tenant_key: TEST_APP.tenantKey,
  };
}

export interface MessageSpec {
  text: string;
  from: string;
  chatId?: string;
  chatType?: 'p2p' | 'group';
  /** People mentioned, in order; in a group the first is usually the bot. */
  mentions?: Array<{ openId: string; name: string }>;
  eventId?: string;
  messageId?: string;
  token?: string;
}

/** An im.message.receive_v1 event; `text` may hold @_user_N placeholders for `mentions`. */
export function messageEvent(spec: MessageSpec) {
  const eventId = spec.eventId ?? newEventId();
  return {
    schema: '2.0',
    header: header('im.message.receive_v1', eventId, spec.token ?? TEST_APP.verificationToken),
    event: {
      sender: {
        sender_id: { open_id: spec.from, union_id: `on_${spec.from}`, user_id: '' },
        sender_type: 'user',
        tenant_key: TEST_APP.tenantKey,
      },
      message: {
        message_id: spec.messageId ?? `om_${eventId}`,
        root_id: '',
        parent_id: '',
        create_time: String(Date.now()),
        chat_id: spec.chatId ?? `oc_p2p_${spec.from}`,
        chat_type: spec.chatType ?? 'p2p',
        message_type: 'text',
        content: JSON.stringify({ text: spec.text }),
        mentions: (spec.mentions ?? []).map((m, i) => ({
          key: `@_user_${i + 1}`,
          id: { open_id: m.openId, union_id: `on_${m.openId}`, user_id: '' },
          name: m.name,
          tenant_key: TEST_APP.tenantKey,
        })),
      },
    },
  };
}

export const BOT = { openId: 'ou_bot', name: '党建助手' };

/** A group message "@bot <text>"; extra mentions become @_user_2, @_user_3 ... */
export function groupCommand(from: string, chatId: string, text: string, others: Array<{ openId: string; name: string }> = []) {
  return messageEvent({ from, chatId, chatType: 'group', text: `@_user_1 ${text}`, mentions: [BOT, ...others] });
}

export interface CardActionSpec {
  from: string;
  value: Record<string, unknown>;
  chatId?: string;
  messageId?: string;
  formValue?: Record<string, unknown>;
  eventId?: string;
  token?: string;
}

export function cardActionEvent(spec: CardActionSpec) {
  const eventId = spec.eventId ?? newEventId();
  return {
    schema: '2.0',
    header: header('card.action.trigger', eventId, spec.token ?? TEST_APP.verificationToken),
    event: {
      operator: { tenant_key: TEST_APP.tenantKey, open_id: spec.from, union_id: `on_${spec.from}`, user_id: '' },
      token: `c-${eventId}`,
      action: {
        tag: 'button',
        name: 'btn_0',
        value: spec.value,
        ...(spec.formValue ? { form_value: spec.formValue } : {}),
        timezone: 'Asia/Shanghai',
      },
      host: 'im_message',
      context: { open_message_id: spec.messageId ?? 'om_card', open_chat_id: spec.chatId ?? 'oc_group' },
    },
  };
}
