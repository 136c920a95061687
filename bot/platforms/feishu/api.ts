// Outbound Feishu calls through the official SDK Client: send, reply, update, chat members.
import { Client, LoggerLevel } from '@larksuiteoapi/node-sdk';
import { createHash } from 'node:crypto';
import { PlatformApiError } from '../../errors.js';
import { RateGate } from '../../rate-gate.js';
import { defaultRetryPolicy, withRetry, type RetryPolicy } from '../../retry.js';
import type { Attachment, ChatMemberInfo, MessageContent, PlatformApi, Recipient, ReplyTarget } from '../../types.js';
import type { CardModel } from '../../../cards/model.js';
import { renderFeishuCard } from './render.js';
import { FeishuHttpError, sdkHttpInstance } from './http.js';
import type { HttpTransport } from '../../http-transport.js';

/** Codes that mean "slow down" (frequency control, per-chat and message-service limits). */
const RATE_LIMIT_CODES = new Set([99991400, 230020, 11232]);

export interface FeishuApiOptions {
  appId: string;
  appSecret: string;
  domain: string;
  retry?: Partial<RetryPolicy>;
  /** Shared pacing of every call; defaults to Feishu's 50/s per app and 5/s per chat or user. */
  gate?: RateGate;
  /** How calls go out (default fetch; the Node runtime passes node:http). */
  http?: HttpTransport;
}

export const FEISHU_APP_RATE = 50;
export const FEISHU_RECIPIENT_RATE = 5;

interface FeishuBody {
  code?: number;
  msg?: string;
  data?: Record<string, unknown>;
}

export function toPlatformError(err: unknown, op: string): PlatformApiError {
  if (err instanceof PlatformApiError) return err;
  if (err instanceof FeishuHttpError) {
    const body = (typeof err.body === 'object' && err.body !== null ? err.body : {}) as FeishuBody;
    const code = typeof body.code === 'number' ? body.code : undefined;
    const limited = err.status === 429 || (code !== undefined && RATE_LIMIT_CODES.has(code));
    const reset = Number(err.headers['x-ogw-ratelimit-reset']);
    return new PlatformApiError(`${op}: HTTP ${err.status}${code !== undefined ? ` code ${code}` : ''} ${body.msg ?? ''}`.trim(), {
      status: err.status,
      code,
      retryable: limited || err.status >= 500,
      retryAfterMs: limited && Number.isFinite(reset) && reset >= 0 ? reset * 1000 : undefined,
    });
  }
  const name = err instanceof Error ? err.name : '';
  const network = err instanceof TypeError || name === 'AbortError' || name === 'TimeoutError';
  return new PlatformApiError(`${op}: ${err instanceof Error ? err.message : String(err)}`, { retryable: network });
}

function checkBody(res: unknown, op: string): FeishuBody {
  const body = (res ?? {}) as FeishuBody;
  if (body.code !== undefined && body.code !== 0) {
    throw new PlatformApiError(`${op}: code ${body.code} ${body.msg ?? ''}`.trim(), {
      code: body.code,
      retryable: RATE_LIMIT_CODES.has(body.code),
    });
  }
  return body;
}

/** Feishu's `uuid` is at most 50 characters: a hash of our idempotency key fits and stays stable. */
export function sendUuid(idempotencyKey: string): string {
  return createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 40);
}

/** The SDK's cache interface types keys as `string | Symbol` (the wrapper type). */
// biome-ignore lint/complexity/noBannedTypes: matches the SDK's Cache signature
type SdkKey = string | Symbol;

/** Token cache per client: the SDK's default cache is shared by every Client in the process. */
function instanceCache() {
  const values = new Map<string, { value: unknown; expiresAt?: number }>();
  const keyOf = (key: SdkKey, namespace?: string) => `${namespace ?? ''}/${key.toString()}`;
  return {
    async get(key: SdkKey, options?: { namespace?: string }) {
      const hit = values.get(keyOf(key, options?.namespace));
      return hit && (!hit.expiresAt || hit.expiresAt > Date.now()) ? hit.value : undefined;
    },
    async set(key: SdkKey, value: unknown, expiresAt?: number, options?: { namespace?: string }) {
      values.set(keyOf(key, options?.namespace), { value, expiresAt });
      return true;
    },
  };
}

function wire(content: MessageContent): { msg_type: string; content: string } {
  return content.kind === 'text'
    ? { msg_type: 'text', content: JSON.stringify({ text: content.text }) }
    : { msg_type: 'interactive', content: JSON.stringify(renderFeishuCard(content.card)) };
}

export class FeishuApi implements PlatformApi {
  readonly platform = 'feishu' as const;
  readonly membersRefusedHint = '无法读取本群成员列表：请确认机器人仍在本群中，且应用已开通读取群成员的权限（im:chat:readonly）。';
  private readonly client: Client;
  private readonly retry: RetryPolicy;
  private readonly gate: RateGate;

  constructor(opts: FeishuApiOptions) {
    this.client = new Client({
      appId: opts.appId,
      appSecret: opts.appSecret,
      domain: opts.domain,
      httpInstance: sdkHttpInstance(opts.http),
      cache: instanceCache(),
      loggerLevel: LoggerLevel.error,
      // The SDK logs raw request data on errors; we log our own summary once instead.
      logger: { error: () => {}, warn: () => {}, info: () => {}, debug: () => {}, trace: () => {} },
    });
    this.retry = { ...defaultRetryPolicy, ...opts.retry };
    this.gate = opts.gate ?? new RateGate({ perSecond: FEISHU_APP_RATE, perRecipientPerSecond: FEISHU_RECIPIENT_RATE, sleep: this.retry.sleep });
  }

