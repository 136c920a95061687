// How many answers one network may post to open surveys in a window: a flood from one place moves a
// result by at most this much. Keyed by a hash of the address, held in memory only (never stored).
import { createHmac } from 'node:crypto';
import type { Context } from 'hono';

export interface NetworkLimit {
  /** True when the request's network is still within its allowance (and counts it). */
  take(c: Context): boolean;
}

/** The client address: the socket's on Node, Cloudflare's header on Workers, X-Forwarded-For only behind a trusted proxy. */
function addressOf(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  const cf = c.req.header('cf-connecting-ip');
  if (cf) return cf;
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? 'unknown';
}

export function networkLimit(opts: { perWindow: number; windowMs: number; secret: string; trustProxy: boolean; now?: () => number }): NetworkLimit {
  const now = opts.now ?? Date.now;
  const seen = new Map<string, number[]>();
  return {
    take(c) {
      const key = createHmac('sha256', opts.secret)
        .update(`net\n${addressOf(c, opts.trustProxy)}`)
        .digest('base64url');
      const t = now();
      const recent = (seen.get(key) ?? []).filter((at) => t - at < opts.windowMs);
      if (recent.length >= opts.perWindow) {
        seen.set(key, recent);
        return false;
      }
      recent.push(t);
      seen.set(key, recent);
      if (seen.size > 50_000) seen.clear();
      return true;
    },
  };
}
