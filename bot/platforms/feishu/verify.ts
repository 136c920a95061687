// Feishu request authenticity: the SHA-256 signature over the raw body, and the verification token.
import { createHash, timingSafeEqual } from 'node:crypto';
import { VerificationError } from '../../errors.js';

/** Requests whose numeric timestamp is further than this from now are refused (replays). */
const MAX_SKEW_SECONDS = 12 * 60 * 60;

export interface SignatureHeaders {
  timestamp: string | undefined;
  nonce: string | undefined;
  signature: string | undefined;
}

/** hex(SHA-256(timestamp + nonce + encryptKey + rawBody)); plain SHA-256, not HMAC. */
export function feishuSignature(timestamp: string, nonce: string, encryptKey: string, rawBody: string): string {
  return createHash('sha256').update(timestamp + nonce + encryptKey, 'utf8').update(rawBody, 'utf8').digest('hex');
}

/** Constant-time string equality that does not leak the length either (both sides are hashed). */
export function secureEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a, 'utf8').digest();
  const hb = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(ha, hb);
}

export function hasSignature(h: SignatureHeaders): boolean {
  return Boolean(h.timestamp || h.nonce || h.signature);
}

export function verifySignature(h: SignatureHeaders, rawBody: string, encryptKey: string, now: Date): void {
  if (!h.timestamp || !h.nonce || !h.signature) {
    throw new VerificationError('missing X-Lark-Request-Timestamp, X-Lark-Request-Nonce or X-Lark-Signature');
  }
  const expected = feishuSignature(h.timestamp, h.nonce, encryptKey, rawBody);
  if (!secureEqual(expected, h.signature.toLowerCase())) {
    throw new VerificationError('signature mismatch');
  }
  // The header is normally Unix seconds; anything else is hashed verbatim above and not parsed.
  if (/^\d{9,11}$/.test(h.timestamp)) {
    const skew = Math.abs(now.getTime() / 1000 - Number(h.timestamp));
    if (skew > MAX_SKEW_SECONDS) throw new VerificationError('request timestamp too old');
  }
}

export function verifyToken(received: unknown, expected: string): void {
  if (typeof received !== 'string' || !secureEqual(received, expected)) {
    throw new VerificationError('verification token mismatch');
  }
}
