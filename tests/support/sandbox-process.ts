// The sandbox as a newcomer starts it: the built server with no platform credentials and no
// DATABASE_URL, on its own database file (here in a temp folder).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type Client } from '@libsql/client';
import { ENTRY } from './bot-process.js';
import { freePort, start, stop, waitFor, type Proc } from './processes.js';

export interface SandboxProcess extends Proc {
  url: string;
  /** A second, read-only look at the sandbox's database. */
  read(): Client;
  stop(): Promise<void>;
}

export async function startSandbox(): Promise<SandboxProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-'));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), SANDBOX_DATABASE: join(dir, 'sandbox.db'), LOG_LEVEL: 'info' };
  for (const name of Object.keys(env)) if (/^(FEISHU_|DINGTALK_|DATABASE_URL|REVIEW_SECRET|WEB_LINK_SECRET|SANDBOX$|BOT_ADMINS)/.test(name)) delete env[name];
  const proc = start(process.execPath, [ENTRY], env);
  await waitFor('the sandbox to listen', () => proc.output().includes('"listening on'), 20_000, proc);
  let client: Client | null = null;
  return {
    ...proc,
    url: `http://127.0.0.1:${port}`,
    read: () => (client ??= createClient({ url: `file:${join(dir, 'sandbox.db')}` })),
    stop: async () => {
      client?.close();
      await stop(proc);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
