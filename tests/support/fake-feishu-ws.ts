// A local fake of Feishu's long-connection gateway: POST /callback/ws/endpoint, then a WebSocket on
// loopback speaking the SDK's protobuf frames (pbbp2.Frame), encoded here by hand from its schema.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface Frame {
  SeqID: number;
  LogID: number;
  service: number;
  method: number;
  headers: Array<{ key: string; value: string }>;
  payload?: Uint8Array;
}

function varint(n: number): number[] {
  const out: number[] = [];
  let v = n;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

function bytesField(id: number, bytes: Uint8Array): number[] {
  return [...varint((id << 3) | 2), ...varint(bytes.length), ...bytes];
}

const utf8 = (s: string) => new TextEncoder().encode(s);

export function encodeFrame(f: Frame): Uint8Array {
  const out: number[] = [8, ...varint(f.SeqID), 16, ...varint(f.LogID), 24, ...varint(f.service), 32, ...varint(f.method)];
  for (const h of f.headers) out.push(...bytesField(5, new Uint8Array([...bytesField(1, utf8(h.key)), ...bytesField(2, utf8(h.value))])));
  if (f.payload) out.push(...bytesField(8, f.payload));
  return new Uint8Array(out);
}

function readFields(buf: Uint8Array): Array<{ id: number; value: number | Uint8Array }> {
  const fields: Array<{ id: number; value: number | Uint8Array }> = [];
  let i = 0;
  const readVarint = () => {
    let result = 0;
    let shift = 1;
    for (;;) {
      const b = buf[i++]!;
      result += (b & 0x7f) * shift;
      if (b < 0x80) return result;
      shift *= 128;
    }
  };
  while (i < buf.length) {
    const tag = readVarint();
    const id = tag >>> 3;
    if ((tag & 7) === 0) fields.push({ id, value: readVarint() });
    else {
      const len = readVarint();
      fields.push({ id, value: buf.slice(i, i + len) });
      i += len;
    }
  }
  return fields;
}

export function decodeFrame(buf: Uint8Array): Frame {
  const f: Frame = { SeqID: 0, LogID: 0, service: 0, method: 0, headers: [] };
  const text = (v: number | Uint8Array) => new TextDecoder().decode(v as Uint8Array);
  for (const { id, value } of readFields(buf)) {
    if (id === 3) f.service = value as number;
    if (id === 4) f.method = value as number;
    if (id === 5) {
      const h = readFields(value as Uint8Array);
      f.headers.push({ key: text(h.find((x) => x.id === 1)!.value), value: text(h.find((x) => x.id === 2)!.value) });
    }
    if (id === 8) f.payload = value as Uint8Array;
  }
  return f;
}

export const header = (f: Frame, key: string) => f.headers.find((h) => h.key === key)?.value;

export interface FakeFeishuWs {
  url: string;
  opened: number;
  /** Frames the client sent (pings and event responses), decoded. */
  received: Frame[];
  connected(): boolean;
  /** Pushes an event (its JSON) as one data frame; returns its message id. */
  pushEvent(event: unknown): string;
  drop(): void;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

export async function startFakeFeishuWs(app: { appId: string; appSecret: string }): Promise<FakeFeishuWs> {
  const sockets = new Set<WebSocket>();
  let messages = 0;
  const server = createServer((req, res) => {
    void readBody(req).then((raw) => {
      const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      res.writeHead(200, { 'content-type': 'application/json' });
      if (req.url !== '/callback/ws/endpoint' || body.AppID !== app.appId || body.AppSecret !== app.appSecret) {
        res.end(JSON.stringify({ code: 1000040343, msg: 'app secret invalid', data: {} }));
        return;
      }
      const port = (server.address() as AddressInfo).port;
      res.end(
        JSON.stringify({
          code: 0,
          msg: 'ok',
          data: {
            URL: `ws://127.0.0.1:${port}/ws?device_id=dev1&service_id=7`,
            ClientConfig: { PingInterval: 120, ReconnectCount: -1, ReconnectInterval: 1, ReconnectNonce: 0 },
          },
        }),
      );
    });
  });
  const wss = new WebSocketServer({ server, path: '/ws' });
  const fake: FakeFeishuWs = {
    url: '',
    opened: 0,
    received: [],
    connected: () => sockets.size > 0,
    pushEvent(event) {
      messages += 1;
      const messageId = `ws-msg-${messages}`;
      const frame = encodeFrame({
        SeqID: messages,
        LogID: 0,
        service: 7,
        method: 1,
        headers: [
          { key: 'type', value: 'event' },
          { key: 'message_id', value: messageId },
          { key: 'sum', value: '1' },
          { key: 'seq', value: '0' },
          { key: 'trace_id', value: `trace-${messages}` },
        ],
        payload: utf8(JSON.stringify(event)),
      });
      for (const s of sockets) s.send(frame);
      return messageId;
    },
    drop() {
      for (const s of sockets) s.terminate();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  wss.on('connection', (ws) => {
    fake.opened += 1;
    sockets.add(ws);
    ws.on('message', (data) => fake.received.push(decodeFrame(new Uint8Array(data as Buffer))));
    ws.on('close', () => sockets.delete(ws));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}
