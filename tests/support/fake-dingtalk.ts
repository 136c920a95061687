// A local fake of the DingTalk OpenAPI (loopback HTTP, its real paths and envelopes): the access token,
// robot group and 1:1 messages, department users, its error answers; it records what it receives.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { DT_APP } from './dingtalk-wire.js';

export interface DtSent {
  via: 'group' | 'oto';
  /** openConversationId of a group, or the staff id of a 1:1 message (one record per user). */
  to: string;
  msgKey: string;
  msgParam: Record<string, string>;
  processQueryKey: string;
}

/** An interactive card (StandardCard) the robot sent to a group, as it stands after its updates. */
export interface DtCard {
  cardBizId: string;
  /** openConversationId of the group. */
  to: string;
  data: { header: { title: { text: string } }; contents: Array<Record<string, unknown>> };
  updates: number;
}

export interface DtCanned {
  status: number;
  body: unknown;
}

export interface FakeDingTalk {
  url: string;
  sent: DtSent[];
  /** Interactive cards, by send order (updated in place). */
  cards: DtCard[];
  tokenRequests: number;
  requests: Array<{ path: string; status: number }>;
  /** The next requests whose path contains `pathPart` get these answers, in order. */
  failNext(pathPart: string, ...responses: DtCanned[]): void;
  setDepartment(deptId: string, users: Array<{ userid: string; name: string }>, pageSize?: number): void;
  /** Tokens handed out so far stop being accepted (as after DingTalk rotated them). */
  revokeTokens(): void;
  /** Stream gateway: connections opened (POST connections/open with the right secret, then the socket). */
  stream: {
    opened: number;
    subscriptions: unknown[];
    /** Frames the client sent back (acks, ping answers), parsed. */
    received: Array<Record<string, unknown>>;
    connected(): boolean;
    /** Sends a raw frame to the connected client. */
    push(raw: string): void;
    /** Drops the connection as a network failure would. */
    drop(): void;
  };
  close(): Promise<void>;
}

