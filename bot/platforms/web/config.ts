// The web section of the environment: the key of personal links and the address they point to.
import { ConfigError } from '../../errors.js';
import { value, type EnvRecord } from '../../config.js';

export interface WebConfig {
  /** Signs personal links and sandbox sessions; never stored in the database. */
  linkSecret: string | null;
  /** Where people open links, e.g. https://bot.example.edu.cn (links are relative without it). */
  publicUrl: string | null;
  /** Answers one network may post to open surveys per 10 minutes. */
  surveyNetworkLimit: number;
  /** Behind a reverse proxy: read the client address from X-Forwarded-For. */
  trustProxy: boolean;
}

export function parseWebConfig(env: EnvRecord): WebConfig {
  const linkSecret = value(env, 'WEB_LINK_SECRET') ?? null;
  if (linkSecret !== null && linkSecret.length < 16) throw new ConfigError('WEB_LINK_SECRET', 'must be at least 16 characters (openssl rand -hex 32)');
  const publicUrl = value(env, 'PUBLIC_URL') ?? null;
  if (publicUrl !== null && !/^https?:\/\/[^/]+/.test(publicUrl)) throw new ConfigError('PUBLIC_URL', `must be an http(s) URL, got "${publicUrl}"`);
  const rawLimit = value(env, 'SURVEY_NETWORK_LIMIT') ?? '60';
  const surveyNetworkLimit = Number(rawLimit);
  if (!/^\d+$/.test(rawLimit) || surveyNetworkLimit < 1)
    throw new ConfigError('SURVEY_NETWORK_LIMIT', `must be a whole number of at least 1, got "${rawLimit}"`);
  return { linkSecret, publicUrl: publicUrl?.replace(/\/+$/, '') ?? null, surveyNetworkLimit, trustProxy: value(env, 'TRUST_PROXY') === '1' };
}
