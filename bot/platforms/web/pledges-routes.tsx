// GET /w/<token>: a branch's public pledge page, while its secretary keeps it public.
import type { Hono } from 'hono';
import type { AdapterHost } from '../../platform.js';
import type { PledgesPort } from '../../ports.js';
import { WebRefusal } from './form-post.js';
import { PledgesPage } from './pages/pledges-page.js';
import { pledgesBranchOf } from './survey-routes.js';

export function mountPledges(app: Hono, d: { host: AdapterHost; port: PledgesPort; secret: string }): void {
  app.get('/w/:token', async (c) => {
    const branchId = pledgesBranchOf(d.secret, c.req.param('token'));
    const view = branchId === null ? null : await d.port.view({ db: d.host.db, config: d.host.config, clock: d.host.clock }, branchId);
    if (!view) throw new WebRefusal(404, '承诺未公示', '这个支部的承诺没有公示，或链接已失效。');
    return c.html(<PledgesPage view={view} />);
  });
}
