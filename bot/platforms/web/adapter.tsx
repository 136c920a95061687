// The web edge as a plugin: personal links for people on any platform, and, in a sandbox process,
// the demo organisation's chats in a browser. Its "sending" writes web_messages that pages show.
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AdjustableClock, Clock } from '../../clock.js';
import type { Config } from '../../config.js';
import type { PlatformAdapter, PlatformPlugin } from '../../platform.js';
import type { LedgerGrant, RosterImportGrant } from '../../ports.js';
import type { Db } from '../../../db/client.js';
import { WebApi } from './api.js';
import { parseWebConfig } from './config.js';
import { BODY_LIMIT, WebRefusal, type PostedBody } from './form-post.js';
import { WEB_MENTION } from './incoming.js';
import { mountLinks } from './link-routes.js';
import { MessagePage } from './pages/layout.js';
import { mountCommend } from './commend-routes.js';
import { refusalPage, webErrors } from './web-errors.js';
import { groupMembers, DEMO_TENANT } from './sandbox/demo-org.js';
import { mountSandbox } from './sandbox/routes.js';
import { networkLimit } from './network-limit.js';
import { mountSurveys, surveyPages } from './survey-routes.js';
import { mountPledges } from './pledges-routes.js';
import { ledgerUrl, mountLedger } from './ledger-routes.js';
import { mountRosterImport, rosterImportUrl } from './roster-import-routes.js';

const isAdjustable = (clock: Clock): clock is AdjustableClock => 'reset' in clock && 'set' in clock;

async function parseBody(c: Context): Promise<PostedBody> {
  // Built only when refusing: an Error captures a stack, which a hot path cannot afford per request.
  const refused = () => new WebRefusal(400, '提交的内容无法处理', '请通过页面上的表单提交。');
  const type = c.req.header('content-type') ?? '';
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)/.test(type)) throw refused();
  try {
    if (type.startsWith('application/x-www-form-urlencoded')) {
      // Parsed by hand: Request.formData() is several times slower, and pages only post text.
      const out: PostedBody = {};
      for (const [k, v] of new URLSearchParams(await c.req.text())) {
        const seen = out[k];
        out[k] = seen === undefined ? v : Array.isArray(seen) ? [...seen, v] : [seen, v];
      }
      return out;
    }
    return (await c.req.parseBody({ all: true })) as PostedBody;
  } catch {
    // A body the type does not describe (a multipart without its boundary …).
    throw refused();
  }
}

export function webAdapter(config: Config, env: { clock: Clock; db: Db }): PlatformAdapter {
  const settings = parseWebConfig(config.env);
  const members = (chatId: string) => groupMembers(chatId).map((p) => ({ userId: p.id, name: p.name, tenantKey: DEMO_TENANT }));
  const api = new WebApi(env.db, env.clock, members);
  const secret = settings.linkSecret;
  const pages = secret
    ? {
        ...surveyPages(secret, settings.publicUrl),
        ledgerUrl: (g: LedgerGrant) => ledgerUrl(secret, settings.publicUrl, g),
        rosterImportUrl: (g: RosterImportGrant) => rosterImportUrl(secret, settings.publicUrl, g),
      }
    : undefined;
  return {
    id: 'web',
    label: '网页',
    api,
    missing: settings.linkSecret ? [] : ['WEB_LINK_SECRET'],
    // A page waits for its answer; past this it says "processing" and the card is updated in place.
    ackBudgetMs: 8_000,
    lateHandleTtlMs: 24 * 3600_000,
    limits: { cardBytes: 200_000 },
    mentionToken: WEB_MENTION,
    production: false,
    pages,
    mount(app: Hono, host) {
      const web = new Hono();
      web.onError(webErrors(host.log));
      const tooLarge = bodyLimit({
        maxSize: BODY_LIMIT,
        onError: (c) => refusalPage(c, new WebRefusal(413, '提交的内容太大', `一次提交最多 ${BODY_LIMIT / 1024} KB，请删减后再提交。`)),
      });
      for (const path of ['/sandbox/*', '/p/*', '/s/*', '/g/*']) web.use(path, tooLarge);
      mountLinks(web, { host, secret: settings.linkSecret, publicUrl: settings.publicUrl, body: parseBody });
      if (settings.linkSecret && host.ports.pledges) mountPledges(web, { host, port: host.ports.pledges, secret: settings.linkSecret });
      if (settings.linkSecret && host.ports.ledger) {
        mountLedger(web, {
          deps: { db: host.db, config: host.config, clock: host.clock },
          port: host.ports.ledger,
          secret: settings.linkSecret,
          log: host.log,
        });
      }
      if (settings.linkSecret && host.ports.rosterImport) {
        mountRosterImport(web, { host, port: host.ports.rosterImport, secret: settings.linkSecret, publicUrl: settings.publicUrl, body: parseBody });
      }
      if (settings.linkSecret && host.ports.survey) {
        const limit = networkLimit({
          perWindow: settings.surveyNetworkLimit,
          windowMs: 10 * 60_000,
          secret: settings.linkSecret,
          trustProxy: settings.trustProxy,
        });
        mountSurveys(web, { host, port: host.ports.survey, secret: settings.linkSecret, publicUrl: settings.publicUrl, limit, body: parseBody });
      }
      if (settings.linkSecret && host.ports.commend) {
        // Objections to a 公示 list: a tighter pace than survey answers (each one reaches the committee).
        const limit = networkLimit({ perWindow: 10, windowMs: 10 * 60_000, secret: settings.linkSecret, trustProxy: settings.trustProxy });
        mountCommend(web, { host, port: host.ports.commend, secret: settings.linkSecret, publicUrl: settings.publicUrl, limit, body: parseBody });
      }
      if (host.sandbox && settings.linkSecret && isAdjustable(host.clock)) {
        mountSandbox(web, { host, api, secret: settings.linkSecret, clock: host.clock, body: parseBody, publicUrl: settings.publicUrl });
      } else {
        web.get('/', (c) => c.html(<MessagePage title="党建助手" detail="服务运行中。请在飞书或钉钉中与机器人对话；收到的网页链接可直接在浏览器中打开。" />));
      }
      app.route('/', web);
    },
    warnings() {
      if (!settings.linkSecret) return ['WEB_LINK_SECRET is not set: personal web links (/p/…) and survey pages (/s/…) answer 503 until it is.'];
      return settings.publicUrl || config.env.SANDBOX_ACTIVE === '1'
        ? []
        : ['PUBLIC_URL is not set: links and QR codes in cards are relative; a chat app cannot open them. Set it to the address people reach the bot at.'];
    },
  };
}

export const webPlugin: PlatformPlugin = { id: 'web', production: () => false, create: webAdapter };
