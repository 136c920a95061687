// Environment (Node) or bindings (Workers) -> typed Config, validated once. A bad value names itself.
import { ConfigError } from './errors.js';
import type { LogLevel } from './log.js';

export interface FeishuConfig {
  appId: string;
  appSecret: string;
  verificationToken: string;
  encryptKey: string | null;
  domain: string;
}

export interface Config {
  port: number;
  databaseUrl: string;
  databaseAuthToken: string | null;
  feishu: FeishuConfig | null;
  /** Names of the Feishu variables still unset; empty when Feishu is configured. */
  feishuMissing: string[];
  admins: ReadonlySet<string>;
  timezone: string;
  logLevel: LogLevel;
  /** Key of the rater hashes on anonymous ballots; never stored in the database. */
  reviewSecret: string | null;
  /** A member's peer-review results are shown only from this many ballots on. */
  reviewMinBallots: number;
}

export type EnvRecord = Record<string, string | undefined>;

export const FEISHU_DEFAULT_DOMAIN = 'https://open.feishu.cn';
const FEISHU_REQUIRED = ['FEISHU_APP_ID', 'FEISHU_APP_SECRET', 'FEISHU_VERIFICATION_TOKEN'] as const;
const LOG_LEVELS: LogLevel[] = ['debug', 'info', 'warn', 'error'];
const DB_SCHEMES = ['file:', 'libsql:', 'http:', 'https:', 'ws:', 'wss:'];

function value(env: EnvRecord, name: string): string | undefined {
  const v = env[name]?.trim();
  return v ? v : undefined;
}

function parsePort(raw: string | undefined): number {
  if (raw === undefined) return 3000;
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 1 || port > 65535) {
    throw new ConfigError('PORT', `must be a whole number from 1 to 65535, got "${raw}"`);
  }
  return port;
}

function parseDatabaseUrl(raw: string | undefined): string {
  const url = raw ?? 'file:./data/bot.db';
  if (url !== ':memory:' && !DB_SCHEMES.some((s) => url.startsWith(s))) {
    throw new ConfigError('DATABASE_URL', `must start with one of ${DB_SCHEMES.join(' ')} (or be :memory:), got "${url}"`);
  }
  return url;
}

function parseTimezone(raw: string | undefined): string {
  const tz = raw ?? 'Asia/Shanghai';
  try {
    new Intl.DateTimeFormat('zh-CN', { timeZone: tz });
  } catch {
    throw new ConfigError('TZ_CAMPAIGN', `is not an IANA time zone (like Asia/Shanghai), got "${tz}"`);
  }
  return tz;
}

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

function parseLogLevel(raw: string | undefined): LogLevel {
  const level = (raw ?? 'info') as LogLevel;
  if (!LOG_LEVELS.includes(level)) {
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}, got "${raw}"`);
  }
  return level;
}

function parseAdmins(raw: string | undefined): Set<string> {
  return new Set((raw ?? '').split(/[,，\s]+/).filter(Boolean));
}

export function parseConfig(env: EnvRecord): Config {
  const feishuMissing = FEISHU_REQUIRED.filter((name) => !value(env, name));
  const domain = parseDomain(value(env, 'FEISHU_DOMAIN'));
  const feishu: FeishuConfig | null =
    feishuMissing.length > 0
      ? null
      : {
          appId: value(env, 'FEISHU_APP_ID')!,
          appSecret: value(env, 'FEISHU_APP_SECRET')!,
          verificationToken: value(env, 'FEISHU_VERIFICATION_TOKEN')!,
          encryptKey: value(env, 'FEISHU_ENCRYPT_KEY') ?? null,
          domain,
        };
  return {
    port: parsePort(value(env, 'PORT')),
    databaseUrl: parseDatabaseUrl(value(env, 'DATABASE_URL')),
    databaseAuthToken: value(env, 'DATABASE_AUTH_TOKEN') ?? null,
    feishu,
    feishuMissing: [...feishuMissing],
    admins: parseAdmins(value(env, 'BOT_ADMINS')),
    timezone: parseTimezone(value(env, 'TZ_CAMPAIGN')),
    logLevel: parseLogLevel(value(env, 'LOG_LEVEL')),
    // Without a dedicated secret the app secret keys the hashes: it is configuration, not data.
    reviewSecret: value(env, 'REVIEW_SECRET') ?? (feishu ? `app:${feishu.appSecret}` : null),
    reviewMinBallots: parseMinBallots(value(env, 'REVIEW_MIN_BALLOTS')),
  };
}

function parseMinBallots(raw: string | undefined): number {
  if (raw === undefined) return 3;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > 100) {
    throw new ConfigError('REVIEW_MIN_BALLOTS', `must be a whole number from 1 to 100, got "${raw}"`);
  }
  return n;
}

function hasOwnReviewSecret(config: Config): boolean {
  return config.reviewSecret !== null && !config.reviewSecret.startsWith('app:');
}

/** Start-up lines that tell the operator what is missing; empty when all is set. */
export function configWarnings(config: Config): string[] {
  const warnings: string[] = [];
  if (!config.feishu) {
    warnings.push(
      `Feishu is not configured: missing ${config.feishuMissing.join(', ')}. ` +
        'POST /webhooks/feishu answers 503 until they are set (README: "Feishu app setup").',
    );
  } else if (!config.feishu.encryptKey) {
    warnings.push(
      'FEISHU_ENCRYPT_KEY is not set: requests are checked by verification token only, without a signature. Set an Encrypt Key in the Feishu console.',
    );
  }
  if (config.feishu && !hasOwnReviewSecret(config)) {
    warnings.push('REVIEW_SECRET is not set: anonymous ballots are keyed by FEISHU_APP_SECRET; set a separate secret so rotating the app secret does not affect open review rounds.');
  }
  if (config.admins.size === 0) {
    warnings.push('BOT_ADMINS is empty: nobody can /bind chats or assign roles yet.');
  }
  return warnings;
}
