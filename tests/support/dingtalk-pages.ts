// Opens the personal web page a DingTalk message's button points at and posts its form, as a member's
// browser would (the DingTalk in-app browser): the link is the one the bot sent, unwrapped.
import { expect } from 'vitest';
import { type DtBot, PUBLIC_URL } from './dingtalk-harness.js';
import { dtButtonUrl, type DtSent } from './fake-dingtalk.js';

const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1]?.replace(/&quot;/g, '"') ?? '';

/** The app path of the page a message's button opens (it must be a signed /p/ link on PUBLIC_URL). */
export function pagePath(m: DtSent, index = 1): string {
  const url = dtButtonUrl(m, index);
  expect(url?.startsWith(`${PUBLIC_URL}/p/`)).toBe(true);
  return url!.slice(PUBLIC_URL.length);
}

export async function openPage(bot: DtBot, path: string): Promise<string> {
  const res = await bot.app.request(path);
  expect(res.status).toBe(200);
  return res.text();
}

/** Posts the first card form (or button form) of the page with these fields; returns the answered page. */
export async function postPage(bot: DtBot, path: string, html: string, fields: Record<string, string>, formClass = 'card-form'): Promise<string> {
  const at = html.indexOf(`class="${formClass}"`);
  expect(at).toBeGreaterThan(0);
  const form = html.slice(at);
  const body = new URLSearchParams({
    _csrf: hidden(form, '_csrf'),
    _n: hidden(form, '_n'),
    _a: hidden(form, '_a'),
    _v: hidden(form, '_v'),
    _args: hidden(form, '_args'),
    _sig: hidden(form, '_sig'),
    ...fields,
  });
  const res = await bot.app.request(path, {
    method: 'POST',
    body: body.toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: PUBLIC_URL },
  });
  expect(res.status).toBe(200);
  return res.text();
}
