// Environment (Node) or bindings (Workers) -> typed Config, validated once. A bad value names itself.
import { ConfigError } from './errors.js';
import type { LogLevel } from './log.js';

export interface Config {
  port: number;
  databaseUrl: string;
  databaseAuthToken: string | null;
  /** Administrators as "platform:userId" (a bare Feishu open_id is read as "feishu:…"). */
  admins: ReadonlySet<string>;
  timezone: string;
  logLevel: LogLevel;
  /** Key of the rater hashes on anonymous ballots; never stored in the database. */
  reviewSecret: string | null;
  /** A member's peer-review results are shown only from this many ballots on. */
  reviewMinBallots: number;
  /** Lines for the operator about settings read leniently (bare admin ids). */
  notices: string[];
  /** The raw environment: each platform adapter reads its own section from it. */
  env: Readonly<EnvRecord>;
}

export type EnvRecord = Record<string, string | undefined>;

const LOG_LEVELS: LogLevel[] = ['debug', 'info', 'warn', 'error'];
const DB_SCHEMES = ['file:', 'libsql:', 'http:', 'https:', 'ws:', 'wss:'];

export function value(env: EnvRecord, name: string): string | undefined {
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

function parseLogLevel(raw: string | undefined): LogLevel {
  const level = (raw ?? 'info') as LogLevel;
  if (!LOG_LEVELS.includes(level)) {
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}, got "${raw}"`);
  }
  return level;
}

/** Entries "feishu:ou_x", "dingtalk:123"; a bare "ou_…" is a Feishu id (accepted, with a notice). */
function parseAdmins(raw: string | undefined, notices: string[]): Set<string> {
  const out = new Set<string>();
  const bare: string[] = [];
  for (const entry of (raw ?? '').split(/[,，\s]+/).filter(Boolean)) {
    const scoped = /^([a-z]+):(.+)$/.exec(entry);
    if (scoped) out.add(entry);
    else {
      bare.push(entry);
      out.add(`feishu:${entry}`);
    }
  }
  if (bare.length) notices.push(`BOT_ADMINS: ${bare.join(', ')} read as Feishu ids; write them as feishu:<open_id>.`);
  return out;
}

export function parseConfig(env: EnvRecord): Config {
  const notices: string[] = [];
  return {
    port: parsePort(value(env, 'PORT')),
    databaseUrl: parseDatabaseUrl(value(env, 'DATABASE_URL')),
    databaseAuthToken: value(env, 'DATABASE_AUTH_TOKEN') ?? null,
    admins: parseAdmins(value(env, 'BOT_ADMINS'), notices),
    timezone: parseTimezone(value(env, 'TZ_CAMPAIGN')),
    logLevel: parseLogLevel(value(env, 'LOG_LEVEL')),
    reviewSecret: value(env, 'REVIEW_SECRET') ?? null,
    reviewMinBallots: parseMinBallots(value(env, 'REVIEW_MIN_BALLOTS')),
    notices,
    env: Object.freeze({ ...env }),
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

/** Whether `platform:userId` is a configured administrator. */
export function isConfiguredAdmin(config: Config, platform: string, userId: string): boolean {
  return config.admins.has(`${platform}:${userId}`);
}

/** Start-up lines that tell the operator what is missing; empty when all is set. */
export function configWarnings(config: Config): string[] {
  const warnings = [...config.notices];
  if (config.admins.size === 0) warnings.push('BOT_ADMINS is empty: nobody can /bind chats or assign roles yet.');
  return warnings;
}

/** Once a real platform is on, anonymous ballots need a key of their own (not derived from any app secret). */
export function requireReviewSecret(config: Config, production: string[]): void {
  if (production.length && !config.reviewSecret) {
    throw new ConfigError(
      'REVIEW_SECRET',
      `is required once a platform is configured (${production.join(', ')}): it keys the anonymous ballots. Generate one with: openssl rand -hex 32`,
    );
  }
}