/** DingTalk's answer when an app calls an API too often (new-style API, HTTP 403). */
export const QPS_LIMITED: DtCanned = {
  status: 403,
  body: { code: 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi', message: '触发限流', requestid: 'req-limit' },
};

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startFakeDingTalk(): Promise<FakeDingTalk> {
  const canned: Array<{ pathPart: string; response: DtCanned }> = [];
  const depts = new Map<string, { users: Array<{ userid: string; name: string }>; pageSize: number }>();
  const valid = new Set<string>();
  let tokens = 0;
  let queryKeys = 0;
  const tickets = new Set<string>();
  const sockets = new Set<WebSocket>();

  const fake: FakeDingTalk = {
    url: '',
    sent: [],
    cards: [],
    tokenRequests: 0,
    requests: [],
    failNext(pathPart, ...responses) {
      for (const response of responses) canned.push({ pathPart, response });
    },
    setDepartment(deptId, users, pageSize = 2) {
      depts.set(deptId, { users, pageSize });
    },
    revokeTokens() {
      valid.clear();
    },
    stream: {
      opened: 0,
      subscriptions: [],
      received: [],
      connected: () => sockets.size > 0,
      push(raw) {
        for (const s of sockets) s.send(raw);
      },
      drop() {
        for (const s of sockets) s.terminate();
      },
    },
    close: async () => {},
  };

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<number> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname;
    const raw = await readBody(req);
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    const i = canned.findIndex((c) => path.includes(c.pathPart));
    if (i >= 0) {
      const { response } = canned.splice(i, 1)[0]!;
      send(res, response.status, response.body);
      return response.status;
    }
    if (req.method === 'POST' && path === '/v1.0/oauth2/accessToken') {
      fake.tokenRequests += 1;
      if (body.appKey !== DT_APP.clientId || body.appSecret !== DT_APP.clientSecret) {
        send(res, 400, { code: 'invalidClientIdOrSecret', message: '无效的clientId或者clientSecret', requestid: 'r' });
        return 400;
      }
      const token = `fake-token-${++tokens}`;
      valid.add(token);
      send(res, 200, { accessToken: token, expireIn: 7200 });
      return 200;
    }
    if (req.method === 'POST' && path === '/v1.0/gateway/connections/open') {
      if (body.clientId !== DT_APP.clientId || body.clientSecret !== DT_APP.clientSecret) {
        send(res, 401, { code: 'InvalidAuthentication', message: 'clientId/clientSecret 无效' });
        return 401;
      }
      fake.stream.subscriptions = Array.isArray(body.subscriptions) ? body.subscriptions : [];
      const ticket = `ticket-${tickets.size + 1}`;
      tickets.add(ticket);
      send(res, 200, { endpoint: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/connect`, ticket });
      return 200;
    }
    if (path.startsWith('/topapi/')) {
      if (!valid.has(url.searchParams.get('access_token') ?? '')) {
        send(res, 200, { errcode: 40014, errmsg: '不合法的access_token' });
        return 200;
      }
      if (path === '/topapi/v2/user/list') {
        const dept = depts.get(String(body.dept_id));
        if (!dept) {
          send(res, 200, { errcode: 60003, errmsg: '部门不存在' });
          return 200;
        }
        const cursor = Number(body.cursor ?? 0);
        const size = Math.min(Number(body.size ?? 100), dept.pageSize);
        const list = dept.users.slice(cursor, cursor + size);
        const next = cursor + size;
        send(res, 200, {
          errcode: 0,
          errmsg: 'ok',
          result: { has_more: next < dept.users.length, ...(next < dept.users.length ? { next_cursor: next } : {}), list },
          request_id: 'r',
        });
        return 200;
      }
    }
    if (!valid.has(String(req.headers['x-acs-dingtalk-access-token'] ?? ''))) {
      send(res, 401, { code: 'InvalidAuthentication', message: '不合法的access_token', requestid: 'r' });
      return 401;
    }
    if (path === '/v1.0/im/v1.0/robot/interactiveCards/send' || path === '/v1.0/im/robots/interactiveCards') {
      const bad = (message: string) => {
        send(res, 400, { code: 'invalidParameter', message, requestid: 'r' });
        return 400;
      };
      if (typeof body.cardData !== 'string' || Buffer.byteLength(body.cardData) > 15_000) return bad('cardData无效');
      const data = JSON.parse(body.cardData) as DtCard['data'];
      if (!data.header?.title?.text || !Array.isArray(data.contents)) return bad('cardData无效');
      if (req.method === 'POST' && path.endsWith('/send')) {
        if (body.cardTemplateId !== 'StandardCard' || body.robotCode !== DT_APP.clientId) return bad('cardTemplateId或robotCode无效');
        if (typeof body.cardBizId !== 'string' || !body.cardBizId || fake.cards.some((c) => c.cardBizId === body.cardBizId)) return bad('cardBizId无效');
        if (typeof body.openConversationId !== 'string') return bad('openConversationId无效');
        fake.cards.push({ cardBizId: body.cardBizId, to: body.openConversationId, data, updates: 0 });
        send(res, 200, { processQueryKey: `pqk${++queryKeys}` });
        return 200;
      }
      if (req.method === 'PUT') {
        const card = fake.cards.find((c) => c.cardBizId === body.cardBizId);
        if (!card) return bad('卡片不存在');
        card.data = data;
        card.updates += 1;
        send(res, 200, { success: true, result: true });
        return 200;
      }
    }
    if (req.method === 'POST' && (path === '/v1.0/robot/groupMessages/send' || path === '/v1.0/robot/oToMessages/batchSend')) {
      if (body.robotCode !== DT_APP.clientId) {
        send(res, 400, { code: 'invalidParameter.robotCode', message: 'robotCode无效', requestid: 'r' });
        return 400;
      }
      if (typeof body.msgParam !== 'string' || Buffer.byteLength(body.msgParam) > 15_000) {
        send(res, 400, { code: 'invalidParameter.msgParam', message: 'msgParam无效', requestid: 'r' });
        return 400;
      }
      const msgParam = JSON.parse(body.msgParam) as Record<string, string>;
      const processQueryKey = `pqk${++queryKeys}`;
      if (path.endsWith('/groupMessages/send')) {
        fake.sent.push({ via: 'group', to: String(body.openConversationId), msgKey: String(body.msgKey), msgParam, processQueryKey });
        send(res, 200, { processQueryKey });
        return 200;
      }
      const userIds = Array.isArray(body.userIds) ? (body.userIds as string[]) : [];
      if (userIds.length === 0 || userIds.length > 20) {
        send(res, 400, { code: 'invalidParameter.userIds', message: 'userIds 1~20', requestid: 'r' });
        return 400;
      }
      for (const to of userIds) fake.sent.push({ via: 'oto', to, msgKey: String(body.msgKey), msgParam, processQueryKey });
      send(res, 200, { processQueryKey, invalidStaffIdList: [], flowControlledStaffIdList: [] });
      return 200;
    }
    send(res, 404, { code: 'NotFound', message: `fake has no route ${req.method} ${path}` });
    return 404;
  }

  const server = createServer((req, res) => {
    handle(req, res)
      .then((status) => fake.requests.push({ path: (req.url ?? '').split('?')[0]!, status }))
      .catch((err: unknown) => send(res, 500, { code: 'InternalError', message: String(err) }));
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const ticket = url.searchParams.get('ticket') ?? '';
    if (url.pathname !== '/connect' || !tickets.delete(ticket)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      fake.stream.opened += 1;
      sockets.add(ws);
      ws.on('message', (data) => fake.stream.received.push(JSON.parse(String(data)) as Record<string, unknown>));
      ws.on('close', () => sockets.delete(ws));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.terminate();
      wss.close();
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
}

/** The markdown text of a sent message (sampleText: its content). */
export function dtText(m: DtSent): string {
  return m.msgParam.text ?? m.msgParam.content ?? '';
}

/** An interactive card's text: its title and its markdown, as dtText gives a robot message's. */
export function dtCardText(card: DtCard): string {
  const body = card.data.contents.filter((c) => c.type === 'markdown').map((c) => String(c.text));
  return [`### ${card.data.header.title.text}`, ...body].join('\n\n');
}

/** The first button's URL of an action card, unwrapped from DingTalk's in-app link. */
export function dtButtonUrl(m: DtSent, index = 1): string | null {
  const raw = m.msgKey === 'sampleActionCard' ? m.msgParam.singleURL : m.msgParam[`actionURL${index}`];
  if (!raw) return null;
  const inner = /[?&]url=([^&]+)/.exec(raw);
  return inner ? decodeURIComponent(inner[1]!) : raw;
}
