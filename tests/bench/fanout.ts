// The scheduler and reminder fan-out part of `npm run bench`: N members in two campaigns running at once;
// one tick writes a direct-message nudge for each member of the first, and the bot sends them the way
// production does (node-cron's tickOnce every minute, the continuous outbox sender, the real FeishuApi)
// against a fake Open API that enforces Feishu's limits (50 sends/s per app, 5/s per recipient) with
// 429 + x-ogw-ratelimit-reset. Then ticks with nothing due, against a tick over an empty database.
//
// Processes, all on 127.0.0.1: this runner (it only orchestrates and counts), a child running the fake
// Open API (fake.ts) and a child that is the bot (fanout-sender.ts, compiled by tsc first and run by
// node with the flags of `npm start`), so neither shares an event loop and the bot's memory is its own.
// Env: BENCH_FANOUT_MEMBERS (default 2000; 10000 is the full-size run, >= 200 s of sending),
// BENCH_FANOUT_TICKS (quiet ticks measured, default 20), BENCH_FANOUT_MAX_SECONDS (give up after this
// long; default max(90, 3 x the floor)). For digging into memory: BENCH_SENDER_FLAGS (node flags for the
// bot child, e.g. "--trace-gc"), BENCH_KEEP=1 (keep the database), and memory-diagnostics.ts.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { FEISHU_APP_RATE, FEISHU_RECIPIENT_RATE } from '../../bot/platforms/feishu/api.js';
import type { FakeMark, FakeReady, FanoutReceived } from './fake.js';
import type { FanoutReport, QuietTicks, SenderReady, SetupResult } from './fanout-sender.js';
import { BRANCH_SIZE, DEFAULT_MEMBERS, FULL_MEMBERS } from './fanout-shape.js';
import { startChild, type Child } from './ipc.js';
import { startNodeFlags } from '../support/start-flags.js';
import { envNumber, fmt } from './instrument.js';
import { percentile } from './load.js';

/** Fan-out time / (N / 50 per s). */
const GOAL_PERCENT = 110;
const GOAL_TICK_MS = 200;
const GOAL_RSS_MB = 200;
const RATE_LIMIT = { appPerSecond: FEISHU_APP_RATE, perRecipientPerSecond: FEISHU_RECIPIENT_RATE, resetSeconds: 1 };
const FULL_COMMAND = `BENCH_ONLY=fanout BENCH_FANOUT_MEMBERS=${FULL_MEMBERS} npm run bench`;

const int = (n: number) => n.toLocaleString('en-US');
const met = (ok: boolean) => (ok ? 'met' : 'MISSED');

function lines(rows: Array<[string, string]>): string {
  const width = Math.max(...rows.map(([label]) => label.length)) + 1;
  return rows.map(([label, value]) => `  ${`${label}:`.padEnd(width)}  ${value}`).join('\n');
}

/** Compiles the bot child with tsc (incremental), as `npm start` builds the bot; returns the .js to run. */
function buildSender(): URL {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', fileURLToPath(new URL('./tsconfig.json', import.meta.url))], { stdio: 'inherit' });
  return new URL('../../dist-bench/tests/bench/fanout-sender.js', import.meta.url);
}

