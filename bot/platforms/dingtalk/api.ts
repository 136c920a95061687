// Outbound DingTalk calls over its OpenAPI: an access token cached with a margin, robot messages to a
// group or to people 1:1, department users for /同步. Errors get a stable shape and `isRetryable`.
import { and, eq } from 'drizzle-orm';
import { PlatformApiError } from '../../errors.js';
import { acceptedMessageId, recordAccepted } from '../../outbox.js';
import { RateGate } from '../../rate-gate.js';
import { defaultRetryPolicy, withRetry, type RetryPolicy } from '../../retry.js';
import type { BatchOutcome, BatchRecipient, BatchSend, ChatMemberInfo, MessageContent, PlatformApi, Recipient, ReplyTarget } from '../../types.js';
import type { CardModel } from '../../../cards/model.js';
import type { Db } from '../../../db/client.js';
import { members } from '../../../db/schema.js';
import { directSenderOf } from './parse.js';
import { renderDingTalk, renderStandardCard, renderText, type DingTalkMessage } from './render.js';

/** Legacy error codes that mean "slow down" or "busy" (DT-help call-frequency-limit): retried after backoff. */
const LEGACY_LIMIT_CODES = new Set([-1, 90002, 90006, 90018, 90019]);
/** Legacy codes of a bad or expired token: fetched anew and retried. */
const LEGACY_TOKEN_CODES = new Set([40001, 40014, 42001]);
/** New-API error codes of throttling (HTTP 429/403 with these names). */
const LIMIT_CODE = /throttl|qpslimit|flowcontrol|ratelimit|limitexceed/i;
/** Refetch the token this long before DingTalk says it expires (its lifetime is 7200 s). */
const TOKEN_MARGIN_MS = 5 * 60_000;
/** msgParam is at most 15 000 bytes (DT-help); text beyond this is cut. */
export const MSG_PARAM_BYTES = 14_000;
/** 1:1 robot messages take at most 20 user ids per call (rows with one message are batched up to it). */
export const BATCH_USERS = 20;

export const DINGTALK_APP_RATE = 20;
export const DINGTALK_RECIPIENT_RATE = 5;

export interface DingTalkApiOptions {
  clientId: string;
  clientSecret: string;
  robotCode: string;
  apiBase: string;
  oapiBase: string;
  deptId: string | null;
  /** Per group department (DINGTALK_CHAT_DEPTS), before deptId. */
  chatDepts?: ReadonlyMap<string, string>;
  /** The corp id of people without a roster row (DINGTALK_CORP_ID, else the one learned from callbacks). */
  corpId: () => string | null;
  /** Signed personal page of a person for a command, or null without WEB_LINK_SECRET/PUBLIC_URL. */
  personalLink: ((who: { tenantKey: string; userId: string }, purpose: string) => string) | null;
  /** Where "accepted" is recorded for outbox rows (null: no record, e.g. unit tests of the client). */
  db: Db | null;
  retry?: Partial<RetryPolicy>;
  gate?: RateGate;
  fetch?: typeof fetch;
  now?: () => number;
}

type Json = Record<string, unknown>;

/** Where a sent message lives, written into its id so an update can reach the same conversation again. */
type Conversation = { type: 'chat' | 'user'; id: string };

export function encodeMessageId(to: Conversation, processQueryKey: string): string {
  return `${to.type}:${encodeURIComponent(to.id)}:${processQueryKey}`;
}

/** An interactive card in a group, updatable in place by its cardBizId. */
export function encodeCardId(chatId: string, cardBizId: string): string {
  return `card:${encodeURIComponent(chatId)}:${cardBizId}`;
}

function decodeCardId(messageId: string): { chatId: string; cardBizId: string } | null {
  const m = /^card:([^:]+):(.+)$/.exec(messageId);
  return m ? { chatId: decodeURIComponent(m[1]!), cardBizId: m[2]! } : null;
}

export function decodeMessageId(messageId: string): Conversation | null {
  const m = /^(chat|user):([^:]+):/.exec(messageId);
  return m ? { type: m[1] as Conversation['type'], id: decodeURIComponent(m[2]!) } : null;
}

function classify(op: string, status: number, body: Json): PlatformApiError {
  const code = typeof body.code === 'string' ? body.code : '';
  const errcode = typeof body.errcode === 'number' ? body.errcode : undefined;
  const message = typeof body.message === 'string' ? body.message : typeof body.errmsg === 'string' ? body.errmsg : '';
  const limited = status === 429 || LIMIT_CODE.test(code) || (errcode !== undefined && LEGACY_LIMIT_CODES.has(errcode));
  const tokenBad = status === 401 || code === 'InvalidAuthentication' || (errcode !== undefined && LEGACY_TOKEN_CODES.has(errcode));
  return new PlatformApiError(`${op}: HTTP ${status}${code ? ` ${code}` : ''}${errcode !== undefined ? ` errcode ${errcode}` : ''} ${message}`.trim(), {
    status,
    code: errcode,
    retryable: limited || tokenBad || status >= 500,
  });
}

