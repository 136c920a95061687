// DingTalk as a PlatformApi: robot messages to a group or to people 1:1 (batched when they would all see
// the same message), interactive cards updated in place, department users for /同步. The calls themselves
// (token, pacing, retries, errors) are in openapi.ts.
import { and, eq } from 'drizzle-orm';
import { PlatformApiError } from '../../errors.js';
import { acceptedMessageId, recordAccepted } from '../../outbox.js';
import type { RateGate } from '../../rate-gate.js';
import type { RetryPolicy } from '../../retry.js';
import type { BatchOutcome, BatchRecipient, BatchSend, ChatMemberInfo, MessageContent, PlatformApi, Recipient, ReplyTarget } from '../../types.js';
import type { CardModel } from '../../../cards/model.js';
import type { Db } from '../../../db/client.js';
import { members } from '../../../db/schema.js';
import { listDepartmentUsers } from './department-users.js';
import { sendInteractiveCard, updateInteractiveCard } from './interactive-cards.js';
import { type Conversation, decodeCardId, decodeMessageId } from './message-id.js';
import { DingTalkOpenApi } from './openapi.js';
import { directSenderOf } from './parse.js';
import { renderDingTalk, renderText, type DingTalkMessage } from './render.js';
import { BATCH_USERS, fitParam, sendToGroup, sendToUsers } from './robot-messages.js';
import type { HttpTransport } from '../../http-transport.js';

export { decodeMessageId, encodeCardId, encodeMessageId } from './message-id.js';
export { DINGTALK_APP_RATE, DINGTALK_RECIPIENT_RATE } from './openapi.js';
export { BATCH_USERS, MSG_PARAM_BYTES } from './robot-messages.js';

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
  http?: HttpTransport;
  now?: () => number;
}

export class DingTalkApi implements PlatformApi {
  readonly platform = 'dingtalk' as const;
  readonly membersRefusedHint =
    '无法读取成员名单：钉钉不向机器人提供普通群的成员列表，/同步 读取本群对应部门的成员。请确认已配置 DINGTALK_CHAT_DEPTS（或 DINGTALK_DEPT_ID）、该部门存在，且应用已开通通讯录成员信息的读权限。';
  private readonly api: DingTalkOpenApi;

  constructor(private readonly opts: DingTalkApiOptions) {
    this.api = new DingTalkOpenApi(opts);
  }

  /** The app's access token, fetched once per lifetime (concurrent callers share one request). */
  accessToken(): Promise<string> {
    return this.api.accessToken();
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
    if (to.type === 'chat' && content.kind === 'card' && content.card.updatable) return sendInteractiveCard(this.api, this.opts.robotCode, to.id, content.card);
    const message = await this.render(to, content);
    if (to.type === 'chat') return sendToGroup(this.api, this.opts.robotCode, to.id, message);
    const [outcome] = await sendToUsers(this.api, this.opts.robotCode, [to.id], message);
    if (!outcome || 'error' in outcome)
      throw outcome?.error ?? new PlatformApiError('robot.oToMessages.batchSend: no answer for the recipient', { retryable: true });
    return outcome.messageId;
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
    const sent = await sendToUsers(
      this.api,
      this.opts.robotCode,
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

  /**
   * An interactive card is updated in place; a robot message cannot be edited, so its updated card is
   * sent again to the same conversation.
   */
  async updateCard(messageId: string, card: CardModel): Promise<void> {
    const sent = decodeCardId(messageId);
    if (sent) return updateInteractiveCard(this.api, sent, card);
    const to = decodeMessageId(messageId);
    if (!to) throw new PlatformApiError(`updateCard: not a DingTalk message id`, { retryable: false });
    await this.deliver(to, { kind: 'card', card });
  }

  /** Events from DingTalk carry no late handle; a handle is a message id (see updateCard). */
  updateLate(handle: string, card: CardModel): Promise<void> {
    return this.updateCard(handle, card);
  }

  /** The roster of a group: its department's users (DINGTALK_CHAT_DEPTS), else DINGTALK_DEPT_ID's. */
  listChatMembers(chatId: string): Promise<ChatMemberInfo[]> {
    const deptId = this.opts.chatDepts?.get(chatId) ?? this.opts.deptId;
    if (!deptId)
      return Promise.reject(new PlatformApiError('listChatMembers: neither DINGTALK_CHAT_DEPTS nor DINGTALK_DEPT_ID names a department', { retryable: false }));
    return listDepartmentUsers(this.api, deptId, this.opts.corpId);
  }
}
