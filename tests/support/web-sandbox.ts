// The sandbox in-process for edge tests: the same env, deps and app `npm start` builds without
// credentials, over a temp database file, with a cookie jar per visitor.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../bot/app.js';
import { adjustableClock } from '../../bot/clock.js';
import { parseConfig } from '../../bot/config.js';
import { memoryLogger } from '../../bot/log.js';
import { sandboxEnv } from '../../bot/platforms/web/sandbox/setup.js';
import { buildDeps } from '../../bot/runtime.js';
import type { Database } from '../../db/client.js';
import { openMigratedDatabase } from '../../db/open-node.js';

export interface Visitor {
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  post(path: string, fields: Record<string, string>, headers?: Record<string, string>): Promise<Response>;
  /** The CSRF token on the last page this visitor loaded. */
  csrf(): string;
  lastPage(): string;
}

export interface WebSandbox {
  database: Database;
  secrets: { link: string };
  logLines: string[];
  visitor(): Visitor;
  idle(): Promise<void>;
  close(): Promise<void>;
}

export async function startWebSandbox(): Promise<WebSandbox> {
  const dir = mkdtempSync(join(tmpdir(), 'web-sandbox-'));
  const env = sandboxEnv({ SANDBOX_DATABASE: join(dir, 'sandbox.db') });
  const config = parseConfig(env);
  const database = await openMigratedDatabase(config.databaseUrl);
  const log = memoryLogger();
  const deps = buildDeps(config, database.db, log, { sandbox: true, clock: adjustableClock() });
  const app = createApp(deps);
  const idle = async () => {
    for (let i = 0; i < 3; i++) {
      await deps.background.idle();
      await deps.sender?.idle();
    }
  };
  return {
    database,
    secrets: { link: env.WEB_LINK_SECRET! },
    logLines: log.lines,
    idle,
    visitor() {
      const jar = new Map<string, string>();
      let page = '';
      const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
      const keep = (res: Response) => {
        for (const line of res.headers.getSetCookie()) {
          const [pair] = line.split(';');
          const [k, ...v] = pair!.split('=');
          if (/Max-Age=0|expires=Thu, 01 Jan 1970/i.test(line)) jar.delete(k!);
          else jar.set(k!, v.join('='));
        }
        return res;
      };
      const self: Visitor = {
        async get(path, headers = {}) {
          const res = keep(await app.request(path, { headers: { cookie: cookie(), ...headers } }));
          page = await res.clone().text();
          return res;
        },
        async post(path, fields, headers = {}) {
          return keep(
            await app.request(path, {
              method: 'POST',
              body: new URLSearchParams(fields).toString(),
              headers: { 'content-type': 'application/x-www-form-urlencoded', host: 'localhost', cookie: cookie(), ...headers },
            }),
          );
        },
        csrf: () => /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '',
        lastPage: () => page,
      };
      return self;
    },
    async close() {
      await idle();
      await deps.sender?.stop(1000);
      database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The hidden fields of the first card form on a page, as the browser would post them. */
export function formFields(html: string): Record<string, string> {
  const form = html.slice(html.indexOf('class="card-form"'));
  const end = form.indexOf('</form>');
  const out: Record<string, string> = {};
  for (const m of form.slice(0, end).matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) {
    out[m[1]!] = m[2]!.replace(/&quot;/g, '"').replace(/&amp;/g, '&');
  }
  return out;
}

/** Every card form and button on a page with its hidden fields. */
export function postedForms(html: string): Array<{ fields: Record<string, string> }> {
  return [...html.matchAll(/<form method="post" action="\/sandbox\/act"[^>]*>([\s\S]*?)<\/form>/g)].map((m) => {
    const fields: Record<string, string> = {};
    for (const h of m[1]!.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g))
      fields[h[1]!] = h[2]!.replace(/&quot;/g, '"').replace(/&amp;/g, '&');
    return { fields };
  });
}

/** "YYYY-MM-DDTHH:MM" in the campaign's time zone, as the datetime-local control takes it. */
export function localInput(at: Date): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Asia/Shanghai',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}
