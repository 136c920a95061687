// Builds DingTalk robot callbacks the way DingTalk does (body fields per its "receive message" doc,
// `timestamp` + `sign` headers). Written from the documentation, independently of bot/platforms/dingtalk.
import { createHmac, randomBytes } from 'node:crypto';

export const DT_APP = {
  clientId: 'dingtestappkey',
  clientSecret: 'test-dingtalk-app-secret',
  corpId: 'dingcorp0001',
  robotUserId: '$:LWCP_v1:$robot==',
};

export function signDingTalk(timestamp: string, secret: string): string {
  return createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
}

let counter = 0;
export function newMsgId(): string {
  counter += 1;
  return `msg${Date.now().toString(36)}${counter}${randomBytes(3).toString('hex')}`;
}

export interface DtMessageSpec {
  text: string;
  from: string;
  name?: string;
  /** A group's openConversationId; absent: a 1:1 conversation. */
  group?: string;
  /** People @-mentioned besides the robot (their "@名字" is in `text`). */
  at?: Array<{ staffId: string; name: string }>;
  msgId?: string;
}

/** A robot message callback; in a group DingTalk has removed the robot's own @ (leaving a leading space). */
export function dtMessage(spec: DtMessageSpec) {
  const group = spec.group !== undefined;
  return {
    msgtype: 'text',
    text: { content: group ? ` ${spec.text}` : spec.text },
    msgId: spec.msgId ?? newMsgId(),
    createAt: Date.now(),
    conversationType: group ? '2' : '1',
    conversationId: spec.group ?? `cid1to1${spec.from}==`,
    ...(group ? { conversationTitle: '支部群' } : {}),
    senderId: `$:LWCP_v1:$${spec.from}`,
    senderNick: spec.name ?? spec.from,
    senderCorpId: DT_APP.corpId,
    senderStaffId: spec.from,
    chatbotUserId: DT_APP.robotUserId,
    chatbotCorpId: DT_APP.corpId,
    robotCode: DT_APP.clientId,
    isAdmin: false,
    isInAtList: true,
    atUsers: [{ dingtalkId: DT_APP.robotUserId }, ...(spec.at ?? []).map((p) => ({ dingtalkId: `$:LWCP_v1:$${p.staffId}`, staffId: p.staffId }))],
    sessionWebhook: 'https://oapi.dingtalk.com/robot/sendBySession?session=fake',
    sessionWebhookExpiredTime: Date.now() + 90 * 60_000,
  };
}

export function dtHeaders(timestampMs: number, secret = DT_APP.clientSecret): Record<string, string> {
  const timestamp = String(timestampMs);
  return { 'content-type': 'application/json; charset=utf-8', timestamp, sign: signDingTalk(timestamp, secret) };
}
