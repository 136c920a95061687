// Bench child for the survey: the real app as a sandbox-free Node process would build it (web adapter
// with a link key, embedded libSQL in a temp file), one open survey of a branch, and the bare insert
// route on another port with the same database settings.
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createApp } from '../../bot/app.js';
import { parseConfig } from '../../bot/config.js';
import { memoryLogger } from '../../bot/log.js';
import { buildDeps } from '../../bot/runtime.js';
import { openMigratedDatabase } from '../../db/open-node.js';
import { branches, processedEvents } from '../../db/schema.js';
import { openSurvey } from '../../handlers/survey/store.js';
import { surveyPages } from '../../bot/platforms/web/survey-routes.js';
import { RATE_RULE } from '../../handlers/survey/results.js';
import { serveRpc } from './ipc.js';

export interface SurveyServerReady {
  port: number;
  barePort: number;
  path: string;
  surveyId: number;
}

const dir = process.env.BENCH_DIR;
const secret = process.env.BENCH_LINK_SECRET;
if (!dir || !secret) throw new Error('BENCH_DIR and BENCH_LINK_SECRET must be set');

const config = parseConfig({
  DATABASE_URL: `file:${join(dir, 'survey.db')}`,
  WEB_LINK_SECRET: secret,
  REVIEW_SECRET: 'bench-review-secret',
  // Each simulated phone sends its own address; the per-network limit is tested on its own.
  TRUST_PROXY: '1',
  SURVEY_NETWORK_LIMIT: '1000000',
  LOG_LEVEL: 'warn',
});
const database = await openMigratedDatabase(config.databaseUrl);
const deps = buildDeps(config, database.db, memoryLogger());
const app = createApp(deps);
const [branch] = await database.db.insert(branches).values({ platform: 'web', tenantKey: 'bench', name: '后勤第一党支部', chatId: 'g1' }).returning();
const survey = await openSurvey(database.db, 'bench-review-secret', {
  platform: 'web',
  tenantKey: 'bench',
  branchId: branch!.id,
  campaignId: null,
  phaseId: null,
  title: '食堂服务满意度测评',
  mode: 'open',
  codes: 0,
  criteria: ['服务态度', '服务质量', '办事效率'],
  threshold: 90,
  minSample: 30,
  rateRule: RATE_RULE,
  openedBy: 'bench',
  now: new Date(),
});

const bareDatabase = await openMigratedDatabase(`file:${join(dir, 'bare.db')}`);
const bare = new Hono();
let bareSeq = 0;
bare.post('/bare', async (c) => {
  await c.req.parseBody();
  bareSeq += 1;
  const rows = await bareDatabase.db
    .insert(processedEvents)
    .values({ eventId: `bare_${process.pid}_${bareSeq}`, platform: 'web', receivedAt: new Date() })
    .onConflictDoNothing()
    .returning({ eventId: processedEvents.eventId });
  return c.json({ ok: rows.length > 0 });
});

const listen = (fetch: (req: Request) => Response | Promise<Response>) =>
  new Promise<number>((resolve) => {
    serve({ fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) => resolve(info.port));
  });

const port = await listen(app.fetch);
const barePort = await listen(bare.fetch);
serveRpc(
  {
    async answers() {
      const rows = await database.client.execute('SELECT count(*) AS n FROM survey_answers');
      return Number(rows.rows[0]!.n);
    },
  },
  { port, barePort, path: surveyPages(secret, null).surveyUrl(survey.id), surveyId: survey.id } satisfies SurveyServerReady,
);
