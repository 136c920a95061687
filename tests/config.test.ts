import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configWarnings, parseConfig, requireReviewSecret } from '../bot/config.js';
import { ConfigError, VerificationError } from '../bot/errors.js';
import { feishuAdapter } from '../bot/platforms/feishu/adapter.js';
import { parseFeishuConfig } from '../bot/platforms/feishu/config.js';
import { readFeishuRequest } from '../bot/platforms/feishu/webhook.js';
import { sandboxEnv } from '../bot/platforms/web/sandbox/setup.js';
import { sandboxMode } from '../bot/runtime.js';
import { dockerNodeFlags, startNodeFlags } from './support/start-flags.js';

describe('parseConfig', () => {
  it('starts with defaults and no credentials, naming what is missing', () => {
    const config = parseConfig({});
    expect(config).toMatchObject({ port: 3000, databaseUrl: 'file:./data/bot.db', timezone: 'Asia/Shanghai', reviewSecret: null });
    const feishu = feishuAdapter(config);
    expect(feishu.api).toBeNull();
    expect(feishu.missing).toEqual(['FEISHU_APP_ID', 'FEISHU_APP_SECRET', 'FEISHU_VERIFICATION_TOKEN']);
    expect(feishu.warnings().join('\n')).toContain('missing FEISHU_APP_ID, FEISHU_APP_SECRET, FEISHU_VERIFICATION_TOKEN');
  });

  it.each([
    ['PORT', { PORT: 'eighty' }],
    ['PORT', { PORT: '70000' }],
    ['DATABASE_URL', { DATABASE_URL: 'postgres://x' }],
    ['TZ_CAMPAIGN', { TZ_CAMPAIGN: 'Mars/Olympus' }],
    ['FEISHU_DOMAIN', { FEISHU_DOMAIN: 'not a url' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }],
    ['REVIEW_MIN_BALLOTS', { REVIEW_MIN_BALLOTS: '0' }],
  ])('fails fast naming %s', (name, env) => {
    try {
      parseFeishuConfig(parseConfig(env).env);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).variable).toBe(name);
      expect((err as Error).message.startsWith(`${name}:`)).toBe(true);
    }
  });

  it('reads Feishu settings and a comma list of admins', () => {
    const config = parseConfig({
      FEISHU_APP_ID: 'cli_x',
      FEISHU_APP_SECRET: 's',
      FEISHU_VERIFICATION_TOKEN: 'v',
      FEISHU_DOMAIN: 'https://open.larksuite.com/',
      BOT_ADMINS: 'ou_1, ou_2，ou_3',
    });
    expect(parseFeishuConfig(config.env).settings).toEqual({
      appId: 'cli_x',
      appSecret: 's',
      verificationToken: 'v',
      encryptKey: null,
      domain: 'https://open.larksuite.com',
      mode: 'webhook',
    });
    expect([...config.admins]).toEqual(['feishu:ou_1', 'feishu:ou_2', 'feishu:ou_3']);
    expect(configWarnings(config).join('\n')).toContain('ou_1, ou_2, ou_3 read as Feishu ids');
    expect(feishuAdapter(config).warnings().join('\n')).toContain('FEISHU_ENCRYPT_KEY is not set');
  });

  it('scopes admins by platform and keeps scoped entries as written', () => {
    const config = parseConfig({ BOT_ADMINS: 'feishu:ou_1,dingtalk:0912,web:c1' });
    expect([...config.admins]).toEqual(['feishu:ou_1', 'dingtalk:0912', 'web:c1']);
    expect(configWarnings(config)).toEqual([]);
  });

  it('needs no FEISHU_VERIFICATION_TOKEN in long-connection mode, where the webhook then refuses every request', () => {
    const ws = feishuAdapter(parseConfig({ FEISHU_APP_ID: 'cli_x', FEISHU_APP_SECRET: 's', FEISHU_MODE: 'ws' }));
    expect(ws.missing).toEqual([]);
    expect(ws.settings).toMatchObject({ mode: 'ws', verificationToken: null });
    expect(ws.warnings().join('\n')).toContain('POST /webhooks/feishu refuses every request');
    const challenge = JSON.stringify({ challenge: 'c', token: 'anything', type: 'url_verification' });
    expect(() => readFeishuRequest(challenge, { timestamp: undefined, nonce: undefined, signature: undefined }, ws.settings!, new Date())).toThrow(
      VerificationError,
    );
    // The webhook mode still needs it.
    expect(feishuAdapter(parseConfig({ FEISHU_APP_ID: 'cli_x', FEISHU_APP_SECRET: 's' })).missing).toEqual(['FEISHU_VERIFICATION_TOKEN']);
  });

  it('requires REVIEW_SECRET once a platform is configured (no key derived from an app secret)', () => {
    const config = parseConfig({ FEISHU_APP_ID: 'cli_x', FEISHU_APP_SECRET: 's', FEISHU_VERIFICATION_TOKEN: 'v' });
    expect(config.reviewSecret).toBeNull();
    expect(() => requireReviewSecret(config, ['feishu'])).toThrow(/REVIEW_SECRET: is required/);
    expect(() => requireReviewSecret(config, [])).not.toThrow();
  });
});

describe('the sandbox', () => {
  const FEISHU = { FEISHU_APP_ID: 'cli_x', FEISHU_APP_SECRET: 's', FEISHU_VERIFICATION_TOKEN: 'v', REVIEW_SECRET: 'r' };

  it('is on with no platform and no database configured, off once either is, and as SANDBOX says', () => {
    expect(sandboxMode(parseConfig({}))).toBe(true);
    expect(sandboxMode(parseConfig(FEISHU))).toBe(false);
    expect(sandboxMode(parseConfig({ DATABASE_URL: 'file:./data/prod.db' }))).toBe(false);
    expect(sandboxMode(parseConfig({ SANDBOX: '0' }))).toBe(false);
    expect(sandboxMode(parseConfig({ ...FEISHU, SANDBOX: '1' }))).toBe(true);
  });

  it('runs on its own file with its own keys and the demo committee as admins, and refuses a configured database', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-env-'));
    const path = join(dir, 'sandbox.db');
    const env = sandboxEnv({ SANDBOX_DATABASE: path, BOT_ADMINS: 'feishu:ou_1' });
    expect(env.DATABASE_URL).toBe(`file:${path}`);
    expect(env.REVIEW_SECRET).toMatch(/^[0-9a-f]{64}$/);
    expect(env.WEB_LINK_SECRET).toMatch(/^[0-9a-f]{64}$/);
    expect(env.WEB_LINK_SECRET).not.toBe(env.REVIEW_SECRET);
    expect([...parseConfig(env).admins]).toEqual(['feishu:ou_1', 'web:c1', 'web:c2']);
    // Generated once, kept beside the file (not in it): the next start signs with the same keys.
    expect(sandboxEnv({ SANDBOX_DATABASE: path }).WEB_LINK_SECRET).toBe(env.WEB_LINK_SECRET);
    expect(existsSync(`${path}.keys.json`)).toBe(true);
    expect(() => sandboxEnv({ SANDBOX_DATABASE: path, DATABASE_URL: 'file:./data/bot.db' })).toThrow(
      /DATABASE_URL: is set, and the sandbox never runs on a configured database/,
    );
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('how node runs the bot', () => {
  it('the Dockerfile runs node with the flags of npm start (the scheduler bench measures those)', () => {
    expect(startNodeFlags()).toContain('--max-semi-space-size=8');
    expect(dockerNodeFlags()).toEqual(startNodeFlags());
  });
});
