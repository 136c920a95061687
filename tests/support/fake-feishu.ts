// A local fake of the Feishu Open API (loopback HTTP, real paths and JSON shapes) that records what it receives.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TEST_APP } from './feishu-wire.js';

export interface SentMessage {
  messageId: string;
  via: 'create' | 'reply';
  receiveIdType: string | null;
  receiveId: string | null;
  replyTo: string | null;
  msgType: string;
  content: unknown;
  uuid: string | null;
  at: number;
}

/** A file uploaded to POST /open-apis/im/v1/files (multipart: file_type, file_name, file). */
export interface UploadedFile {
  fileKey: string;
  fileType: string;
  fileName: string;
  bytes: Buffer;
}

export interface CannedResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface ChatMember {
  openId: string;
  name: string;
  tenantKey?: string;
}

export interface RateLimit {
  /** Requests per second for the whole app (message sends only). */
  appPerSecond: number;
  /** Requests per second to one recipient (chat or user). */
  perRecipientPerSecond: number;
  /** Seconds to put in x-ogw-ratelimit-reset. */
  resetSeconds: number;
}

export interface FakeFeishu {
  url: string;
  sent: SentMessage[];
  patches: Array<{ messageId: string; content: unknown }>;
  /** PATCH im/v1/messages/:id/urgent_app (应用内加急): the message and the users rung. */
  urgents: Array<{ messageId: string; userIdType: string | null; userIds: string[] }>;
  uploads: UploadedFile[];
  cardUpdates: Array<{ token: string; card: unknown }>;
  tokenRequests: number;
  /** Every request answered, with the wall-clock ms it arrived at. */
  requests: Array<{ method: string; path: string; status: number; at: number }>;
  limited: number;
  /** Sends that repeated a uuid already accepted (Feishu answers them without sending again). */
  repeatedUuids: number;
  /** Every Open API answer waits this long (a slow or distant Feishu). */
  setLatency(ms: number): void;
  setChatMembers(chatId: string, members: ChatMember[], pageSize?: number): void;
  /** The next requests whose path matches get these answers, in order. */
  failNext(pathPart: string, ...responses: CannedResponse[]): void;
  /** Every send to this chat or user gets this answer until cleared with null. */
  failRecipient(receiveId: string, response: CannedResponse | null): void;
  setRateLimit(limit: RateLimit | null): void;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function startFakeFeishu(): Promise<FakeFeishu> {
  const token = 't-fake-tenant-token';
  const canned: Array<{ pathPart: string; response: CannedResponse }> = [];
  const chats = new Map<string, { members: ChatMember[]; pageSize: number }>();
  const byUuid = new Map<string, string>();
  let rateLimit: RateLimit | null = null;
  const failingRecipients = new Map<string, CannedResponse>();
  const windows = new Map<string, { second: number; count: number }>();
  let nextId = 1;
  let latencyMs = 0;

  const fake: Omit<FakeFeishu, 'url' | 'close'> & { url: string; close(): Promise<void> } = {
    url: '',
    sent: [],
    patches: [],
    urgents: [],
    uploads: [],
    cardUpdates: [],
    tokenRequests: 0,
    requests: [],
    limited: 0,
    repeatedUuids: 0,
    setLatency(ms) {
      latencyMs = ms;
    },
    setChatMembers(chatId, members, pageSize = 2) {
      chats.set(chatId, { members, pageSize });
    },
    failNext(pathPart, ...responses) {
      for (const response of responses) canned.push({ pathPart, response });
    },
    failRecipient(receiveId, response) {
      if (response) failingRecipients.set(receiveId, response);
      else failingRecipients.delete(receiveId);
    },
    setRateLimit(limit) {
      rateLimit = limit;
      windows.clear();
    },
    close: async () => {},
  };

  function overLimit(key: string, perSecond: number): boolean {
    const second = Math.floor(Date.now() / 1000);
    const w = windows.get(key);
    if (!w || w.second !== second) {
      windows.set(key, { second, count: 1 });
      return false;
    }
    w.count += 1;
    return w.count > perSecond;
  }

  function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<number> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname;
    const bytes = await readBody(req);
    if (latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs));
    const type = req.headers['content-type'] ?? '';
    const multipart = type.startsWith('multipart/form-data');
    const raw = multipart ? '' : bytes.toString('utf8');
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};

    const cannedIndex = canned.findIndex((c) => path.includes(c.pathPart));
    if (cannedIndex >= 0) {
      const { response } = canned.splice(cannedIndex, 1)[0]!;
      send(res, response.status, response.body, response.headers);
      return response.status;
    }

    if (req.method === 'POST' && path === '/open-apis/auth/v3/tenant_access_token/internal') {
      fake.tokenRequests += 1;
      if (body.app_id !== TEST_APP.appId || body.app_secret !== TEST_APP.appSecret) {
        send(res, 200, { code: 10014, msg: 'app secret invalid' });
        return 200;
      }
      send(res, 200, { code: 0, msg: 'ok', tenant_access_token: token, expire: 7200 });
      return 200;
    }

    if (req.headers.authorization !== `Bearer ${token}`) {
      send(res, 401, { code: 99991663, msg: 'Invalid access token for authorization.' });
      return 401;
    }

    if (req.method === 'POST' && path === '/open-apis/im/v1/files') {
      // Feishu's upload: multipart with file_type, file_name and the file part; answers a file_key.
      const form = multipart ? await new Response(new Uint8Array(bytes), { headers: { 'content-type': type } }).formData() : null;
      const file = form?.get('file');
      const fileType = String(form?.get('file_type') ?? '');
      const fileName = String(form?.get('file_name') ?? '');
      if (!form || !(file instanceof Blob) || file.size === 0 || !['opus', 'mp4', 'pdf', 'doc', 'xls', 'ppt', 'stream'].includes(fileType) || !fileName) {
        send(res, 400, { code: 234001, msg: 'Invalid request param.' });
        return 400;
      }
      const fileKey = `file_v3_fake_${nextId++}`;
      fake.uploads.push({ fileKey, fileType, fileName, bytes: Buffer.from(await file.arrayBuffer()) });
      send(res, 200, { code: 0, msg: 'success', data: { file_key: fileKey } });
      return 200;
    }

    const isSend = req.method === 'POST' && (path === '/open-apis/im/v1/messages' || /\/reply$/.test(path));
    if (isSend && rateLimit) {
      const recipient = String(body.receive_id ?? path);
      if (overLimit('app', rateLimit.appPerSecond) || overLimit(`to:${recipient}`, rateLimit.perRecipientPerSecond)) {
        fake.limited += 1;
        send(
          res,
          429,
          { code: 99991400, msg: 'request trigger frequency limit' },
          { 'x-ogw-ratelimit-limit': String(rateLimit.appPerSecond), 'x-ogw-ratelimit-reset': String(rateLimit.resetSeconds) },
        );
        return 429;
      }
    }

    const failing = isSend && typeof body.receive_id === 'string' ? failingRecipients.get(body.receive_id) : undefined;
    if (failing) {
      send(res, failing.status, failing.body, failing.headers);
      return failing.status;
    }

    if (isSend && body.msg_type === 'file') {
      const key = (JSON.parse(String(body.content)) as { file_key?: unknown }).file_key;
      if (!fake.uploads.some((u) => u.fileKey === key)) {
        send(res, 400, { code: 230001, msg: 'file_key not found' });
        return 400;
      }
    }

    if (isSend) {
      const uuid = typeof body.uuid === 'string' ? body.uuid : null;
      if (uuid && byUuid.has(uuid)) {
        fake.repeatedUuids += 1;
        send(res, 200, { code: 0, msg: 'success', data: { message_id: byUuid.get(uuid) } });
        return 200;
      }
      const messageId = `om_fake_${nextId++}`;
      if (uuid) byUuid.set(uuid, messageId);
      const replyMatch = /^\/open-apis\/im\/v1\/messages\/([^/]+)\/reply$/.exec(path);
      fake.sent.push({
        messageId,
        via: replyMatch ? 'reply' : 'create',
        receiveIdType: url.searchParams.get('receive_id_type'),
        receiveId: typeof body.receive_id === 'string' ? body.receive_id : null,
        replyTo: replyMatch ? decodeURIComponent(replyMatch[1]!) : null,
        msgType: String(body.msg_type),
        content: JSON.parse(String(body.content)),
        uuid,
        at: Date.now(),
      });
      send(res, 200, { code: 0, msg: 'success', data: { message_id: messageId } });
      return 200;
    }

    const urgent = /^\/open-apis\/im\/v1\/messages\/([^/]+)\/urgent_app$/.exec(path);
    if (req.method === 'PATCH' && urgent) {
      const messageId = decodeURIComponent(urgent[1]!);
      const ids = body.user_id_list;
      if (!fake.sent.some((m) => m.messageId === messageId) || !Array.isArray(ids) || ids.length === 0) {
        send(res, 400, { code: 230001, msg: 'invalid message or user_id_list' });
        return 400;
      }
      fake.urgents.push({ messageId, userIdType: url.searchParams.get('user_id_type'), userIds: ids.map(String) });
      send(res, 200, { code: 0, msg: 'success', data: { invalid_user_id_list: [] } });
      return 200;
    }

    const patch = /^\/open-apis\/im\/v1\/messages\/([^/]+)$/.exec(path);
    if (req.method === 'PATCH' && patch) {
      fake.patches.push({ messageId: decodeURIComponent(patch[1]!), content: JSON.parse(String(body.content)) });
      send(res, 200, { code: 0, msg: 'success', data: {} });
      return 200;
    }

    if (req.method === 'POST' && path === '/open-apis/interactive/v1/card/update') {
      fake.cardUpdates.push({ token: String(body.token), card: body.card });
      send(res, 200, { code: 0, msg: 'success' });
      return 200;
    }

    const members = /^\/open-apis\/im\/v1\/chats\/([^/]+)\/members$/.exec(path);
    if (req.method === 'GET' && members) {
      const chat = chats.get(decodeURIComponent(members[1]!));
      if (!chat) {
        send(res, 400, { code: 232011, msg: 'operator not in chat' });
        return 400;
      }
      const start = Number(url.searchParams.get('page_token') ?? '0');
      const page = chat.members.slice(start, start + chat.pageSize);
      const next = start + chat.pageSize;
      send(res, 200, {
        code: 0,
        msg: 'success',
        data: {
          items: page.map((m) => ({
            member_id_type: 'open_id',
            member_id: m.openId,
            name: m.name,
            tenant_key: m.tenantKey ?? TEST_APP.tenantKey,
          })),
          page_token: next < chat.members.length ? String(next) : '',
          has_more: next < chat.members.length,
          member_total: chat.members.length,
        },
      });
      return 200;
    }

    send(res, 404, { code: 404, msg: `fake has no route ${req.method} ${path}` });
    return 404;
  }

  const server = createServer((req, res) => {
    const at = Date.now();
    handle(req, res)
      .then((status) => fake.requests.push({ method: req.method ?? '', path: (req.url ?? '').split('?')[0]!, status, at }))
      .catch((err: unknown) => send(res, 500, { code: 500, msg: String(err) }));
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
}
