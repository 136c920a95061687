// The survey's public pages: /s/<token> to answer (open: once per browser, a network at a limited
// pace; coded: once per code), /s/print/<token> for the secretary's QR sheet. No login, no script.
import type { Context, Hono } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import QRCode from 'qrcode';
import type { AdapterHost, PublicPages } from '../../platform.js';
import type { SurveyOutcome, SurveyPageView, SurveyPort } from '../../ports.js';
import { textFields, WebRefusal, type PostedBody } from './form-post.js';
import type { NetworkLimit } from './network-limit.js';
import { MessagePage } from './pages/layout.js';
import { PrintPage } from './pages/print-page.js';
import { SurveyPage } from './pages/survey-page.js';
import { checkPost, csrfToken } from './session.js';
import { sameText, sign } from './sign.js';

export interface SurveyRouteDeps {
  host: AdapterHost;
  port: SurveyPort;
  secret: string;
  publicUrl: string | null;
  limit: NetworkLimit;
  body(c: Context): Promise<PostedBody>;
}

const BROWSER = 'sv_browser';

const tokenOf = (secret: string, purpose: string, id: number, length: number) => `${id}.${sign(secret, purpose, String(id)).slice(0, length)}`;

function idOf(secret: string, purpose: string, token: string, length: number): number | null {
  const m = /^(\d{1,9})\.([\w-]+)$/.exec(token);
  return m && sameText(sign(secret, purpose, m[1]!).slice(0, length), m[2]!) ? Number(m[1]) : null;
}

/** Where the survey pages are: relative links without PUBLIC_URL (the README asks for it in production). */
export function surveyPages(secret: string, publicUrl: string | null): PublicPages {
  const base = publicUrl ?? '';
  return {
    surveyUrl: (id) => `${base}/s/${tokenOf(secret, 'survey', id, 12)}`,
    surveyPrintUrl: (id) => `${base}/s/print/${tokenOf(secret, 'survey-print', id, 22)}`,
    pledgesUrl: (branchId) => `${base}/w/${tokenOf(secret, 'pledges', branchId, 12)}`,
    publicityUrl: (id) => `${base}/g/${tokenOf(secret, 'publicity', id, 12)}`,
    certificateUrl: (id) => `${base}/cert/${tokenOf(secret, 'certificate', id, 16)}`,
  };
}

const REFUSALS: Record<Exclude<SurveyOutcome, 'ok' | 'invalid'>, WebRefusal> = {
  closed: new WebRefusal(403, '测评已结束', '这次测评已经结束，感谢您的关注。'),
  duplicate: new WebRefusal(409, '您已经评价过了', '每个浏览器只能评价一次。感谢您的评价！'),
  'code-used': new WebRefusal(409, '评价码已用过', '这个评价码已经用过了，每个码只能评价一次。'),
  'code-unknown': new WebRefusal(400, '评价码不对', '没有找到这个评价码，请核对纸条上的评价码后再提交。'),
};

function browserOf(c: Context): string {
  const known = getCookie(c, BROWSER);
  if (known && /^[0-9a-f-]{36}$/.test(known)) return known;
  const id = crypto.randomUUID();
  setCookie(c, BROWSER, id, { httpOnly: true, sameSite: 'Lax', path: '/s', maxAge: 365 * 86_400 });
  return id;
}

/** The thank-you page is the same for every answer to a branch: rendered once (a lunch-hour QR posts hundreds a second). */
const thanks = new Map<string, string>();
async function thanksPage(branchName: string): Promise<string> {
  let html = thanks.get(branchName);
  if (!html) {
    html = String(
      await (<MessagePage light title="感谢您的评价" detail={`您对「${branchName}」的评价已提交。我们会认真听取意见，不断改进服务。`} />).toString(),
    );
    if (thanks.size > 1_000) thanks.clear();
    thanks.set(branchName, html);
  }
  return html;
}

/** The commendation a 公示 page's token names, or null. */
export const publicityIdOf = (secret: string, token: string): number | null => idOf(secret, 'publicity', token, 12);
/** The nominee a certificate page's token names, or null. */
export const certificateIdOf = (secret: string, token: string): number | null => idOf(secret, 'certificate', token, 16);

/** The branch id a public pledge page's token names, or null. */
export const pledgesBranchOf = (secret: string, token: string): number | null => idOf(secret, 'pledges', token, 12);

export function mountSurveys(app: Hono, d: SurveyRouteDeps): void {
  const deps = { db: d.host.db, config: d.host.config, clock: d.host.clock };
  const surveyOf = async (token: string) => {
    const id = idOf(d.secret, 'survey', token, 12);
    const view = id === null ? null : await d.port.view(deps, id);
    if (!view) throw new WebRefusal(404, '找不到这次测评', '链接不完整或已失效，请重新扫描二维码。');
    return view;
  };
  const form = (c: Context, view: SurveyPageView, browser: string, code: string | null, errors: string[], status: 200 | 400 = 200) =>
    c.html(<SurveyPage view={view} csrf={csrfToken(d.secret, `survey:${view.id}:${browser}`)} code={code} errors={errors} />, status);

  app.get('/s/:token', async (c) => {
    const view = await surveyOf(c.req.param('token'));
    if (!view.open) throw REFUSALS.closed;
    const browser = browserOf(c);
    if (view.mode === 'open' && (await d.port.answered(deps, view.id, browser))) throw REFUSALS.duplicate;
    const code = c.req.query('c')?.slice(0, 12) ?? null;
    return form(c, view, browser, code, []);
  });

  app.post('/s/:token', async (c) => {
    const view = await surveyOf(c.req.param('token'));
    const browser = getCookie(c, BROWSER) ?? '';
    const fields = textFields(await d.body(c));
    checkPost(c, d.secret, `survey:${view.id}:${browser}`, fields._csrf, d.publicUrl);
    if (view.mode === 'open' && !d.limit.take(c)) throw new WebRefusal(429, '提交太频繁', '同一网络提交的评价太多了，请稍后再试。');
    const who = view.mode === 'coded' ? { code: fields.code ?? '' } : { browserId: browser };
    const { outcome, errors } = await d.port.answer(deps, view.id, fields, who);
    if (outcome === 'invalid') return form(c, view, browser, fields.code ?? null, errors, 400);
    if (outcome !== 'ok') throw REFUSALS[outcome];
    return c.html(await thanksPage(view.subject?.name ?? view.branchName));
  });

  app.get('/s/print/:token', async (c) => {
    const id = idOf(d.secret, 'survey-print', c.req.param('token'), 22);
    const view = id === null ? null : await d.port.view(deps, id);
    if (!view) throw new WebRefusal(404, '找不到这次测评', '链接不完整或已失效。');
    const url = `${d.publicUrl ?? new URL(c.req.url).origin}${surveyPages(d.secret, null).surveyUrl(view.id)}`;
    const svg = (text: string) => QRCode.toString(text, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
    const codes = await d.port.codes(deps, view.id);
    const slips = await Promise.all(codes.map(async (code) => ({ code, svg: await svg(`${url}?c=${code}`) })));
    const subject = view.subject ? { ...view.subject, pledge: view.pledges?.members[0] ?? [] } : null;
    return c.html(<PrintPage title={view.title} branchName={view.branchName} url={url} main={await svg(url)} slips={slips} subject={subject} />);
  });
}
