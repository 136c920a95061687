// The semester re-check hook at scale (`npx tsx tests/bench/recheck.ts`): 10,000 members in 100 branches,
// a finished model-post campaign that awarded BENCH_HELD posts (default 500), 10 committee members, and the
// clock inside a re-check window. Times the hook's first run (opens the re-checks, enqueues the forms)
// and then runs with nothing due (what it adds to every tick), in a temp-file libSQL database.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { eq } from 'drizzle-orm';
import { parseConfig } from '../../bot/config.js';
import { findTemplate } from '../../bot/campaign/templates/index.js';
import { createCampaign } from '../../bot/engine/store.js';
import { memoryLogger } from '../../bot/log.js';
import type { TickDeps } from '../../bot/schedule.js';
import type { PlatformApi } from '../../bot/types.js';
import { runBatch } from '../../db/client.js';
import { openMigratedDatabase } from '../../db/open-node.js';
import { branches, campaignPhases, campaigns, leaderLinks, members, outbox, postDeclarations } from '../../db/schema.js';
import { recheckHook } from '../../handlers/posts/capability.js';
import { countStatements, envNumber, fmt } from './instrument.js';

const MEMBERS = envNumber('BENCH_MEMBERS', 10_000, 100, 100_000);
const HELD = envNumber('BENCH_HELD', 500, 1, 10_000);
const BRANCHES = 100;
const GOAL_NOOP_MS = 50;

const dir = mkdtempSync(join(tmpdir(), 'bench-recheck-'));
const url = `file:${join(dir, 'bench.db')}`;
try {
  const database = await openMigratedDatabase(url);
  const { db } = database;
  const sql = countStatements(database.client);
  const platform = 'feishu';
  const tenantKey = 't';
  const branchIds = (
    await db
      .insert(branches)
      .values(Array.from({ length: BRANCHES }, (_, b) => ({ platform, tenantKey, name: `后勤第${b + 1}党支部`, chatId: `oc_${b}` })))
      .returning({ id: branches.id })
  ).map((b) => b.id);
  const people = Array.from({ length: MEMBERS }, (_, i) => ({
    platform,
    tenantKey,
    userId: `ou_${i}`,
    name: `党员${i}`,
    branchId: branchIds[i % BRANCHES]!,
    role: i < BRANCHES ? ('secretary' as const) : ('member' as const),
  }));
  for (let i = 0; i < people.length; i += 500) await db.insert(members).values(people.slice(i, i + 500));
  const leaders = await db
    .insert(members)
    .values(Array.from({ length: 10 }, (_, i) => ({ platform, tenantKey, userId: `ou_leader_${i}`, name: `委员${i}`, role: 'leader' as const })))
    .returning({ id: members.id });
  await db.insert(leaderLinks).values(branchIds.map((branchId, b) => ({ leaderId: leaders[b % leaders.length]!.id, branchId })));
  const { campaign } = await createCampaign(db, {
    platform,
    tenantKey,
    template: findTemplate('示范岗')!.template,
    startsOn: '2026-09-01',
    timezone: 'Asia/Shanghai',
    createdBy: 'bench',
    now: new Date('2026-08-20T00:00:00Z'),
  });
  await db.update(campaigns).set({ status: 'finished' }).where(eq(campaigns.id, campaign.id));
  const [declare] = await db.select().from(campaignPhases).where(eq(campaignPhases.kind, 'declare'));
  const ids = (await db.select({ id: members.id, branchId: members.branchId }).from(members).where(eq(members.role, 'member'))).slice(0, HELD * 2);
  const awardedAt = new Date('2027-07-01T00:00:00Z');
  const rows = ids.map((m, i) => ({
    campaignId: campaign.id,
    phaseId: declare!.id,
    memberId: m.id,
    branchId: m.branchId,
    postKind: '服务育人示范岗',
    statement: '申报说明',
    updatedAt: awardedAt,
    ...(i % 2 === 0 ? { awardedAt, awardedBy: 'bench' } : {}),
  }));
  for (let i = 0; i < rows.length; i += 500) await runBatch(db, [db.insert(postDeclarations).values(rows.slice(i, i + 500))]);

  const api = { platform } as PlatformApi;
  const deps: TickDeps = {
    db,
    log: memoryLogger(),
    apis: [api],
    config: parseConfig({ DATABASE_URL: url }),
    timezone: 'Asia/Shanghai',
  };
  // 2027-2028 第一学期's re-check window (default 2027-12-19 – 2028-01-15).
  const now = new Date('2027-12-20T02:00:00Z');
  const time = async (at = now) => {
    sql.reset();
    const t0 = performance.now();
    await recheckHook(deps, at, []);
    return { ms: performance.now() - t0, statements: sql.statements };
  };
  const first = await time();
  const queued = (await db.select({ key: outbox.dedupeKey }).from(outbox)).length;
  const noop: Array<{ ms: number; statements: number }> = [];
  for (let i = 0; i < 10; i++) noop.push(await time());
  const outside: number[] = [];
  // Between windows (the campaign's own 每学期考核, used for this re-check, closed long before).
  for (let i = 0; i < 10; i++) outside.push((await time(new Date('2028-03-20T02:00:00Z'))).ms);
  outside.sort((a, b) => a - b);
  const sorted = noop.map((n) => n.ms).sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  console.log(`re-check hook: ${MEMBERS} members, ${HELD} held posts, 10 committee members (${url.replace(dir, '<tmp>')})`);
  console.log(`  first run (opens ${HELD} re-checks, enqueues ${queued} forms): ${fmt(first.ms)} ms, ${first.statements} SQL statements`);
  console.log(`  nothing due: median ${fmt(median)} ms, max ${fmt(sorted.at(-1)!)} ms, ${noop[0]!.statements} SQL statements per run`);
  console.log(`  outside a re-check window: median ${fmt(outside[5]!)} ms`);
  console.log(`  goal: nothing due < ${GOAL_NOOP_MS} ms (a quarter of the 200 ms tick) — ${median < GOAL_NOOP_MS ? 'met' : 'MISSED'}`);
  database.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
