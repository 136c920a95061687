// Keyed signatures of small web tokens (links, sessions, CSRF), compared in constant time.
import { createHmac, timingSafeEqual } from 'node:crypto';

export function sign(secret: string, purpose: string, data: string): string {
  return createHmac('sha256', secret).update(`${purpose}\n${data}`).digest('base64url');
}

export function verifySigned(secret: string, purpose: string, data: string, signature: string): boolean {
  const want = Buffer.from(sign(secret, purpose, data));
  const got = Buffer.from(signature);
  return want.length === got.length && timingSafeEqual(want, got);
}

/** Compares two short texts in constant time. */
export function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export const toBase64Url = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');
export const fromBase64Url = (text: string): string => Buffer.from(text, 'base64url').toString('utf8');

/** What a rendered button or form may post: its action, bound to where it was shown (a message, a link). */
export function actionSignature(secret: string, scope: string, id: string, v: string, args: string): string {
  return sign(secret, 'action', `${scope}\n${id}\n${v}\n${args}`);
}
