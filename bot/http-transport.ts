// How the Open API clients make an HTTP call: one exchange in, status, headers and text out. fetch works
// everywhere (Workers, tests); on Node the runtime passes node:http instead (http-node.ts).

export interface HttpCall {
  url: string;
  method: string;
  headers: Record<string, string>;
  /** FormData for uploads (multipart, boundary set by the transport). */
  body?: string | FormData;
  timeoutMs: number;
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  text: string;
}

/** Network failures reject with a TypeError and timeouts with a TimeoutError, as fetch does: both are retried. */
export type HttpTransport = (call: HttpCall) => Promise<HttpAnswer>;

export function timeoutError(): Error {
  return new DOMException('The operation was aborted due to timeout', 'TimeoutError');
}

/**
 * Runs `fn` with a signal that aborts after `ms`, and clears the timer as soon as `fn` settles.
 * AbortSignal.timeout is not used: its signal, with the request and streams fetch hangs on it, stays
 * alive until the timer fires — at 50 sends a second with a 10-second timeout, 500 finished requests.
 */
export async function withDeadline<T>(ms: number, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(timeoutError()), ms);
  try {
    return await fn(controller.signal);
  } finally {
    clearTimeout(timer);
  }
}

export function fetchTransport(fetchImpl: typeof fetch = fetch): HttpTransport {
  return (call) =>
    withDeadline(call.timeoutMs, async (signal) => {
      const res = await fetchImpl(call.url, { method: call.method, headers: call.headers, body: call.body, signal });
      const headers: Record<string, string> = {};
      res.headers.forEach((v, k) => {
        headers[k] = v;
      });
      return { status: res.status, headers, text: await res.text() };
    });
}