export async function runFanout(): Promise<void> {
  const n = Math.round(envNumber('BENCH_FANOUT_MEMBERS', DEFAULT_MEMBERS, 1, 1_000_000));
  const quiet = Math.round(envNumber('BENCH_FANOUT_TICKS', 20, 1, 1000));
  const floorS = n / FEISHU_APP_RATE;
  const maxS = envNumber('BENCH_FANOUT_MAX_SECONDS', Math.max(90, 3 * floorS), 1, 24 * 3600);

  const scaled = n < FULL_MEMBERS;
  console.log('');
  console.log(
    `scheduler and reminder fan-out: ${int(n)} members, two campaigns running; one tick writes a direct-message nudge for each; ` +
      `rate-limit floor ${int(n)} / ${FEISHU_APP_RATE} per s = ${fmt(floorS, 0)} s`,
  );
  if (scaled) {
    console.log(
      `  SCALED DOWN: ${int(n)} of the ${int(FULL_MEMBERS)} members of the full run (same limits, same ratio to the floor). ` +
        `Full run (>= ${fmt(FULL_MEMBERS / FEISHU_APP_RATE, 0)} s of sending, ~6 min): ${FULL_COMMAND}`,
    );
  }

  const dir = mkdtempSync(join(tmpdir(), 'bot-bench-fanout-'));
  const children: Array<Child<unknown>> = [];
  const t0 = performance.now();
  try {
    process.stdout.write('  compiling the bot (tsc)…');
    const tb = performance.now();
    const script = buildSender();
    process.stdout.write(` ${fmt((performance.now() - tb) / 1000, 1)} s\n`);

    const fake = await startChild<FakeReady>(new URL('./fake.ts', import.meta.url), {});
    children.push(fake as Child<unknown>);
    const senderEnv = {
      BENCH_DIR: dir,
      BENCH_FAKE_URL: fake.ready.url,
      BENCH_FANOUT_MEMBERS: String(n),
      BENCH_FANOUT_MAX_MS: String(maxS * 1000),
    };

    // Setup in a process of its own, so the memory figures below are those of a bot process that
    // starts its day with this database, not of the one that built it.
    process.stdout.write('  setting up (members, two campaigns, pledges, earlier messages)…');
    const builder = await startChild<SenderReady>(script, senderEnv);
    children.push(builder as Child<unknown>);
    const setup = await builder.call<SetupResult>('setup', undefined, 1_800_000);
    await builder.stop();
    process.stdout.write(` ${fmt(setup.setupMs / 1000, 1)} s\n`);

    // The node flags of `npm start`; --expose-gc only so the bot can report what the fan-out retained
    // after a full collection.
    const extraFlags = process.env.BENCH_SENDER_FLAGS?.split(' ').filter(Boolean) ?? [];
    const sender = await startChild<SenderReady>(script, senderEnv, { execArgv: [...startNodeFlags(), '--expose-gc', ...extraFlags] });
    children.push(sender as Child<unknown>);

    // From here on the fake enforces Feishu's limits, and only what arrives after the mark is counted.
    const mark = await fake.call<FakeMark>('mark');
    await fake.call('setRateLimit', RATE_LIMIT);

    process.stdout.write(`  fan-out (floor ${fmt(floorS, 0)} s; gives up after ${fmt(maxS, 0)} s)…`);
    const report = await sender.call<FanoutReport>('fanout', setup.instant, (maxS + 180) * 1000);
    process.stdout.write(` ${fmt((report.wallEnd - report.wallStart) / 1000, 1)} s\n`);
    process.stdout.write(`  ${quiet} ticks with nothing due…`);
    const ticks = await sender.call<QuietTicks>('quietTicks', quiet, 600_000);
    process.stdout.write(' done\n');
    const received = await fake.call<FanoutReceived>('fanout', mark, 120_000);

    printReport({ n, floorS, scaled, setup, senderRssMb: sender.ready.rssMb, report, ticks, received });
  } finally {
    await Promise.allSettled(children.map((c) => c.stop()));
    if (process.env.BENCH_KEEP) console.log(`  kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
  console.log(`  scheduler and fan-out part took ${fmt((performance.now() - t0) / 1000, 1)} s in all`);
}

interface Figures {
  n: number;
  floorS: number;
  scaled: boolean;
  setup: SetupResult;
  senderRssMb: number;
  report: FanoutReport;
  ticks: QuietTicks;
  received: FanoutReceived;
}

const ms = (v: number) => `${fmt(v, v < 10 ? 1 : 0)} ms`;
const p50 = (xs: number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );
const p95 = (xs: number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    95,
  );

function printReport({ n, floorS, scaled, setup, senderRssMb, report, ticks, received }: Figures): void {
  const expected = new Set(report.rows.map(([to]) => to));
  const got = new Map(received.perRecipient);
  const notSentRows = report.rows.filter(([, status]) => status !== 'sent').length;
  const neverReceived = [...expected].filter((to) => !got.has(to)).length;
  const duplicated = [...got.values()].filter((c) => c > 1);
  const extraCopies = duplicated.reduce((s, c) => s + c - 1, 0);
  const unexpected = [...got.keys()].filter((to) => !expected.has(to)).length;
  const retriedRows = report.rows.filter(([, , attempts]) => attempts > 1).length;
  const arrivals = received.arrivals;
  const lastArrival = arrivals.length ? arrivals[arrivals.length - 1]! : report.wallEnd;
  // The fan-out: from the tick that writes it to the last message the platform accepted.
  const totalS = (lastArrival - report.wallStart) / 1000;
  const percent = (totalS / floorS) * 100;
  const spanS = arrivals.length > 1 ? (lastArrival - arrivals[0]!) / 1000 : NaN;
  const firstLagMs = arrivals.length ? arrivals[0]! - report.wallStart : NaN;
  const [firstTick, ...laterTicks] = report.ticks;

  const windows = received.windows;
  const over = windows.filter(([, count]) => count > RATE_LIMIT.appPerSecond);
  const limitedWindows = windows.filter(([, , limited]) => limited > 0);
  const sinceStart = (t: number) => `${fmt((t - report.wallStart) / 1000, 1)} s`;
  // Sends that reached the fake inside a pause (less than reset after a 429): slots reserved before the 429.
  const pauseMs = RATE_LIMIT.resetSeconds * 1000;
  const duringPause = received.sendsAt.filter((at) => received.limitedAt.some((t) => at > t && at < t + pauseMs)).length;

  const buckets: number[] = [];
  for (const at of arrivals) {
    const b = Math.floor((at - report.wallStart) / 10_000);
    buckets[b] = (buckets[b] ?? 0) + 1;
  }

  const tickP50 = p50(ticks.ms);
  const tickP95 = p95(ticks.ms);
  const parts = ticks.parts;
  const lost = notSentRows + neverReceived;
  console.log('');
  console.log(`scheduler and reminder fan-out results (${scaled ? 'SCALED DOWN, ' : ''}${int(n)} members):`);
  console.log(
    lines([
      [
        'organisation',
        `${int(setup.members)} members in ${setup.branches} branches of up to ${BRANCH_SIZE} (1 secretary each) + ${setup.leaders} leaders; ` +
          `roster ${int(setup.rosterSize)} per campaign`,
      ],
      [
        'campaigns',
        `${setup.fanout.template} in "${setup.fanout.phase}" (members answer; ${setup.fanout.opens.slice(0, 16)}Z to ${setup.fanout.closes.slice(0, 16)}Z, ` +
          `nobody has answered; nudge ${setup.fanout.nudgeDays} days before close); ${setup.second.template} in "${setup.second.phase}" ` +
          `(${setup.second.opens.slice(0, 16)}Z to ${setup.second.closes.slice(0, 16)}Z, ${int(setup.second.pledges)} pledges to report on, nothing due)`,
      ],
      [
        'earlier messages (not timed)',
        `${int(setup.historyRows)} rows written by ${setup.historyTicks} earlier ticks (announcements, forms, summaries, digests) and accepted by a stub, ` +
          `in a separate setup process (peak RSS ${fmt(setup.rssPeakMb, 0)} MB, ${fmt(setup.setupMs / 1000, 1)} s)`,
      ],
      [
        'FAN-OUT, tick start to last message',
        `${fmt(totalS, 1)} s vs floor ${fmt(floorS, 1)} s = ${fmt(percent, 0)} % ` +
          `(goal <= ${GOAL_PERCENT} %: ${met(percent <= GOAL_PERCENT && !report.cappedOut && lost === 0)})` +
          (report.cappedOut ? `; GAVE UP with rows still pending` : ''),
      ],
      [
        'SENDER PEAK RSS, tick start to last message',
        `${fmt(report.rssPeakMb, 0)} MB at ${sinceStart(report.rssPeakAt)} (goal < ${GOAL_RSS_MB} MB: ${met(report.rssPeakMb < GOAL_RSS_MB)}); ` +
          `${fmt(report.rssTickPeakMb, 0)} MB by the end of the fan-out tick; in-run reference: ` +
          `${fmt(senderRssMb, 0)} MB at process start (bot loaded, database open), ${fmt(report.rssStartMb, 0)} MB when the tick began`,
      ],
      [
        'TICK WITH NOTHING DUE',
        `median ${ms(tickP50)}, p95 ${ms(tickP95)} over ${ticks.ms.length} ticks a minute apart (goal < ${GOAL_TICK_MS} ms: ${met(tickP95 < GOAL_TICK_MS)}); ` +
          `in-run reference: the same tick over an empty database median ${ms(p50(ticks.emptyMs))}, ` +
          `SELECT 1 round trip median ${ms(p50(ticks.select1Ms))}`,
      ],
      [
        '  where a quiet tick goes',
        `resume events ${ms(parts.resumeMs)}, scheduleJobs ${ms(parts.scheduleMs)} (` +
          parts.campaigns
            .map((c) => `${c.title}: load state ${ms(c.loadMs)} with ${int(c.existingKeys)} outbox keys, dueJobs ${ms(c.dueJobsMs)} -> ${c.jobs} jobs`)
            .join('; ') +
          `), hooks ${ms(parts.hooksMs)}, drain ${ms(parts.drainMs)}; ${fmt(ticks.statements, 0)} SQL statements per tick; ` +
          `${ticks.enqueued} rows written, ${ticks.attempted} send attempts` +
          (ticks.enqueued === 0 && ticks.attempted === 0 ? '  -> nothing to do' : '  -> DID WORK') +
          `; peak RSS ${fmt(ticks.rssPeakMb, 0)} MB`,
      ],
      [
        'the fan-out tick',
        firstTick
          ? `${int(firstTick.enqueued)} rows written (${int(report.nudgeRows)} nudges, ${report.otherRows} others), ${firstTick.dropped} dropped; ` +
            `tickOnce returned after ${fmt(firstTick.ms / 1000, 1)} s` +
            (firstTick.outbox ? ` having sent ${int(firstTick.outbox.sent)} itself` : ' (its sends left to the outbox sender)') +
            `; first message at the fake ${ms(firstLagMs)} after it began`
          : 'did not finish',
      ],
      [
        'later ticks during the fan-out',
        laterTicks.length
          ? `${laterTicks.length} (one a minute, as node-cron), ${laterTicks.reduce((s, t) => s + t.enqueued + t.dropped, 0)} rows written` +
            (laterTicks.every((t) => t.enqueued + t.dropped === 0) ? '  -> wrote nothing again' : '  -> WROTE ROWS AGAIN') +
            `, each ${laterTicks.map((t) => `${fmt(t.ms / 1000, 1)} s`).join(', ')}; ${report.skipped} minutes skipped while a tick still ran`
          : `none (${report.skipped} minutes skipped while a tick still ran)`,
      ],
      [
        'at the fake',
        `first to last message ${fmt(spanS, 1)} s (${fmt((arrivals.length - 1) / spanS, 1)}/s); ` +
          `the bot saw nothing pending ${ms(report.wallEnd - lastArrival)} after the last one (polling every 250 ms)`,
      ],
      ['messages per 10 s at the fake', buckets.map((b) => String(b ?? 0)).join(' ')],
      [
        'messages lost',
        `${lost}` +
          (lost
            ? ` (${notSentRows} nudge rows not marked sent: ${JSON.stringify(report.statuses)}; ${neverReceived} recipients never received)`
            : ` (all ${int(report.nudgeRows)} rows sent, every recipient received)`),
      ],
      [
        'recipients received more than once (by receive_id at the fake)',
        `${duplicated.length}${duplicated.length ? ` (${extraCopies} extra copies)` : ''}; ` + `${unexpected} messages to recipients that had no nudge row`,
      ],
      ['repeats the fake de-duplicated by uuid', `${received.uuidRepeats} (a send repeated after the first was accepted; not a new message)`],
      [
        '429s the fake answered',
        `${received.limited}` +
          (received.limited
            ? ` in ${limitedWindows.length} of ${windows.length} one-second windows, at ${limitedWindows
                .slice(0, 12)
                .map(([s, count, limited]) => `${sinceStart(s * 1000)} (${count} sends, ${limited} refused)`)
                .join(', ')}${limitedWindows.length > 12 ? ', …' : ''}; ${retriedRows} rows needed more than one attempt; ` +
              `${duringPause} sends still reached the fake less than ${pauseMs} ms after a 429`
            : ''),
      ],
      [
        'fake rate windows over 50 sends',
        `${over.length} of ${windows.length} (largest ${Math.max(0, ...windows.map(([, c]) => c))}); statuses ${JSON.stringify(received.statuses)}`,
      ],
      [
        'bot process during the fan-out',
        `peak heap ${fmt(report.heapPeakMb, 0)} MB (${report.heapAfterGcMb === null ? '-' : fmt(report.heapAfterGcMb, 0)} MB after a full GC at the end), ` +
          `CPU ${fmt(report.cpuMs / 1000, 1)} s (${fmt((report.cpuMs / (report.wallEnd - report.wallStart)) * 100, 0)} % of one core), ` +
          `loop delay p99 ${fmt(report.loopDelayP99Ms, 1)} ms / max ${fmt(report.loopDelayMaxMs, 0)} ms, ` +
          `${fmt(report.statements / Math.max(1, report.nudgeRows), 1)} SQL statements per message (the bench's own polling included)`,
      ],
      [
        'bot log lines during the fan-out',
        `${report.logs.warn} warn, ${report.logs.error} error` + (report.logSamples[0] ? `, e.g. ${report.logSamples[0]}` : ''),
      ],
    ]),
  );
  if (scaled) console.log(`  (scaled down; the full run is ${FULL_COMMAND})`);
}
