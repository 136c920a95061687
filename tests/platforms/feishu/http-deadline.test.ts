// The Open API transports (fetch everywhere, node:http on Node) under the Lark SDK's HttpInstance: a
// server that stops answering — before the answer or half-way through its body — is a TimeoutError, a
// refused connection a TypeError (both retried); a compressed answer is read; a finished call leaves no timer.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { sdkHttpInstance } from '../../../bot/platforms/feishu/http.js';
import { fetchTransport, type HttpTransport } from '../../../bot/http-transport.js';
import { nodeTransport } from '../../../bot/http-node.js';

let server: Server | undefined;
afterEach(async () => {
  if (!server) return;
  server.closeAllConnections();
  await new Promise((r) => server!.close(r));
  server = undefined;
});

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

type Request = (opts: { url: string; method: string; data?: unknown; timeout?: number; $return_headers?: boolean }) => Promise<unknown>;
const requestOf = (transport: HttpTransport) => (sdkHttpInstance(transport, 5_000) as unknown as { request: Request }).request;

describe.each([
  ['fetch', () => fetchTransport()],
  ['node:http', () => nodeTransport()],
])('Open API transport over %s', (_name, transport) => {
  it('sends the body and reads the JSON answer with its headers', async () => {
    let got = '';
    const url = await serve((req, res) => {
      req.on('data', (c: Buffer) => (got += c.toString('utf8')));
      req.on('end', () => res.writeHead(200, { 'x-tt-logid': 'log-1', 'content-type': 'application/json' }).end('{"code":0,"data":{"message_id":"om_1"}}'));
    });
    const answer = await requestOf(transport())({ url: `${url}/open-apis/im/v1/messages`, method: 'POST', data: { content: '你好' }, $return_headers: true });
    expect(answer).toEqual({ data: { code: 0, data: { message_id: 'om_1' } }, headers: expect.objectContaining({ 'x-tt-logid': 'log-1' }) });
    expect(JSON.parse(got)).toEqual({ content: '你好' });
  });

  it('reads a gzip-compressed answer', async () => {
    const url = await serve((_req, res) => res.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync('{"code":0,"msg":"成功"}')));
    await expect(requestOf(transport())({ url: `${url}/x`, method: 'GET' })).resolves.toEqual({ code: 0, msg: '成功' });
  });

  it('fails with a TimeoutError when no answer comes', async () => {
    const url = await serve(() => {});
    const started = Date.now();
    const err = await requestOf(transport())({ url: `${url}/open-apis/im/v1/messages`, method: 'POST', data: { a: 1 }, timeout: 300 }).catch((e: unknown) => e);
    expect((err as Error).name).toBe('TimeoutError');
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('fails with a TimeoutError when the body stops half-way', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"code":0,');
    });
    const err = await requestOf(transport())({ url: `${url}/x`, method: 'GET', timeout: 300 }).catch((e: unknown) => e);
    expect((err as Error).name).toBe('TimeoutError');
  });

  it('fails with a TypeError when the connection is refused', async () => {
    const url = await serve(() => {});
    await new Promise((r) => server!.close(r));
    server = undefined;
    const err = await requestOf(transport())({ url: `${url}/x`, method: 'GET', timeout: 2_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TypeError);
  });

  it('throws the status and body of a non-2xx answer', async () => {
    const url = await serve((_req, res) => res.writeHead(429, { 'x-ogw-ratelimit-reset': '2' }).end('{"code":99991400}'));
    const err = (await requestOf(transport())({ url: `${url}/x`, method: 'GET' }).catch((e: unknown) => e)) as {
      status: number;
      body: unknown;
      headers: Record<string, string>;
    };
    expect([err.status, err.body, err.headers['x-ogw-ratelimit-reset']]).toEqual([429, { code: 99991400 }, '2']);
  });
});

describe('fetch transport', () => {
  it('clears its timer once the answer is read', async () => {
    const url = await serve((_req, res) => res.end('{"code":0,"data":{"ok":true}}'));
    const signals: AbortSignal[] = [];
    const spy: typeof fetch = (input, init) => {
      signals.push(init!.signal!);
      return fetch(input, init);
    };
    await expect(requestOf(fetchTransport(spy))({ url: `${url}/x`, method: 'GET', timeout: 200 })).resolves.toEqual({ code: 0, data: { ok: true } });
    await new Promise((r) => setTimeout(r, 400));
    expect(signals).toHaveLength(1);
    expect(signals[0]!.aborted).toBe(false);
  });
});
