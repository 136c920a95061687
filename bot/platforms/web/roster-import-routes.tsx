// GET/POST /ri/<token>: the roster import page. The token is signed with WEB_LINK_SECRET and carries who
// (platform, tenant, user), which branch (or every branch) and until when; the port checks the holder
// may still import at every step. Forged: 404; expired: 403; a file too big: 413; never a 500.
import type { Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AdapterHost } from '../../platform.js';
import type { RosterImportGrant, RosterImportPort, RosterImportView } from '../../ports.js';
import { WebRefusal, type PostedBody } from './form-post.js';
import { grantToken, idOrNull, readGrantToken } from './grant-token.js';
import { RosterImportPage } from './pages/roster-import-page.js';
import { checkPost, csrfToken, visitorNonce } from './session.js';
import { refusalPage } from './web-errors.js';

const PURPOSE = 'roster-import';
/** The file and a little form around it. */
const UPLOAD_LIMIT = 2 * 1024 * 1024 + 16 * 1024;
const TEMPLATE_CSV = '\uFEFF姓名,工号,手机,支部,政治面貌,入党日期,职务\r\n';

export function rosterImportUrl(secret: string, publicUrl: string | null, g: RosterImportGrant): string {
  return `${publicUrl ?? ''}/ri/${grantToken(secret, PURPOSE, { p: g.platform, t: g.tenantKey, u: g.userId, b: g.branchId, e: g.expiresAt.getTime() })}`;
}

function grantOf(secret: string, token: string, now: Date): RosterImportGrant {
  const read = readGrantToken(secret, PURPOSE, token, now);
  if (!read.ok) {
    throw read.reason === 'expired'
      ? new WebRefusal(403, '链接已过期', '名册导入链接已过期，请在聊天中重新发送 /名册 导入 获取新链接。')
      : new WebRefusal(404, '找不到页面', '链接不完整或被改动过，请使用机器人发给您的原始链接。');
  }
  const r = read.fields;
  if (typeof r.p !== 'string' || typeof r.t !== 'string' || typeof r.u !== 'string' || !idOrNull(r.b)) {
    throw new WebRefusal(404, '找不到页面', '链接不完整或被改动过，请使用机器人发给您的原始链接。');
  }
  return { platform: r.p, tenantKey: r.t, userId: r.u, branchId: r.b, expiresAt: new Date(r.e as number) };
}

const NO_LONGER = new WebRefusal(403, '无法导入', '您已不再是管理员或该支部书记，或该支部已不存在。');

export function mountRosterImport(
  app: Hono,
  d: { host: AdapterHost; port: RosterImportPort; secret: string; publicUrl: string | null; body(c: Context): Promise<PostedBody> },
): void {
  const deps = { db: d.host.db, config: d.host.config, clock: d.host.clock };
  const scope = (c: Context) => `roster-import:${c.req.param('token')}:${visitorNonce(c)}`;
  const page = (c: Context, view: RosterImportView | null, status: 200 | 400 = 200) => {
    if (!view) throw NO_LONGER;
    const templateUrl = `${new URL(c.req.url).pathname}/template.csv`;
    return c.html(<RosterImportPage view={view} csrf={csrfToken(d.secret, scope(c))} templateUrl={templateUrl} />, status);
  };

  app.use(
    '/ri/*',
    bodyLimit({
      maxSize: UPLOAD_LIMIT,
      onError: (c) => refusalPage(c, new WebRefusal(413, '文件太大', '名册文件最大 2 MB，请删去无关的工作表或分批导入。')),
    }),
  );

  app.get('/ri/:token', async (c) => page(c, await d.port.start(deps, grantOf(d.secret, c.req.param('token'), d.host.clock.now()))));

  app.get('/ri/:token/template.csv', (c) => {
    grantOf(d.secret, c.req.param('token'), d.host.clock.now());
    return c.body(TEMPLATE_CSV, 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="roster-template.csv"; filename*=UTF-8''${encodeURIComponent('名册模板.csv')}`,
      'cache-control': 'private, no-store',
    });
  });

  app.post('/ri/:token', async (c) => {
    const grant = grantOf(d.secret, c.req.param('token'), d.host.clock.now());
    const body = await d.body(c);
    const csrf = body._csrf;
    checkPost(c, d.secret, scope(c), typeof csrf === 'string' ? csrf : undefined, d.publicUrl);
    if (c.req.query('apply') === '1') {
      const id = Number(body.upload);
      if (typeof body.upload !== 'string' || !Number.isSafeInteger(id) || id <= 0) throw new WebRefusal(400, '提交的内容无法处理', '请重新上传名册文件。');
      const view = await d.port.apply(deps, grant, id);
      return page(c, view, view?.errors.length ? 400 : 200);
    }
    const file = body.file;
    if (!(file instanceof File) || !file.size) throw new WebRefusal(400, '没有收到文件', '请选择要上传的名册文件（.xlsx 或 .csv）。');
    const view = await d.port.upload(deps, grant, { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) });
    return page(c, view, view && (view.fileError || view.errors.length) ? 400 : 200);
  });
}
