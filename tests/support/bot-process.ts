// The production server as a child process: the built JavaScript (dist/, see tests/support/build.ts)
// started with node or through `npm start`, talking to the fake Feishu Open API.
import { join } from 'node:path';
import { start, stop, waitFor, root, type Proc } from './processes.js';
import { TEST_APP, wire } from './feishu-wire.js';
import { freePort } from './processes.js';

export interface BotProcess extends Proc {
  url: string;
  /** POSTs a payload to /webhooks/feishu, encrypted and signed as Feishu would, now. */
  deliver(payload: unknown): Promise<Response>;
  stop(): Promise<void>;
}

export interface BotProcessOptions {
  databaseUrl: string;
  fakeUrl: string;
  admins?: string[];
  /** Start through `npm start` (its incremental build finds dist/ up to date and writes nothing). */
  viaNpm?: boolean;
  env?: Record<string, string>;
}

export const ENTRY = join(root, 'dist/bot/entry-node.js');

export async function startBotProcess(opts: BotProcessOptions): Promise<BotProcess> {
  const port = await freePort();
  const env = {
    ...process.env,
    PORT: String(port),
    DATABASE_URL: opts.databaseUrl,
    FEISHU_APP_ID: TEST_APP.appId,
    FEISHU_APP_SECRET: TEST_APP.appSecret,
    FEISHU_VERIFICATION_TOKEN: TEST_APP.verificationToken,
    FEISHU_ENCRYPT_KEY: TEST_APP.encryptKey,
    FEISHU_DOMAIN: opts.fakeUrl,
    BOT_ADMINS: (opts.admins ?? ['ou_admin']).join(','),
    REVIEW_SECRET: 'test-review-secret',
    LOG_LEVEL: 'info',
    ...opts.env,
  };
  const proc = opts.viaNpm ? start('npm', ['start', '--silent'], env) : start(process.execPath, [ENTRY], env);
  const url = `http://127.0.0.1:${port}`;
  await waitFor('the bot to listen', () => proc.output().includes('"listening on'), 20_000, proc);
  return {
    ...proc,
    url,
    deliver: (payload) => {
      const { body, headers } = wire(payload);
      return fetch(`${url}/webhooks/feishu`, { method: 'POST', body, headers });
    },
    stop: () => stop(proc),
  };
}