  /**
   * One paced, retried call. A rate-limit answer pauses the shared gate for the time Feishu asked,
   * so every concurrent sender waits, not just this one.
   */
  private async call<T>(op: string, recipient: string | null, fn: () => Promise<unknown>, pick: (body: FeishuBody) => T): Promise<T> {
    return withRetry(async () => {
      await this.gate.acquire(recipient);
      try {
        return pick(checkBody(await fn(), op));
      } catch (err) {
        const failure = toPlatformError(err, op);
        if (failure.details.retryAfterMs !== undefined) {
          this.gate.pause(failure.details.retryAfterMs);
          throw new PlatformApiError(failure.message, { ...failure.details, retryAfterMs: 0 });
        }
        throw failure;
      }
    }, this.retry);
  }

  send(to: Recipient, content: MessageContent, idempotencyKey: string): Promise<{ messageId: string }> {
    return this.createMessage(to, wire(content), idempotencyKey);
  }

  /** im.message.create with the send's idempotency uuid (a card, a text or a file message). */
  private createMessage(to: Recipient, body: { msg_type: string; content: string }, idempotencyKey: string): Promise<{ messageId: string }> {
    return this.call(
      'im.message.create',
      to.id,
      () =>
        this.client.im.message.create({
          params: { receive_id_type: to.type === 'chat' ? 'chat_id' : 'open_id' },
          data: { receive_id: to.id, ...body, uuid: sendUuid(idempotencyKey) },
        }),
      (b) => ({ messageId: String(b.data?.message_id ?? '') }),
    );
  }

  /** Uploads the file (im/v1/files, multipart), then sends it as a file message by its file_key. */
  async sendFile(to: Recipient, file: Attachment, idempotencyKey: string): Promise<{ messageId: string }> {
    const fileType = /\.xlsx?$/i.test(file.fileName) ? 'xls' : /\.pdf$/i.test(file.fileName) ? 'pdf' : 'stream';
    const fileKey = await this.call(
      'im.file.create',
      null,
      () =>
        this.client.request({
          method: 'POST',
          url: '/open-apis/im/v1/files',
          headers: { 'Content-Type': 'multipart/form-data' },
          data: { file_type: fileType, file_name: file.fileName, file: file.bytes },
        }),
      (b) => String(b.data?.file_key ?? ''),
    );
    if (!fileKey) throw new PlatformApiError('im.file.create: no file_key in the answer', { retryable: false });
    return this.createMessage(to, { msg_type: 'file', content: JSON.stringify({ file_key: fileKey }) }, idempotencyKey);
  }

  reply({ messageId }: ReplyTarget, content: MessageContent, idempotencyKey: string): Promise<{ messageId: string }> {
    return this.call(
      'im.message.reply',
      `reply:${messageId}`,
      () =>
        this.client.im.message.reply({
          path: { message_id: messageId },
          data: { ...wire(content), uuid: sendUuid(idempotencyKey) },
        }),
      (b) => ({ messageId: String(b.data?.message_id ?? '') }),
    );
  }

  async updateCard(messageId: string, card: CardModel): Promise<void> {
    await this.call(
      'im.message.patch',
      messageId,
      () =>
        this.client.im.message.patch({
          path: { message_id: messageId },
          data: { content: JSON.stringify(renderFeishuCard(card)) },
        }),
      () => undefined,
    );
  }

  /** im.message.urgentApp: the message rings in the user's Feishu client (应用内加急). */
  async urgent(messageId: string, userId: string): Promise<void> {
    await this.call(
      'im.message.urgentApp',
      userId,
      () =>
        this.client.im.message.urgentApp({
          path: { message_id: messageId },
          params: { user_id_type: 'open_id' },
          data: { user_id_list: [userId] },
        }),
      () => undefined,
    );
  }

  async updateLate(token: string, card: CardModel): Promise<void> {
    await this.call(
      'interactive.card.update',
      null,
      () =>
        this.client.request({
          method: 'POST',
          url: '/open-apis/interactive/v1/card/update',
          data: { token, card: renderFeishuCard(card) },
        }),
      () => undefined,
    );
  }

  async listChatMembers(chatId: string): Promise<ChatMemberInfo[]> {
    const members: ChatMemberInfo[] = [];
    let pageToken: string | undefined;
    // Bots are left out of pages, so a page may be short: follow has_more, not the item count.
    for (let page = 0; page < 1000; page++) {
      const body = await this.call(
        'im.chatMembers.get',
        null,
        () =>
          this.client.im.chatMembers.get({
            path: { chat_id: chatId },
            params: { member_id_type: 'open_id', page_size: 100, ...(pageToken ? { page_token: pageToken } : {}) },
          }),
        (b) => b.data ?? {},
      );
      for (const item of (body.items as Array<Record<string, unknown>> | undefined) ?? []) {
        if (typeof item.member_id !== 'string') continue;
        members.push({ userId: item.member_id, name: String(item.name ?? ''), tenantKey: String(item.tenant_key ?? '') });
      }
      pageToken = typeof body.page_token === 'string' ? body.page_token : undefined;
      if (!body.has_more || !pageToken) break;
    }
    return members;
  }
}
