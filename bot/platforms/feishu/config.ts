// The Feishu section of the environment: FEISHU_* variables -> settings, or the names still missing.
import { ConfigError } from '../../errors.js';
import { value, type EnvRecord } from '../../config.js';

export interface FeishuConfig {
  appId: string;
  appSecret: string;
  /** Checked on webhook requests; a long connection (ws) is authenticated by the app secret and needs none. */
  verificationToken: string | null;
  encryptKey: string | null;
  domain: string;
  /** webhook: Feishu posts to /webhooks/feishu; ws: the SDK's long connection (Node only, no public URL). */
  mode: 'webhook' | 'ws';
}

export const FEISHU_DEFAULT_DOMAIN = 'https://open.feishu.cn';
const REQUIRED = ['FEISHU_APP_ID', 'FEISHU_APP_SECRET', 'FEISHU_VERIFICATION_TOKEN'] as const;
/** In long-connection mode events carry no token: only the app's credentials are needed. */
const REQUIRED_WS = ['FEISHU_APP_ID', 'FEISHU_APP_SECRET'] as const;

function parseDomain(raw: string | undefined): string {
  const domain = raw ?? FEISHU_DEFAULT_DOMAIN;
  let parsed: URL;
  try {
    parsed = new URL(domain);
  } catch {
    throw new ConfigError('FEISHU_DOMAIN', `must be a URL like ${FEISHU_DEFAULT_DOMAIN}, got "${domain}"`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new ConfigError('FEISHU_DOMAIN', `must be an http(s) URL, got "${domain}"`);
  }
  return domain.replace(/\/+$/, '');
}

function parseMode(raw: string | undefined): 'webhook' | 'ws' {
  const mode = raw ?? 'webhook';
  if (mode !== 'webhook' && mode !== 'ws') throw new ConfigError('FEISHU_MODE', `must be webhook or ws, got "${mode}"`);
  return mode;
}

export function parseFeishuConfig(env: EnvRecord): { settings: FeishuConfig | null; missing: string[] } {
  const domain = parseDomain(value(env, 'FEISHU_DOMAIN'));
  const mode = parseMode(value(env, 'FEISHU_MODE'));
  const missing = (mode === 'ws' ? REQUIRED_WS : REQUIRED).filter((name) => !value(env, name));
  if (missing.length) return { settings: null, missing: [...missing] };
  return {
    settings: {
      appId: value(env, 'FEISHU_APP_ID')!,
      appSecret: value(env, 'FEISHU_APP_SECRET')!,
      verificationToken: value(env, 'FEISHU_VERIFICATION_TOKEN') ?? null,
      encryptKey: value(env, 'FEISHU_ENCRYPT_KEY') ?? null,
      domain,
      mode,
    },
    missing: [],
  };
}
