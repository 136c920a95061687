// Feishu as a plugin: its config section, its webhook route, its Open API client and card dialect.
import type { Config } from '../../config.js';
import type { PlatformAdapter, PlatformPlugin } from '../../platform.js';
import { FeishuApi, type FeishuApiOptions } from './api.js';
import { parseFeishuConfig, type FeishuConfig } from './config.js';
import { FEISHU_MENTION } from './parse.js';
import { feishuWebhook } from './webhook.js';

/** Feishu waits 3 s for a callback's answer. */
const ACK_BUDGET_MS = 2_500;
/** A callback token may update the card for 30 min after the click; we stop a little before. */
const LATE_TTL_MS = 25 * 60_000;

export interface FeishuAdapterOptions {
  /** Test seams of the API client (a fake domain is set through FEISHU_DOMAIN). */
  api?: Partial<Omit<FeishuApiOptions, 'appId' | 'appSecret' | 'domain'>>;
}

export function feishuAdapter(config: Config, opts: FeishuAdapterOptions = {}): PlatformAdapter & { settings: FeishuConfig | null } {
  const { settings, missing } = parseFeishuConfig(config.env);
  const api = settings ? new FeishuApi({ appId: settings.appId, appSecret: settings.appSecret, domain: settings.domain, ...opts.api }) : null;
  return {
    id: 'feishu',
    label: '飞书',
    api,
    settings,
    missing,
    ackBudgetMs: ACK_BUDGET_MS,
    lateHandleTtlMs: LATE_TTL_MS,
    // PATCH /im/v1/messages works on messages at most 14 days old.
    limits: { cardBytes: 30_000, updateWindowMs: 14 * 24 * 3600_000 },
    mentionToken: FEISHU_MENTION,
    production: settings !== null,
    mount(app, host) {
      app.post('/webhooks/feishu', feishuWebhook({ feishu: settings, missing, host }));
    },
    warnings() {
      if (!settings) {
        return [`Feishu is not configured: missing ${missing.join(', ')}. POST /webhooks/feishu answers 503 until they are set (README: "Feishu app setup").`];
      }
      if (settings.mode === 'ws') {
        return settings.verificationToken
          ? []
          : ['FEISHU_MODE=ws without FEISHU_VERIFICATION_TOKEN: events arrive over the long connection; POST /webhooks/feishu refuses every request.'];
      }
      if (!settings.encryptKey) {
        return [
          'FEISHU_ENCRYPT_KEY is not set: requests are checked by verification token only, without a signature. Set an Encrypt Key in the Feishu console.',
        ];
      }
      return [];
    },
  };
}

export const feishuPlugin: PlatformPlugin = {
  id: 'feishu',
  production: (config) => parseFeishuConfig(config.env).settings !== null,
  create: (config, env) => feishuAdapter(config, env.http ? { api: { http: env.http } } : {}),
};
