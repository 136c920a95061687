// Calls to DingTalk's OpenAPI: the app's access token cached with a margin, pacing by the rate gate,
// retries, and errors in a stable shape with `isRetryable`.
import { PlatformApiError } from '../../errors.js';
import { RateGate } from '../../rate-gate.js';
import { defaultRetryPolicy, withRetry, type RetryPolicy } from '../../retry.js';
import { fetchTransport, type HttpAnswer, type HttpTransport } from '../../http-transport.js';

export type Json = Record<string, unknown>;

/** Legacy error codes that mean "slow down" or "busy" (DT-help call-frequency-limit): retried after backoff. */
const LEGACY_LIMIT_CODES = new Set([-1, 90002, 90006, 90018, 90019]);
/** Legacy codes of a bad or expired token: fetched anew and retried. */
const LEGACY_TOKEN_CODES = new Set([40001, 40014, 42001]);
/** New-API error codes of throttling (HTTP 429/403 with these names). */
const LIMIT_CODE = /throttl|qpslimit|flowcontrol|ratelimit|limitexceed/i;
/** Refetch the token this long before DingTalk says it expires (its lifetime is 7200 s). */
const TOKEN_MARGIN_MS = 5 * 60_000;

export const DINGTALK_APP_RATE = 20;
export const DINGTALK_RECIPIENT_RATE = 5;

export interface OpenApiOptions {
  clientId: string;
  clientSecret: string;
  apiBase: string;
  oapiBase: string;
  retry?: Partial<RetryPolicy>;
  gate?: RateGate;
  /** How calls go out (default fetch; the Node runtime passes node:http). */
  http?: HttpTransport;
  now?: () => number;
}

function classify(op: string, status: number, body: Json): PlatformApiError {
  const code = typeof body.code === 'string' ? body.code : '';
  const errcode = typeof body.errcode === 'number' ? body.errcode : undefined;
  const message = typeof body.message === 'string' ? body.message : typeof body.errmsg === 'string' ? body.errmsg : '';
  const limited = status === 429 || LIMIT_CODE.test(code) || (errcode !== undefined && LEGACY_LIMIT_CODES.has(errcode));
  const tokenBad = status === 401 || code === 'InvalidAuthentication' || (errcode !== undefined && LEGACY_TOKEN_CODES.has(errcode));
  return new PlatformApiError(`${op}: HTTP ${status}${code ? ` ${code}` : ''}${errcode !== undefined ? ` errcode ${errcode}` : ''} ${message}`.trim(), {
    status,
    code: errcode,
    retryable: limited || tokenBad || status >= 500,
  });
}

export class DingTalkOpenApi {
  private readonly retry: RetryPolicy;
  private readonly gate: RateGate;
  private readonly http: HttpTransport;
  private readonly now: () => number;
  private token: { value: string; until: number } | null = null;
  private tokenFetch: Promise<string> | null = null;

  constructor(private readonly opts: OpenApiOptions) {
    this.retry = { ...defaultRetryPolicy, ...opts.retry };
    this.gate = opts.gate ?? new RateGate({ perSecond: DINGTALK_APP_RATE, perRecipientPerSecond: DINGTALK_RECIPIENT_RATE, sleep: this.retry.sleep });
    this.http = opts.http ?? fetchTransport();
    this.now = opts.now ?? Date.now;
  }

  private async json(op: string, url: string, init: { method: string; headers: Record<string, string>; body: string }): Promise<Json> {
    let res: HttpAnswer;
    try {
      res = await this.http({ url, ...init, timeoutMs: 15_000 });
    } catch (err) {
      // Network failures and timeouts (also while reading the answer): the request may or may not have arrived.
      throw new PlatformApiError(`${op}: ${err instanceof Error ? err.message : String(err)}`, { retryable: true });
    }
    let body: Json = {};
    try {
      const parsed: unknown = res.text ? JSON.parse(res.text) : {};
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) body = parsed as Json;
    } catch {
      // A gateway's HTML error page: classified by its status.
    }
    const failed = res.status < 200 || res.status >= 300 || (typeof body.errcode === 'number' && body.errcode !== 0);
    if (failed) {
      const error = classify(op, res.status, body);
      if (res.status === 401 || body.code === 'InvalidAuthentication' || LEGACY_TOKEN_CODES.has(Number(body.errcode))) this.token = null;
      throw error;
    }
    return body;
  }

  /** The app's access token, fetched once per lifetime (concurrent callers share one request). */
  async accessToken(): Promise<string> {
    if (this.token && this.token.until > this.now()) return this.token.value;
    this.tokenFetch ??= (async () => {
      try {
        const body = await this.json('oauth2.accessToken', `${this.opts.apiBase}/v1.0/oauth2/accessToken`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ appKey: this.opts.clientId, appSecret: this.opts.clientSecret }),
        });
        if (typeof body.accessToken !== 'string') throw new PlatformApiError('oauth2.accessToken: no accessToken in the answer', { retryable: false });
        const lifetimeMs = (typeof body.expireIn === 'number' ? body.expireIn : 7200) * 1000;
        this.token = { value: body.accessToken, until: this.now() + Math.max(0, lifetimeMs - TOKEN_MARGIN_MS) };
        return body.accessToken;
      } finally {
        this.tokenFetch = null;
      }
    })();
    return this.tokenFetch;
  }

  /** One paced, retried call to the new API (token in x-acs-dingtalk-access-token). */
  call(op: string, recipient: string | null, path: string, payload: Json, method: 'POST' | 'PUT' = 'POST'): Promise<Json> {
    return withRetry(async () => {
      await this.gate.acquire(recipient);
      const token = await this.accessToken();
      return this.json(op, `${this.opts.apiBase}${path}`, {
        method,
        headers: { 'content-type': 'application/json', 'x-acs-dingtalk-access-token': token },
        body: JSON.stringify(payload),
      });
    }, this.retry);
  }

  /** One paced, retried POST to the legacy oapi (token in the query), paced by the app's rate only. */
  callLegacy(op: string, path: string, payload: Json): Promise<Json> {
    return withRetry(async () => {
      await this.gate.acquire(null);
      const token = await this.accessToken();
      return this.json(op, `${this.opts.oapiBase}${path}?access_token=${encodeURIComponent(token)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
      });
    }, this.retry);
  }
}
