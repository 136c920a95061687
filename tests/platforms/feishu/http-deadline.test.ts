// The Open API transport gives up on a server that stops answering — before the answer begins or in the
// middle of its body — with the TimeoutError the client retries, and leaves no timer behind a finished call.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { fetchHttpInstance } from '../../../bot/platforms/feishu/http.js';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  server = undefined;
});

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

type Request = (opts: { url: string; method: string; data?: unknown; timeout?: number }) => Promise<unknown>;
const requestOf = (fetchImpl: typeof fetch = fetch) => (fetchHttpInstance(fetchImpl, 5_000) as unknown as { request: Request }).request;

describe('Feishu HTTP transport deadline', () => {
  it('fails with a TimeoutError when no answer comes', async () => {
    const url = await serve(() => {});
    const started = Date.now();
    const err = await requestOf()({ url: `${url}/open-apis/im/v1/messages`, method: 'POST', data: { a: 1 }, timeout: 300 }).catch((e: unknown) => e);
    expect((err as Error).name).toBe('TimeoutError');
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('fails with a TimeoutError when the body stops half-way', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"code":0,');
    });
    const err = await requestOf()({ url: `${url}/x`, method: 'GET', timeout: 300 }).catch((e: unknown) => e);
    expect((err as Error).name).toBe('TimeoutError');
  });

  it('clears its timer once the answer is read', async () => {
    const url = await serve((_req, res) => res.end('{"code":0,"data":{"ok":true}}'));
    const signals: AbortSignal[] = [];
    const spy: typeof fetch = (input, init) => {
      signals.push(init!.signal!);
      return fetch(input, init);
    };
    await expect(requestOf(spy)({ url: `${url}/x`, method: 'GET', timeout: 200 })).resolves.toEqual({ code: 0, data: { ok: true } });
    await new Promise((r) => setTimeout(r, 400));
    expect(signals).toHaveLength(1);
    expect(signals[0]!.aborted).toBe(false);
  });
});
