// Node: what makes a process the sandbox. Its own database file, keys generated once and kept in a
// file beside it (never in the database), the demo committee as administrators.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError } from '../../../errors.js';
import type { EnvRecord } from '../../../config.js';
import { DEMO_ADMINS } from './demo-org.js';

export const SANDBOX_DATABASE = './data/sandbox.db';

interface SandboxKeys {
  reviewSecret: string;
  linkSecret: string;
}

function keysBeside(dbPath: string): SandboxKeys {
  const file = `${dbPath}.keys.json`;
  if (existsSync(file)) {
    const keys = JSON.parse(readFileSync(file, 'utf8')) as Partial<SandboxKeys>;
    if (keys.reviewSecret && keys.linkSecret) return keys as SandboxKeys;
  }
  const keys = { reviewSecret: randomBytes(32).toString('hex'), linkSecret: randomBytes(32).toString('hex') };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(keys)}\n`, { mode: 0o600 });
  return keys;
}

/** The environment of a sandbox process; refuses a configured database (the sandbox must not touch real data). */
export function sandboxEnv(env: EnvRecord): EnvRecord {
  if (env.DATABASE_URL?.trim()) {
    throw new ConfigError(
      'DATABASE_URL',
      'is set, and the sandbox never runs on a configured database. Unset it to try the sandbox (it keeps its own data/sandbox.db), or set SANDBOX=0.',
    );
  }
  const path = env.SANDBOX_DATABASE?.trim() || SANDBOX_DATABASE;
  const keys = keysBeside(path);
  return {
    ...env,
    DATABASE_URL: `file:${path}`,
    REVIEW_SECRET: env.REVIEW_SECRET?.trim() || keys.reviewSecret,
    WEB_LINK_SECRET: env.WEB_LINK_SECRET?.trim() || keys.linkSecret,
    BOT_ADMINS: [env.BOT_ADMINS ?? '', ...DEMO_ADMINS].filter(Boolean).join(','),
    // Read by the web adapter: the sandbox's relative links are opened in its own pages.
    SANDBOX_ACTIVE: '1',
  };
}
