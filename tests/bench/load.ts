// Closed-loop load generator: N connections (keep-alive), each with one request in flight, drawing
// pre-built requests from a shared pool until the time is up or the pool is empty. Loopback only.
import { Agent, request, type OutgoingHttpHeaders } from 'node:http';
import { performance } from 'node:perf_hooks';

export interface PreparedRequest {
  body: Buffer;
  headers: OutgoingHttpHeaders;
}

/** Hands out requests in order; `null` when exhausted. Shared by warm-up and measured phases. */
export interface RequestSource {
  next(): { index: number; req: PreparedRequest } | null;
  remaining(): number;
}

export function poolSource(pool: PreparedRequest[]): RequestSource {
  let cursor = 0;
  return {
    next: () => (cursor < pool.length ? { index: cursor, req: pool[cursor++]! } : null),
    remaining: () => pool.length - cursor,
  };
}

/** The same request forever (for routes that need no unique payload). */
export function repeatSource(req: PreparedRequest): RequestSource {
  let cursor = 0;
  return { next: () => ({ index: cursor++, req }), remaining: () => Infinity };
}

export function jsonHeaders(body: Buffer, extra: Record<string, string> = {}): OutgoingHttpHeaders {
  return { ...extra, 'content-type': 'application/json', 'content-length': String(body.length) };
}

export interface LoadOptions {
  port: number;
  path: string;
  connections: number;
  durationMs: number;
  source: RequestSource;
  agent: Agent;
  /** Per-request timeout; a timed-out request counts as a network error. */
  timeoutMs?: number;
  /** Called with each 2xx response body; return false to count it as a bad answer. */
  check?: (body: Buffer) => boolean;
  /** Called just before each request is written (e.g. to note its wall-clock send time). */
  onSend?: (index: number) => void;
}

export interface LoadResult {
  completed: number;
  ok: number;
  non2xx: number;
  netErrors: number;
  badBodies: number;
  statuses: Record<string, number>;
  firstError: string | null;
  elapsedMs: number;
  rps: number;
  p50: number;
  p99: number;
  max: number;
  mean: number;
  /** The pool ran out before the time was up. */
  exhausted: boolean;
}

interface Answer {
  status: number;
  body: Buffer;
}

function post(opts: LoadOptions, req: PreparedRequest): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const r = request({ host: '127.0.0.1', port: opts.port, path: opts.path, method: 'POST', headers: req.headers, agent: opts.agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    r.setTimeout(opts.timeoutMs ?? 10_000, () => r.destroy(new Error('request timed out')));
    r.on('error', reject);
    r.end(req.body);
  });
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function agentFor(connections: number): Agent {
  return new Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections, scheduling: 'fifo' });
}

export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let ok = 0;
  let non2xx = 0;
  let netErrors = 0;
  let badBodies = 0;
  let firstError: string | null = null;
  let exhausted = false;
  const start = performance.now();
  const deadline = start + opts.durationMs;

  async function worker(): Promise<void> {
    while (performance.now() < deadline) {
      const item = opts.source.next();
      if (!item) {
        exhausted = true;
        return;
      }
      opts.onSend?.(item.index);
      const t0 = performance.now();
      try {
        const answer = await post(opts, item.req);
        latencies.push(performance.now() - t0);
        statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
        if (answer.status >= 200 && answer.status < 300) {
          ok += 1;
          if (opts.check && !opts.check(answer.body)) badBodies += 1;
        } else {
          non2xx += 1;
          firstError ??= `HTTP ${answer.status}: ${answer.body.toString('utf8').slice(0, 200)}`;
        }
      } catch (err) {
        latencies.push(performance.now() - t0);
        netErrors += 1;
        firstError ??= err instanceof Error ? err.message : String(err);
      }
    }
  }

  await Promise.all(Array.from({ length: opts.connections }, () => worker()));
  const elapsedMs = performance.now() - start;
  const sorted = Float64Array.from(latencies).sort();
  const sum = latencies.reduce((a, b) => a + b, 0);
  return {
    completed: latencies.length,
    ok,
    non2xx,
    netErrors,
    badBodies,
    statuses,
    firstError,
    elapsedMs,
    rps: (latencies.length / elapsedMs) * 1000,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1]! : NaN,
    mean: latencies.length ? sum / latencies.length : NaN,
    exhausted,
  };
}
