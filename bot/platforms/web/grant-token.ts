// A signed, expiring link token: its fields as base64url JSON, an HMAC per purpose, and `e` (expiry, ms).
// Forged or truncated: invalid; past `e`: expired. Each route checks its own fields.
import { fromBase64Url, sign, toBase64Url, verifySigned } from './sign.js';

export type TokenFields = Record<string, unknown> & { e: number };
export type TokenRead = { ok: true; fields: Record<string, unknown> } | { ok: false; reason: 'invalid' | 'expired' };

export function grantToken(secret: string, purpose: string, fields: TokenFields): string {
  const body = toBase64Url(JSON.stringify(fields));
  return `${body}.${sign(secret, purpose, body)}`;
}

export function readGrantToken(secret: string, purpose: string, token: string, now: Date): TokenRead {
  const [body, signature, extra] = token.split('.');
  if (!body || !signature || extra !== undefined || body.length > 2_000) return { ok: false, reason: 'invalid' };
  if (!verifySigned(secret, purpose, body, signature)) return { ok: false, reason: 'invalid' };
  let fields: unknown;
  try {
    fields = JSON.parse(fromBase64Url(body));
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  if (typeof fields !== 'object' || fields === null || typeof (fields as { e?: unknown }).e !== 'number') return { ok: false, reason: 'invalid' };
  if ((fields as TokenFields).e <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, fields: fields as Record<string, unknown> };
}

export const idOrNull = (v: unknown): v is number | null => v === null || (typeof v === 'number' && Number.isInteger(v));