/** Cuts a message's text so its msgParam stays within DingTalk's byte limit. */
function fitParam(message: DingTalkMessage): DingTalkMessage {
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

export class DingTalkApi implements PlatformApi {
  readonly platform = 'dingtalk' as const;
  readonly membersRefusedHint =
    '无法读取成员名单：钉钉不向机器人提供普通群的成员列表，/同步 读取本群对应部门的成员。请确认已配置 DINGTALK_CHAT_DEPTS（或 DINGTALK_DEPT_ID）、该部门存在，且应用已开通通讯录成员信息的读权限。';
  private readonly retry: RetryPolicy;
  private readonly gate: RateGate;
  private readonly fetch: typeof fetch;
  private readonly now: () => number;
  private token: { value: string; until: number } | null = null;
  private tokenFetch: Promise<string> | null = null;

  constructor(private readonly opts: DingTalkApiOptions) {
    this.retry = { ...defaultRetryPolicy, ...opts.retry };
    this.gate = opts.gate ?? new RateGate({ perSecond: DINGTALK_APP_RATE, perRecipientPerSecond: DINGTALK_RECIPIENT_RATE, sleep: this.retry.sleep });
    this.fetch = opts.fetch ?? fetch;
    this.now = opts.now ?? Date.now;
  }

  private async json(op: string, url: string, init: RequestInit): Promise<Json> {
    let res: Response;
    let text: string;
    try {
      res = await this.fetch(url, { ...init, signal: AbortSignal.timeout(15_000) });
      text = await res.text();
    } catch (err) {
      // Network failures and timeouts (also while reading the answer): the request may or may not have arrived.
      throw new PlatformApiError(`${op}: ${err instanceof Error ? err.message : String(err)}`, { retryable: true });
    }
    let body: Json = {};
    try {
      const parsed: unknown = text ? JSON.parse(text) : {};
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) body = parsed as Json;
    } catch {
      // A gateway's HTML error page: classified by its status.
    }
    const failed = !res.ok || (typeof body.errcode === 'number' && body.errcode !== 0);
    if (failed) {
      const error = classify(op, res.status, body);
      if (res.status === 401 || body.code === 'InvalidAuthentication' || LEGACY_TOKEN_CODES.has(Number(body.errcode))) this.token = null;
      throw error;
    }
    return body;
  }

  /** The app's access token, fetched once per lifetime (concurrent callers share one request). */
  async accessToken(): Promise<string> {
    if (this.token && this.token.until > this.now()) return this.token.value;
    this.tokenFetch ??= (async () => {
      try {
        const body = await this.json('oauth2.accessToken', `${this.opts.apiBase}/v1.0/oauth2/accessToken`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ appKey: this.opts.clientId, appSecret: this.opts.clientSecret }),
        });
        if (typeof body.accessToken !== 'string') throw new PlatformApiError('oauth2.accessToken: no accessToken in the answer', { retryable: false });
        const lifetimeMs = (typeof body.expireIn === 'number' ? body.expireIn : 7200) * 1000;
        this.token = { value: body.accessToken, until: this.now() + Math.max(0, lifetimeMs - TOKEN_MARGIN_MS) };
        return body.accessToken;
      } finally {
        this.tokenFetch = null;
      }
    })();
    return this.tokenFetch;
  }

  /** One paced, retried call to the new API (token in x-acs-dingtalk-access-token). */
  private call(op: string, recipient: string | null, path: string, payload: Json, method: 'POST' | 'PUT' = 'POST'): Promise<Json> {
    return withRetry(async () => {
      await this.gate.acquire(recipient);
      const token = await this.accessToken();
      return this.json(op, `${this.opts.apiBase}${path}`, {
        method,
        headers: { 'content-type': 'application/json', 'x-acs-dingtalk-access-token': token },
        body: JSON.stringify(payload),
      });
    }, this.retry);
  }

  private async render(to: Conversation, content: MessageContent): Promise<DingTalkMessage> {
    if (content.kind === 'text') return fitParam(renderText(content.text));
    const link = to.type === 'user' ? await this.linkFor(to.id) : null;
    return fitParam(renderDingTalk(content.card, { personalLink: link, direct: to.type === 'user' }));
  }

  /** A person's signed page maker: their roster row's corp id, else the organisation's. */
  private async linkFor(userId: string): Promise<((purpose: string) => string) | null> {
    const make = this.opts.personalLink;
    if (!make) return null;
    let tenantKey: string | null = null;
    if (this.opts.db) {
      const [row] = await this.opts.db
        .select({ tenantKey: members.tenantKey })
        .from(members)
        .where(and(eq(members.platform, 'dingtalk'), eq(members.userId, userId)))
        .limit(1);
      tenantKey = row?.tenantKey ?? null;
    }
    tenantKey ??= this.opts.corpId();
    if (tenantKey === null) return null;
    const who = { tenantKey, userId };
    return (purpose) => make(who, purpose);
  }

  /** Sends one message; returns its id (conversation + DingTalk's processQueryKey, or the card's id). */
  private async deliver(to: Conversation, content: MessageContent): Promise<string> {
    if (to.type === 'chat' && content.kind === 'card' && content.card.updatable) return this.sendCard(to.id, content.card);
    const message = await this.render(to, content);
    if (to.type === 'chat') {
      const body = await this.call('robot.groupMessages.send', to.id, '/v1.0/robot/groupMessages/send', {
        ...this.wire(message),
        openConversationId: to.id,
      });
      return encodeMessageId(to, String(body.processQueryKey ?? ''));
    }
    const [outcome] = await this.oto([to.id], message);
    if (!outcome || 'error' in outcome)
      throw outcome?.error ?? new PlatformApiError('robot.oToMessages.batchSend: no answer for the recipient', { retryable: true });
    return outcome.messageId;
  }

  private wire(message: DingTalkMessage): Json {
    return { robotCode: this.opts.robotCode, msgKey: message.msgKey, msgParam: JSON.stringify(message.msgParam) };
  }

  /**
   * One 1:1 call to up to 20 people. DingTalk answers with one processQueryKey and lists the people it
   * refused (invalid ids) or held back (flow control): those fail alone, the latter to be retried.
   */
  private async oto(userIds: string[], message: DingTalkMessage): Promise<BatchOutcome[]> {
    // Paced by the app's rate only: one call, many recipients.
    const body = await this.call('robot.oToMessages.batchSend', userIds.length === 1 ? userIds[0]! : null, '/v1.0/robot/oToMessages/batchSend', {
      ...this.wire(message),
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

  /**
   * Outbox rows to several people go as one call when DingTalk would show each of them the same
   * message: text, or a card without a personal page link (a signed link names one person).
   */
  readonly batch: BatchSend = {
    max: BATCH_USERS,
    key: (_userId, content) => {
      if (content.kind === 'text') return JSON.stringify(fitParam(renderText(content.text)));
      let personal = false;
      const probe = () => {
        personal = true;
        return '';
      };
      const message = fitParam(renderDingTalk(content.card, { personalLink: this.opts.personalLink ? probe : null, direct: true }));
      return personal ? null : JSON.stringify(message);
    },
    send: (to, content) => this.sendBatch(to, content),
  };

  /**
   * The rows' message to all of them in one call. As for one row: a row already recorded as accepted
   * (a retry after a crash) is not sent again, and "accepted" is recorded on every row the moment
   * DingTalk answers.
   */
  private async sendBatch(to: BatchRecipient[], content: MessageContent): Promise<BatchOutcome[]> {
    const db = this.opts.db;
    const outcomes: Array<BatchOutcome | null> = await Promise.all(
      to.map(async (r) => {
        const earlier = db ? await acceptedMessageId(db, r.key) : null;
        return earlier ? { messageId: earlier } : null;
      }),
    );
    const open = to.filter((_, i) => outcomes[i] === null);
    if (open.length === 0) return outcomes as BatchOutcome[];
    const message = await this.render({ type: 'user', id: open[0]!.userId }, content);
    const sent = await this.oto(
      open.map((r) => r.userId),
      message,
    );
    if (db) {
      await Promise.all(
        open.map((r, i) => (sent[i] && 'messageId' in sent[i] ? recordAccepted(db, r.key, sent[i].messageId).catch(() => undefined) : undefined)),
      );
    }
    let j = 0;
    return outcomes.map((o) => o ?? sent[j++]!);
  }

  /**
   * DingTalk takes no idempotency key: an outbox row the platform already accepted (recorded on the
   * row the moment it answered) is not sent again when a retry finds it.
   */
  private async sendOnce(to: Conversation, content: MessageContent, key: string): Promise<{ messageId: string }> {
    const db = this.opts.db;
    const earlier = db ? await acceptedMessageId(db, key) : null;
    if (earlier) return { messageId: earlier };
    const messageId = await this.deliver(to, content);
    // Sent: a failure to record it must not turn into a retry (that would send it again).
    if (db) await recordAccepted(db, key, messageId).catch(() => undefined);
    return { messageId };
  }

  send(to: Recipient, content: MessageContent, idempotencyKey: string): Promise<{ messageId: string }> {
    return this.sendOnce(to, content, idempotencyKey);
  }

  /** No "reply" on DingTalk: a new message to the same conversation (a direct one is written to by user id). */
  reply(target: ReplyTarget, content: MessageContent, idempotencyKey: string): Promise<{ messageId: string }> {
    const user = directSenderOf(target.messageId);
    return this.sendOnce(user ? { type: 'user', id: user } : { type: 'chat', id: target.chatId }, content, idempotencyKey);
  }

  /** A group card is shown as everyone in the group sees it: no personal link, command hints. */
  private standardCardData(card: CardModel): string {
    const data = JSON.stringify(renderStandardCard(card, { personalLink: null, direct: false }));
    if (new TextEncoder().encode(data).length > MSG_PARAM_BYTES) {
      throw new PlatformApiError(`interactiveCards: the card「${card.title}」is too large for DingTalk`, { retryable: false });
    }
    return data;
  }

  /**
   * A card that is updated later (the pledge wall) goes to the group as the robot's interactive card
   * with the built-in StandardCard template (no template in the card console), under our cardBizId.
   */
  private async sendCard(chatId: string, card: CardModel): Promise<string> {
    const cardBizId = crypto.randomUUID().replaceAll('-', '');
    await this.call('robot.interactiveCards.send', chatId, '/v1.0/im/v1.0/robot/interactiveCards/send', {
      cardTemplateId: 'StandardCard',
      robotCode: this.opts.robotCode,
      cardBizId,
      openConversationId: chatId,
      cardData: this.standardCardData(card),
      sendOptions: {},
    });
    return encodeCardId(chatId, cardBizId);
  }

  /**
   * An interactive card is updated in place (PUT by its cardBizId); a robot message cannot be edited,
   * so its updated card is sent again to the same conversation.
   */
  async updateCard(messageId: string, card: CardModel): Promise<void> {
    const sent = decodeCardId(messageId);
    if (sent) {
      await this.call(
        'robots.interactiveCards.update',
        sent.chatId,
        '/v1.0/im/robots/interactiveCards',
        { cardBizId: sent.cardBizId, cardData: this.standardCardData(card) },
        'PUT',
      );
      return;
    }
    const to = decodeMessageId(messageId);
    if (!to) throw new PlatformApiError(`updateCard: not a DingTalk message id`, { retryable: false });
    await this.deliver(to, { kind: 'card', card });
  }

  /** Events from DingTalk carry no late handle; a handle is a message id (see updateCard). */
  updateLate(handle: string, card: CardModel): Promise<void> {
    return this.updateCard(handle, card);
  }

  /**
   * DingTalk has no member list for an ordinary group a robot is in (only for scene groups), so the
   * roster comes from a department's users: the group's own (DINGTALK_CHAT_DEPTS), else DINGTALK_DEPT_ID,
   * paged with a cursor.
   */
  async listChatMembers(chatId: string): Promise<ChatMemberInfo[]> {
    const deptId = this.opts.chatDepts?.get(chatId) ?? this.opts.deptId;
    if (!deptId) throw new PlatformApiError('listChatMembers: neither DINGTALK_CHAT_DEPTS nor DINGTALK_DEPT_ID names a department', { retryable: false });
    const out: ChatMemberInfo[] = [];
    let cursor = 0;
    for (let page = 0; page < 1000; page++) {
      const body = await withRetry(async () => {
        await this.gate.acquire(null);
        const token = await this.accessToken();
        return this.json('topapi.v2.user.list', `${this.opts.oapiBase}/topapi/v2/user/list?access_token=${encodeURIComponent(token)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ dept_id: Number(deptId), cursor, size: 100, contain_access_limit: false, language: 'zh_CN' }),
        });
      }, this.retry);
      const result = (typeof body.result === 'object' && body.result !== null ? body.result : {}) as Json;
      for (const u of Array.isArray(result.list) ? result.list : []) {
        if (typeof u !== 'object' || u === null) continue;
        const user = u as Json;
        if (typeof user.userid !== 'string') continue;
        out.push({ userId: user.userid, name: String(user.name ?? ''), tenantKey: this.opts.corpId() ?? '' });
      }
      if (!result.has_more || typeof result.next_cursor !== 'number') break;
      cursor = result.next_cursor;
    }
    return out;
  }
}
