// DingTalk as a plugin: its config section, its robot webhook (or Stream client), its OpenAPI client
// and its message dialect. Forms open as the signed personal pages of the web edge.
import { bodyLimit } from 'hono/body-limit';
import type { Clock } from '../../clock.js';
import type { Config } from '../../config.js';
import type { PlatformAdapter, PlatformLimits, PlatformPlugin } from '../../platform.js';
import type { Db } from '../../../db/client.js';
import { parseWebConfig } from '../web/config.js';
import { linkToken } from '../web/links.js';
import { DingTalkApi, type DingTalkApiOptions } from './api.js';
import { parseDingTalkConfig, type DingTalkConfig } from './config.js';
import { DINGTALK_MENTION } from './parse.js';
import { dingTalkWebhook, MAX_BODY_BYTES } from './webhook.js';
import type { HttpTransport } from '../../http-transport.js';

/** Robot callbacks are answered at once (replies go through the outbox); no card callbacks reach us. */
const ACK_BUDGET_MS = 2_500;
/** How long a personal page link sent in a DingTalk message stays valid. */
export const LINK_DAYS = 14;

/** msgParam is at most 15 000 bytes; a markdown rendering is smaller than the card JSON this measures. */
export const DINGTALK_LIMITS: PlatformLimits = { cardBytes: 12_000 };

export interface DingTalkAdapterOptions {
  /** Test seams of the API client (a fake OpenAPI is set through DINGTALK_API_BASE). */
  api?: Partial<Pick<DingTalkApiOptions, 'retry' | 'gate' | 'http' | 'now'>>;
}

export type DingTalkAdapter = PlatformAdapter & { settings: DingTalkConfig | null; api: DingTalkApi | null; learnCorp(corpId: string): void };

export function dingTalkAdapter(
  config: Config,
  env: { clock: Clock; db: Db | null; http?: HttpTransport },
  opts: DingTalkAdapterOptions = {},
): DingTalkAdapter {
  const { settings, missing } = parseDingTalkConfig(config.env);
  const web = parseWebConfig(config.env);
  let learnedCorp: string | null = null;
  const corpId = () => settings?.corpId ?? learnedCorp;
  // DingTalk opens absolute links only: without PUBLIC_URL a page cannot be reached from a message.
  const linkSecret = web.linkSecret;
  const publicUrl = web.publicUrl;
  const personalLink =
    linkSecret && publicUrl
      ? (who: { tenantKey: string; userId: string }, purpose: string) =>
          `${publicUrl}/p/${linkToken(linkSecret, { platform: 'dingtalk', ...who, purpose, expiresAt: new Date(env.clock.now().getTime() + LINK_DAYS * 86_400_000) })}`
      : null;
  const api = settings
    ? new DingTalkApi({
        clientId: settings.clientId,
        clientSecret: settings.clientSecret,
        robotCode: settings.robotCode,
        apiBase: settings.apiBase,
        oapiBase: settings.oapiBase,
        deptId: settings.deptId,
        chatDepts: settings.chatDepts,
        corpId,
        personalLink,
        db: env.db,
        http: env.http,
        ...opts.api,
      })
    : null;
  const learnCorp = (id: string) => {
    learnedCorp = id;
  };
  return {
    id: 'dingtalk',
    label: '钉钉',
    api,
    settings,
    missing,
    ackBudgetMs: ACK_BUDGET_MS,
    lateHandleTtlMs: 0,
    limits: DINGTALK_LIMITS,
    mentionToken: DINGTALK_MENTION,
    production: settings !== null,
    learnCorp,
    mount(app, host) {
      app.post(
        '/webhooks/dingtalk',
        bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => c.json({ error: 'payload too large' }, 413) }),
        dingTalkWebhook({ settings, missing, host, learnCorp }),
      );
    },
    warnings() {
      if (!settings) {
        return [
          `DingTalk is not configured: missing ${missing.join(', ')}. POST /webhooks/dingtalk answers 503 until they are set (README: "DingTalk app setup").`,
        ];
      }
      const out: string[] = [];
      if (!settings.deptId && settings.chatDepts.size === 0)
        out.push("Neither DINGTALK_CHAT_DEPTS nor DINGTALK_DEPT_ID is set: /同步 cannot read a roster on DingTalk (it reads a department's users).");
      if (!personalLink)
        out.push('WEB_LINK_SECRET or PUBLIC_URL is not set: DingTalk members cannot open forms (pledge, self-assessment, ballots) as web pages.');
      return out;
    },
  };
}

export const dingTalkPlugin: PlatformPlugin = {
  id: 'dingtalk',
  production: (config) => parseDingTalkConfig(config.env).settings !== null,
  create: (config, env) => dingTalkAdapter(config, env),
};
