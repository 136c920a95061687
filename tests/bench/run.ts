// `npm run bench`: throughput and latency of signed + encrypted Feishu deliveries to POST /webhooks/feishu,
// against a bare Hono route doing one libSQL insert, measured in the same run; then the reminder fan-out
// against Feishu's rate-limit floor (fanout.ts), and peer-review aggregation (review-aggregate.ts).
// BENCH_ONLY=webhook, fanout, review, survey or ledger runs one part (ledger.ts: the 台账 export).
//
// Processes, all on 127.0.0.1: this runner (the load generator), a server child (the real app and the bare
// app, fresh migrated temp-file databases) and a child running the fake Feishu Open API.
// Env: BENCH_SECONDS (measured seconds per workload, default 5), BENCH_WARMUP (default 1),
// BENCH_CONNECTIONS (default 50), BENCH_DRAIN_SECONDS (how long to wait for /help replies, default 15),
// BENCH_CPU_PROF (a folder: one V8 CPU profile of the server per measured workload; profiling slows it).
// Exits non-zero only on a crash; a missed goal is printed, not failed.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { cardActionEvent, messageEvent, wire } from '../support/feishu-wire.js';
import type { FakeCounts, FakeReady } from './fake.js';
import { runFanout } from './fanout.js';
import { runReviewAggregateBench } from './review-aggregate.js';
import { runSurveyBench } from './survey.js';
import { runLedgerBench } from './ledger.js';
import { startChild, type Child } from './ipc.js';
import { agentFor, jsonHeaders, percentile, poolSource, repeatSource, runLoad, type LoadResult, type PreparedRequest, type RequestSource } from './load.js';
import type { ServerReady, ServerStats } from './server.js';
import { envNumber, fmt } from './instrument.js';

const ADMIN = 'ou_admin';
const GOAL_RATIO = 0.6;
const GOAL_P99_MS = 50;
const GOAL_CONNECTIONS = 50;
const POOL_CAP = 80_000;

const SECONDS = envNumber('BENCH_SECONDS', 5, 0.5, 60);
const WARMUP = envNumber('BENCH_WARMUP', 1, 0, 10);
const CONNECTIONS = Math.round(envNumber('BENCH_CONNECTIONS', GOAL_CONNECTIONS, 1, 1000));
const DRAIN_SECONDS = envNumber('BENCH_DRAIN_SECONDS', 15, 0, 120);
const CPU_PROF = process.env.BENCH_CPU_PROF ? resolve(process.env.BENCH_CPU_PROF) : null;
const ONLY = process.env.BENCH_ONLY ?? '';
if (!['', 'webhook', 'fanout', 'review', 'survey', 'ledger'].includes(ONLY))
  throw new Error(`BENCH_ONLY must be webhook, fanout, review, survey or ledger, got "${ONLY}"`);

interface Phase {
  name: string;
  warm: LoadResult;
  main: LoadResult;
  stats: ServerStats;
  clientCpuMs: number;
  cpuPerReqUs: number;
  /** SQL statements the app sent per request (null for the bare route: one insert by construction). */
  sqlPerReq: number | null;
  /** Request bodies pre-built for this workload, and how long that took (outside the timed phase). */
  pool: { size: number; buildMs: number } | null;
}

function toPrepared(w: { body: string; headers: Record<string, string> }): PreparedRequest {
  const body = Buffer.from(w.body, 'utf8');
  return { body, headers: jsonHeaders(body, w.headers) };
}

