// Feishu request authenticity: the SHA-256 signature over the raw body, and the verification token.
import { createHash, timingSafeEqual } from 'node:crypto';
import { VerificationError } from '../../errors.js';

/**
 * How old a signed request may be. Feishu documents no freshness window and does not say whether a
 * re-push is signed anew; it re-pushes an unanswered event after 15 s, 5 min, 1 h and 6 h (~7.1 h in
 * all). A window shorter than that could refuse the last retries of an event we never received, so
 * the past side covers them with margin. Replays inside it are stopped by the event-id dedupe, which
 * is kept 7 days (EVENT_RETENTION_MS), far longer than this window.
 */
export const MAX_AGE_SECONDS = 8 * 60 * 60;
/** Clock skew tolerated into the future: a request stamped later than this was not made by Feishu now. */
export const MAX_FUTURE_SECONDS = 5 * 60;

export interface SignatureHeaders {
  timestamp: string | undefined;
  nonce: string | undefined;
  signature: string | undefined;
}

/** hex(SHA-256(timestamp + nonce + encryptKey + rawBody)); plain SHA-256, not HMAC. */
export function feishuSignature(timestamp: string, nonce: string, encryptKey: string, rawBody: string): string {
  return createHash('sha256')
    .update(timestamp + nonce + encryptKey, 'utf8')
    .update(rawBody, 'utf8')
    .digest('hex');
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
  // Hashed verbatim above; only Unix seconds are accepted as a time, so the window cannot be skipped.
  if (!/^\d{1,12}$/.test(h.timestamp)) throw new VerificationError('request timestamp is not Unix seconds');
  const age = now.getTime() / 1000 - Number(h.timestamp);
  if (age > MAX_AGE_SECONDS) throw new VerificationError('request timestamp too old');
  if (age < -MAX_FUTURE_SECONDS) throw new VerificationError('request timestamp is in the future');
}

/** Without a configured token (FEISHU_MODE=ws without FEISHU_VERIFICATION_TOKEN) no request passes. */
export function verifyToken(received: unknown, expected: string | null): void {
  if (expected === null) throw new VerificationError('FEISHU_VERIFICATION_TOKEN is not set: webhook requests are not accepted');
  if (typeof received !== 'string' || !secureEqual(received, expected)) {
    throw new VerificationError('verification token mismatch');
  }
}
