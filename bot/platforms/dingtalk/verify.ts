// DingTalk robot callback authenticity: the `sign` header is base64(HMAC-SHA256(appSecret,
// timestamp + "\n" + appSecret)) and the `timestamp` (ms) must be within an hour of now.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { VerificationError } from '../../errors.js';

/** DingTalk's documented window: |now - timestamp| <= 1 hour. */
export const MAX_SKEW_MS = 60 * 60_000;

export function dingTalkSign(timestamp: string, appSecret: string): string {
  return createHmac('sha256', appSecret).update(`${timestamp}\n${appSecret}`, 'utf8').digest('base64');
}

/** Constant-time equality that does not leak the length either (both sides are hashed first). */
function secureEqual(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a, 'utf8').digest(), createHash('sha256').update(b, 'utf8').digest());
}

export function verifyDingTalk(timestamp: string | undefined, sign: string | undefined, appSecret: string, now: Date): void {
  if (!timestamp || !sign) throw new VerificationError('missing timestamp or sign header');
  // The header value is compared as sent (DingTalk does not URL-encode it on this side).
  if (!secureEqual(dingTalkSign(timestamp, appSecret), sign)) throw new VerificationError('sign mismatch');
  if (!/^\d{1,15}$/.test(timestamp)) throw new VerificationError('timestamp is not milliseconds');
  if (Math.abs(now.getTime() - Number(timestamp)) > MAX_SKEW_MS) throw new VerificationError('timestamp outside the 1 hour window');
}
