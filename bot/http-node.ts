// The Open API transport on Node: node:http(s) with keep-alive connections. fetch (undici) builds web
// streams, a Request and a signal per call: the sender used ~35 % more CPU and more memory at 50 sends a
// second (scheduler bench). Uploads (FormData) still go by fetch.
import http from 'node:http';
import https from 'node:https';
import { promisify } from 'node:util';
import { brotliDecompress, gunzip, inflate } from 'node:zlib';
import { fetchTransport, timeoutError, type HttpCall, type HttpAnswer, type HttpTransport } from './http-transport.js';

const decoders: Record<string, (buf: Buffer) => Promise<Buffer>> = {
  gzip: promisify(gunzip),
  deflate: promisify(inflate),
  br: promisify(brotliDecompress),
};

function flatHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

export function nodeTransport(): HttpTransport {
  const agents = { 'http:': new http.Agent({ keepAlive: true }), 'https:': new https.Agent({ keepAlive: true }) };
  const uploads = fetchTransport();
  const exchange = (call: HttpCall & { body?: string }): Promise<HttpAnswer> =>
    new Promise((resolve, reject) => {
      const url = new URL(call.url);
      const secure = url.protocol === 'https:';
      const headers = call.body === undefined ? call.headers : { ...call.headers, 'content-length': String(Buffer.byteLength(call.body)) };
      const fail = (err: unknown) => {
        clearTimeout(timer);
        const e = err instanceof Error ? err : new Error(String(err));
        // As fetch: a timeout is a TimeoutError, anything else on the wire a TypeError.
        reject(e.name === 'TimeoutError' ? e : new TypeError(`network error: ${e.message}`, { cause: e }));
      };
      const req = (secure ? https : http).request(url, { method: call.method, headers, agent: agents[secure ? 'https:' : 'http:'] }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', fail);
        res.on('end', () => {
          clearTimeout(timer);
          const raw = Buffer.concat(chunks);
          const decode = decoders[String(res.headers['content-encoding'] ?? '').toLowerCase()];
          (decode ? decode(raw) : Promise.resolve(raw)).then(
            (body) => resolve({ status: res.statusCode ?? 0, headers: flatHeaders(res.headers), text: body.toString('utf8') }),
            fail,
          );
        });
      });
      const timer = setTimeout(() => req.destroy(timeoutError()), call.timeoutMs);
      req.on('error', fail);
      req.end(call.body);
    });
  return (call) => (call.body === undefined || typeof call.body === 'string' ? exchange(call as HttpCall & { body?: string }) : uploads(call));
}
