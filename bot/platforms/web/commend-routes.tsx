// 评选表彰's public pages: GET/POST /g/<token> (the list in 公示, objections; later the final list) and
// GET /cert/<token> (a winner's printable certificate). No login; objections need the page's token.
import type { Context, Hono } from 'hono';
import QRCode from 'qrcode';
import type { AdapterHost } from '../../platform.js';
import type { CommendPort, PublicityView } from '../../ports.js';
import { textFields, WebRefusal, type PostedBody } from './form-post.js';
import type { NetworkLimit } from './network-limit.js';
import { CertificatePage, PublicityPage } from './pages/commend-pages.js';
import { checkPost, csrfToken, visitorNonce } from './session.js';
import { certificateIdOf, publicityIdOf, surveyPages } from './survey-routes.js';

export interface CommendRouteDeps {
  host: AdapterHost;
  port: CommendPort;
  secret: string;
  publicUrl: string | null;
  limit: NetworkLimit;
  body(c: Context): Promise<PostedBody>;
}

const NOT_FOUND = new WebRefusal(404, '找不到公示', '链接不完整或已失效，或名单尚未公示。');

export function mountCommend(app: Hono, d: CommendRouteDeps): void {
  const deps = { db: d.host.db, config: d.host.config, clock: d.host.clock };
  const viewOf = async (token: string): Promise<{ id: number; view: PublicityView }> => {
    const id = publicityIdOf(d.secret, token);
    const view = id === null ? null : await d.port.publicity(deps, id);
    if (id === null || !view) throw NOT_FOUND;
    return { id, view };
  };
  const page = (c: Context, id: number, view: PublicityView, errors: string[], done: boolean, status: 200 | 400 = 200) =>
    c.html(<PublicityPage view={view} csrf={csrfToken(d.secret, `publicity:${id}:${visitorNonce(c)}`)} errors={errors} done={done} />, status);

  app.get('/g/:token', async (c) => {
    const { id, view } = await viewOf(c.req.param('token'));
    return page(c, id, view, [], c.req.query('ok') === '1');
  });

  app.post('/g/:token', async (c) => {
    const { id, view } = await viewOf(c.req.param('token'));
    const fields = textFields(await d.body(c));
    checkPost(c, d.secret, `publicity:${id}:${visitorNonce(c)}`, fields._csrf, d.publicUrl);
    if (!view.open) throw new WebRefusal(403, '公示期已结束', '公示期已结束，不再受理意见。');
    if (!d.limit.take(c)) throw new WebRefusal(429, '提交太频繁', '同一网络提交的意见太多了，请稍后再试。');
    const { ok, errors } = await d.port.object(deps, id, fields);
    if (!ok) return page(c, id, view, errors, false, 400);
    return c.redirect(`${new URL(c.req.url).pathname}?ok=1`, 303);
  });

  app.get('/cert/:token', async (c) => {
    const id = certificateIdOf(d.secret, c.req.param('token'));
    const view = id === null ? null : await d.port.certificate(deps, id);
    if (!view) throw new WebRefusal(404, '找不到证书', '链接不完整或已失效，或表彰名单尚未确认。');
    const url = `${d.publicUrl ?? new URL(c.req.url).origin}${surveyPages(d.secret, null).publicityUrl(view.commendationId)}`;
    const qr = await QRCode.toString(url, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
    return c.html(<CertificatePage view={view} qr={qr} url={url} />);
  });
}
