// Who is at the keyboard of the sandbox (a signed cookie naming a demo person), the CSRF token that
// every state-changing form carries, and the one-shot notice shown after a post.
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { WebRefusal } from './form-post.js';
import { fromBase64Url, sign, toBase64Url, verifySigned } from './sign.js';

const WHO = 'sbx_who';
const FLASH = 'sbx_flash';
const VISITOR = 'sbx_visitor';

export interface Session {
  userId: string;
  /** Random per session; the CSRF token is its signature. */
  nonce: string;
}

export function readSession(c: Context, secret: string): Session | null {
  const raw = getCookie(c, WHO);
  if (!raw) return null;
  const [body, signature] = raw.split('.');
  if (!body || !signature || !verifySigned(secret, 'session', body, signature)) return null;
  try {
    const s = JSON.parse(fromBase64Url(body)) as Session;
    return typeof s.userId === 'string' && typeof s.nonce === 'string' ? s : null;
  } catch {
    return null;
  }
}

export function startSession(c: Context, secret: string, userId: string): void {
  const body = toBase64Url(JSON.stringify({ userId, nonce: crypto.randomUUID() }));
  setCookie(c, WHO, `${body}.${sign(secret, 'session', body)}`, { httpOnly: true, sameSite: 'Lax', path: '/' });
}

/** The token a session's forms carry (or, without a session, a link's forms: keyed by the link). */
export function csrfToken(secret: string, scope: string): string {
  return sign(secret, 'csrf', scope);
}

/** A random id per browser before anyone is chosen: the CSRF scope of a visitor without a session. */
export function visitorNonce(c: Context): string {
  const known = getCookie(c, VISITOR);
  if (known && /^[0-9a-f-]{36}$/.test(known)) return known;
  const nonce = crypto.randomUUID();
  setCookie(c, VISITOR, nonce, { httpOnly: true, sameSite: 'Lax', path: '/' });
  return nonce;
}

export function knownVisitor(c: Context): string | null {
  const known = getCookie(c, VISITOR);
  return known && /^[0-9a-f-]{36}$/.test(known) ? known : null;
}

const FOREIGN = () => new WebRefusal(403, '请求来源不对', '这个表单不是从本站提交的，已拒绝。请回到页面重新操作。');

/**
 * Refuses a cross-site post, then checks the form's token. The browser's Sec-Fetch-Site (when sent)
 * must say same-origin; an Origin (when sent, "null" included) must be this site: PUBLIC_URL's host
 * behind a proxy, else the request's Host.
 */
export function checkPost(c: Context, secret: string, scope: string, token: string | undefined, publicUrl: string | null = null): void {
  const site = c.req.header('sec-fetch-site');
  if (site && site !== 'same-origin' && site !== 'none') throw FOREIGN();
  const origin = c.req.header('origin');
  if (origin !== undefined) {
    let host = '';
    try {
      host = new URL(origin).host;
    } catch {
      host = '';
    }
    const expected = publicUrl ? new URL(publicUrl).host : c.req.header('host');
    if (!host || host !== expected) throw FOREIGN();
  }
  if (!token || !verifySigned(secret, 'csrf', scope, token)) {
    throw new WebRefusal(403, '页面已过期', '页面已过期或不是从本站打开的，请刷新页面后重新提交。');
  }
}

export function setFlash(c: Context, text: string): void {
  setCookie(c, FLASH, encodeURIComponent(text.slice(0, 300)), { httpOnly: true, sameSite: 'Lax', path: '/', maxAge: 60 });
}

export function takeFlash(c: Context): string | null {
  const raw = getCookie(c, FLASH);
  if (!raw) return null;
  deleteCookie(c, FLASH, { path: '/' });
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}