/** Enough unique deliveries for warm-up + measurement at 1.5x the bare rate (the webhook does strictly more). */
function poolSize(bareRps: number): number {
  const rate = Math.max(bareRps, 1000) * 1.5;
  return Math.min(POOL_CAP, Math.ceil(rate * (SECONDS + WARMUP)) + CONNECTIONS);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

async function runWebhook(): Promise<void> {
  const t0 = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'bot-bench-'));
  const children: Array<Child<unknown>> = [];
  const agent = agentFor(CONNECTIONS);
  const phases: Phase[] = [];
  const profiles: string[] = [];
  if (CPU_PROF) mkdirSync(CPU_PROF, { recursive: true });

  const stopAll = async () => {
    agent.destroy();
    await Promise.allSettled(children.map((c) => c.stop()));
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('SIGINT', () => {
    void stopAll().then(() => process.exit(130));
  });

  const replyLines: Array<[string, string]> = [];
  const findings: string[] = [];

  try {
    const fake = await startChild<FakeReady>(new URL('./fake.ts', import.meta.url), {});
    children.push(fake as Child<unknown>);
    const server = await startChild<ServerReady>(new URL('./server.ts', import.meta.url), {
      BENCH_DIR: dir,
      BENCH_FAKE_URL: fake.ready.url,
      BENCH_ADMIN: ADMIN,
    });
    children.push(server as Child<unknown>);
    const { webhookPort, barePort } = server.ready;
    console.log(
      `bench: node ${process.version}, ${availableParallelism()} cores (${cpus()[0]?.model.trim() ?? '?'}), ` +
        `${CONNECTIONS} connections, ${WARMUP} s warm-up + ${SECONDS} s per workload, loopback; ` +
        `server pid ${server.ready.pid}, fake Open API ${fake.ready.url}`,
    );
    const load = loadavg()[0]!;
    console.log(
      `load average before the run: ${fmt(load, 2)}` +
        (load > 0.5 ? ' (other work is running on this machine: absolute numbers will be noisy; the ratios less so)' : ''),
    );

    async function phase(
      name: string,
      port: number,
      path: string,
      source: RequestSource,
      pool: Phase['pool'],
      extra: { check?: (b: Buffer) => boolean; onSend?: (i: number) => void } = {},
    ): Promise<Phase> {
      const base = { port, path, connections: CONNECTIONS, source, agent, ...extra };
      process.stdout.write(`  ${name}: warm-up…`);
      const warm = await runLoad({ ...base, durationMs: WARMUP * 1000 });
      if (CPU_PROF) await server.call('profileStart');
      await server.call('mark');
      process.stdout.write(' measuring…');
      const cpu0 = process.cpuUsage();
      const measured = await runLoad({ ...base, durationMs: SECONDS * 1000 });
      const clientCpu = process.cpuUsage(cpu0);
      const stats = await server.call<ServerStats>('stats');
      if (CPU_PROF) {
        const file = join(CPU_PROF, `${name.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '')}.cpuprofile`);
        profiles.push(await server.call<string>('profileStop', file));
      }
      process.stdout.write(` ${fmt(measured.rps, 0)} req/s\n`);
      const p: Phase = {
        name,
        warm,
        main: measured,
        stats,
        clientCpuMs: (clientCpu.user + clientCpu.system) / 1000,
        cpuPerReqUs: measured.completed ? ((stats.cpuUserMs + stats.cpuSystemMs) * 1000) / measured.completed : NaN,
        sqlPerReq: port === barePort ? null : stats.statements / Math.max(1, measured.completed),
        pool,
      };
      phases.push(p);
      return p;
    }

    function build<T>(n: number, make: (i: number) => T): { items: T[]; buildMs: number } {
      const tb = performance.now();
      const items: T[] = new Array(n);
      for (let i = 0; i < n; i++) items[i] = make(i);
      return { items, buildMs: performance.now() - tb };
    }

    // 1. Bare Hono route + one insert. Its body is a real encrypted delivery (same size), JSON-parsed only.
    const sample = toPrepared(wire(messageEvent({ from: 'ou_user_0', text: '/help', chatType: 'p2p' })));
    const bare = await phase('bare insert', barePort, '/bare', repeatSource(sample), null, {
      check: (b) => b.toString('utf8') === '{"ok":true}',
    });
    const n = poolSize(bare.main.rps);

    // 2. Card action from an admin: a real handler (loadActor + card) answered in the HTTP body. Run before
    //    the command workload, whose paced background replies outlive it.
    const cards = build(n, () => toPrepared(wire(cardActionEvent({ from: ADMIN, value: { a: 'bind.cancel', v: 1, branch: 'x' } }))));
    await phase(
      'webhook card action',
      webhookPort,
      '/webhooks/feishu',
      poolSource(cards.items),
      { size: n, buildMs: cards.buildMs },
      {
        check: (b) => b.includes('"card":{"type":"raw"'),
      },
    );
    cards.items.length = 0;

    // 3. /help in a p2p chat: unique event ids; the reply goes out in the background through the Open API.
    const commands = build(n, (i) => {
      const event = messageEvent({ from: `ou_user_${i % 500}`, text: '/help', chatType: 'p2p' });
      return { id: event.event.message.message_id, req: toPrepared(wire(event)) };
    });
    const index = new Map(commands.items.map((c, i) => [c.id, i]));
    const sentAt = new Float64Array(n);
    const before = await fake.call<FakeCounts>('counts');
    const cmd = await phase(
      'webhook /help (p2p)',
      webhookPort,
      '/webhooks/feishu',
      poolSource(commands.items.map((c) => c.req)),
      { size: n, buildMs: commands.buildMs },
      { check: (b) => b.toString('utf8') === '{}', onSend: (i) => (sentAt[i] = Date.now()) },
    );
    const loadEnd = Date.now();

    // Wait (bounded) for the background replies, then compare with what the fake received.
    process.stdout.write(`  waiting up to ${DRAIN_SECONDS} s for /help replies…`);
    const drainStart = performance.now();
    const waiting = (s: ServerStats) => s.backgroundInFlight + s.outboxPending;
    let inFlight = waiting(await server.call<ServerStats>('stats'));
    while (inFlight > 0 && performance.now() - drainStart < DRAIN_SECONDS * 1000) {
      await sleep(250);
      inFlight = waiting(await server.call<ServerStats>('stats'));
    }
    const drainMs = performance.now() - drainStart;
    process.stdout.write(inFlight === 0 ? ` drained in ${fmt(drainMs / 1000, 1)} s\n` : ` ${inFlight} still in flight\n`);
    const counts = await fake.call<FakeCounts>('counts');
    const replies = await fake.call<Array<[string, number, string]>>('replies');

    const deliveries = cmd.warm.ok + cmd.main.ok;
    const matched = new Set<string>();
    const lags: number[] = [];
    const arrivals: number[] = [];
    let cards2 = 0;
    for (const [replyTo, at, msgType] of replies) {
      const i = index.get(replyTo);
      if (i === undefined || matched.has(replyTo)) continue;
      matched.add(replyTo);
      if (msgType === 'interactive') cards2 += 1;
      lags.push(at - sentAt[i]!);
      arrivals.push(at);
    }
    lags.sort((a, b) => a - b);
    arrivals.sort((a, b) => a - b);
    const duringLoad = arrivals.filter((at) => at <= loadEnd).length;
    const cmdWindowS = (cmd.warm.elapsedMs + cmd.main.elapsedMs) / 1000;
    const spanS = arrivals.length > 1 ? (arrivals[arrivals.length - 1]! - arrivals[0]!) / 1000 : NaN;
    const replyRate = arrivals.length > 1 ? (arrivals.length - 1) / spanS : NaN;
    const shortfall = deliveries - matched.size;
    replyLines.push(
      ['/help deliveries answered 2xx (warm-up + measured)', `${deliveries} in ${fmt(cmdWindowS, 1)} s (${fmt(deliveries / cmdWindowS, 0)}/s)`],
      [
        'replies received by the fake Open API',
        `${matched.size} (${cards2} interactive cards), ${duringLoad} of them while the load ran` +
          (shortfall === 0 ? '  -> match' : `  -> SHORTFALL of ${shortfall}`),
      ],
      ['rate the replies arrived at', `${fmt(replyRate, 1)}/s (first to last reply, ${fmt(spanS, 1)} s)`],
      inFlight === 0
        ? ['background replies drained', `${fmt(drainMs / 1000, 1)} s after the load stopped`]
        : [`still queued in the server after ${fmt(drainMs / 1000, 1)} s of waiting`, `${inFlight} (~${fmt(inFlight / replyRate, 0)} s more at that rate)`],
      ['peak background replies in flight during the load', String(cmd.stats.backgroundPeak)],
      [
        'reply lag, delivery sent -> reply at the fake',
        `p50 ${fmt(percentile(lags, 50), 0)} ms, p99 ${fmt(percentile(lags, 99), 0)} ms, max ${fmt(lags[lags.length - 1] ?? NaN, 0)} ms` +
          (shortfall > 0 ? ' (of the replies that arrived)' : ''),
      ],
      [
        'fake Open API during the run',
        `${counts.requests - before.requests} requests, statuses ${JSON.stringify(counts.statuses)}, ` +
          `${counts.tokenRequests} token requests, ${counts.limited} rate-limited`,
      ],
    );
    if (shortfall > 0) {
      findings.push(
        `${shortfall} of ${deliveries} /help deliveries (${fmt((shortfall / deliveries) * 100, 0)}%) had no reply ` +
          `${fmt((Date.now() - loadEnd) / 1000, 0)} s after the load stopped; replies left at ${fmt(replyRate, 0)}/s ` +
          `while deliveries were accepted at ${fmt(deliveries / cmdWindowS, 0)}/s (Feishu allows 50 replies/s per app); ` +
          `every reply waits in the durable outbox and the sender drains it at the platform's rate.`,
      );
    }
  } finally {
    await stopAll();
  }

  // ---- report ----
  const bare = phases[0]!;
  console.log('');
  console.log(
    table(
      [
        'workload',
        'requests',
        'req/s',
        'p50 ms',
        'p99 ms',
        'max ms',
        'errors',
        'srv CPU us/req',
        'SQL/req',
        'srv loop busy',
        'srv loop delay p99',
        'client CPU',
        'note',
      ],
      phases.map((p) => {
        const m = p.main;
        return [
          p.name,
          String(m.completed),
          fmt(m.rps, 0),
          fmt(m.p50, 2),
          fmt(m.p99, 2),
          fmt(m.max, 1),
          `${m.non2xx + m.netErrors}${m.badBodies ? ` +${m.badBodies} bad body` : ''}`,
          fmt(p.cpuPerReqUs, 0),
          p.sqlPerReq === null ? '1' : fmt(p.sqlPerReq, 1),
          `${fmt(p.stats.elu * 100, 0)}%`,
          `${fmt(p.stats.loopDelayP99Ms, 1)} ms`,
          `${fmt((p.clientCpuMs / m.elapsedMs) * 100, 0)}%`,
          m.exhausted ? 'request pool ran out early' : '',
        ];
      }),
    ),
  );
  console.log('');
  console.log('errors = non-2xx + connection errors/timeouts (+ 2xx with an unexpected body). srv = the server child, measured phase only;');
  console.log('SQL/req counts statements the app sent, background work included. Request bodies were encrypted + signed before timing:');
  for (const p of phases) {
    if (p.pool) console.log(`  ${p.name}: ${p.pool.size} unique deliveries pre-built in ${fmt(p.pool.buildMs, 0)} ms`);
    if (p.main.firstError) console.log(`  ${p.name}: first error: ${p.main.firstError}; statuses ${JSON.stringify(p.main.statuses)}`);
    const l = p.stats.logs;
    if (l.warn || l.error) console.log(`  ${p.name}: server logged ${l.warn} warn / ${l.error} error lines, e.g. ${p.stats.logSamples[0] ?? ''}`);
  }
  const last = phases[phases.length - 1]!;
  console.log(`  server memory after the /help workload: RSS ${fmt(last.stats.rssMb, 0)} MB, heap used ${fmt(last.stats.heapUsedMb, 0)} MB`);

  console.log('');
  console.log('background replies (/help workload):');
  const labelWidth = Math.max(...replyLines.map(([label]) => label.length)) + 1;
  for (const [label, value] of replyLines) console.log(`  ${`${label}:`.padEnd(labelWidth)}  ${value}`);

  console.log('');
  console.log(`ratios (webhook req/s / bare req/s); goal: ratio >= ${GOAL_RATIO} and p99 < ${GOAL_P99_MS} ms at ${GOAL_CONNECTIONS} connections, no errors:`);
  for (const p of phases.slice(1)) {
    const ratio = p.main.rps / bare.main.rps;
    const misses: string[] = [];
    if (!(ratio >= GOAL_RATIO)) misses.push(`ratio ${fmt(ratio, 2)} < ${GOAL_RATIO}`);
    if (!(p.main.p99 < GOAL_P99_MS)) misses.push(`p99 ${fmt(p.main.p99, 1)} ms >= ${GOAL_P99_MS} ms`);
    if (p.main.non2xx + p.main.netErrors + p.main.badBodies > 0) misses.push('errors');
    if (CONNECTIONS !== GOAL_CONNECTIONS) misses.push(`measured at ${CONNECTIONS} connections, not ${GOAL_CONNECTIONS}`);
    console.log(
      `  ${p.name.padEnd(20)} ${fmt(p.main.rps, 0).padStart(6)} / ${fmt(bare.main.rps, 0)} = ${fmt(ratio, 2)}, ` +
        `p99 ${fmt(p.main.p99, 1)} ms: ${misses.length ? `goal missed (${misses.join('; ')})` : 'goal met'}`,
    );
  }
  if (!(bare.main.p99 < GOAL_P99_MS)) {
    console.log(`  note: the bare insert route itself has p99 ${fmt(bare.main.p99, 1)} ms at ${CONNECTIONS} connections`);
  }
  for (const f of findings) console.log(`finding: ${f}`);
  console.log(`\nwebhook part took ${fmt((performance.now() - t0) / 1000, 1)} s` + (profiles.length ? `; server CPU profiles: ${profiles.join(', ')}` : ''));
}

async function main(): Promise<void> {
  const t0 = performance.now();
  if (!ONLY || ONLY === 'webhook') await runWebhook();
  if (!ONLY || ONLY === 'fanout') await runFanout();
  if (!ONLY || ONLY === 'review') await runReviewAggregateBench();
  if (!ONLY || ONLY === 'survey') await runSurveyBench();
  if (!ONLY || ONLY === 'ledger') await runLedgerBench();
  console.log(`\ntotal bench time ${fmt((performance.now() - t0) / 1000, 1)} s`);
}

main().catch((err: unknown) => {
  console.error('\nbench crashed:', err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
