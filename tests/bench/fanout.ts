// The reminder fan-out part of `npm run bench`: N members each get one direct-message nudge, written by
// the campaign engine and sent by drainOutbox through the real FeishuApi, against a fake Open API that
// enforces Feishu's limits (50 sends/s per app, 5/s per recipient) with 429 + x-ogw-ratelimit-reset.
//
// Processes, all on 127.0.0.1: this runner (it only orchestrates and counts), a child running the fake
// Open API (fake.ts) and a child doing the scheduling and sending (fanout-sender.ts), so neither shares
// an event loop with the other and the sender's memory is its own.
// Env: BENCH_FANOUT_MEMBERS (default 2000; 10000 is the full-size run, >= 200 s), BENCH_FANOUT_CONCURRENCY
// and BENCH_FANOUT_BUDGET_MS (drainOutbox options; default: what runTick uses in production),
// BENCH_FANOUT_MAX_SECONDS (give up draining after this long; default max(60, 3 x the floor)).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { FEISHU_APP_RATE, FEISHU_RECIPIENT_RATE } from '../../bot/platforms/feishu/api.js';
import type { DrainOptions } from '../../bot/outbox.js';
import type { FakeMark, FakeReady, FanoutReceived } from './fake.js';
import type { DrainReport, NoopTickResult, ScheduleResult, SenderReady, SetupResult } from './fanout-sender.js';
import { startChild, type Child } from './ipc.js';
import { envNumber, fmt } from './instrument.js';

export const FULL_MEMBERS = 10_000;
/** The campaign template, and members per branch (a secretary and the rest members). */
export const TEMPLATE = 'three-lights';
export const BRANCH_SIZE = 100;
export const DEFAULT_MEMBERS = 2_000;
/** Total drain time / (N / 50 per s). */
const GOAL_PERCENT = 110;
const RATE_LIMIT = { appPerSecond: FEISHU_APP_RATE, perRecipientPerSecond: FEISHU_RECIPIENT_RATE, resetSeconds: 1 };

const int = (n: number) => n.toLocaleString('en-US');

function lines(rows: Array<[string, string]>): string {
  const width = Math.max(...rows.map(([label]) => label.length)) + 1;
  return rows.map(([label, value]) => `  ${`${label}:`.padEnd(width)}  ${value}`).join('\n');
}

export async function runFanout(): Promise<void> {
  const n = Math.round(envNumber('BENCH_FANOUT_MEMBERS', DEFAULT_MEMBERS, 1, 1_000_000));
  const floorS = n / FEISHU_APP_RATE;
  const maxS = envNumber('BENCH_FANOUT_MAX_SECONDS', Math.max(60, 3 * floorS), 1, 24 * 3600);
  const drain: DrainOptions = {};
  if (process.env.BENCH_FANOUT_CONCURRENCY) drain.concurrency = Math.round(envNumber('BENCH_FANOUT_CONCURRENCY', 8, 1, 1000));
  if (process.env.BENCH_FANOUT_BUDGET_MS) drain.budgetMs = envNumber('BENCH_FANOUT_BUDGET_MS', 50_000, 1, 24 * 3600_000);

  const scaled = n < FULL_MEMBERS;
  console.log('');
  console.log(
    `reminder fan-out: ${int(n)} members, one direct-message nudge each; rate-limit floor ${int(n)} / ${FEISHU_APP_RATE} per s = ${fmt(floorS, 0)} s`,
  );
  if (scaled) {
    console.log(
      `  SCALED DOWN: ${int(n)} of the ${int(FULL_MEMBERS)} members of the full run (same limits, same ratio to the floor). ` +
        `Full run (>= ${fmt(FULL_MEMBERS / FEISHU_APP_RATE, 0)} s of sending, ~4 min): BENCH_ONLY=fanout BENCH_FANOUT_MEMBERS=${FULL_MEMBERS} npm run bench`,
    );
  }

  const dir = mkdtempSync(join(tmpdir(), 'bot-bench-fanout-'));
  const children: Array<Child<unknown>> = [];
  const t0 = performance.now();
  try {
    const fake = await startChild<FakeReady>(new URL('./fake.ts', import.meta.url), {});
    children.push(fake as Child<unknown>);
    const senderEnv = {
      BENCH_DIR: dir,
      BENCH_FAKE_URL: fake.ready.url,
      BENCH_FANOUT_MEMBERS: String(n),
      BENCH_FANOUT_DRAIN: JSON.stringify(drain),
      BENCH_FANOUT_MAX_MS: String(maxS * 1000),
    };
    const script = new URL('./fanout-sender.ts', import.meta.url);

    // Setup in a process of its own, so the memory figures below are those of a bot process that
    // starts its day with this database, not of the one that built it and sent the earlier messages.
    process.stdout.write('  setting up (members, campaign, earlier messages)…');
    const builder = await startChild<SenderReady>(script, senderEnv);
    children.push(builder as Child<unknown>);
    const setup = await builder.call<SetupResult>('setup', undefined, 900_000);
    await builder.stop();
    process.stdout.write(` ${fmt(setup.setupMs / 1000, 1)} s\n`);

    // --expose-gc only so the sender can report what the drain retained after a full collection.
    const sender = await startChild<SenderReady>(script, senderEnv, { execArgv: ['--expose-gc'] });
    children.push(sender as Child<unknown>);

    // From here on the fake enforces Feishu's limits, and only what arrives after the mark is counted.
    const mark = await fake.call<FakeMark>('mark');
    await fake.call('setRateLimit', RATE_LIMIT);

    process.stdout.write('  scheduling…');
    const sched = await sender.call<ScheduleResult>('schedule', setup.instant, 600_000);
    process.stdout.write(` ${int(sched.enqueued)} rows in ${fmt(sched.ms, 0)} ms\n`);

    process.stdout.write(`  draining (floor ${fmt(floorS, 0)} s; gives up after ${fmt(maxS, 0)} s)…`);
    const report = await sender.call<DrainReport>('drain', undefined, (maxS + 120) * 1000);
    process.stdout.write(` ${fmt(report.ms / 1000, 1)} s\n`);
    const noop = await sender.call<NoopTickResult>('noopTick', undefined, 120_000);
    const received = await fake.call<FanoutReceived>('fanout', mark, 120_000);

    printReport({ n, floorS, scaled, setup, senderRssMb: sender.ready.rssMb, sched, report, noop, received });
  } finally {
    await Promise.allSettled(children.map((c) => c.stop()));
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`  fan-out part took ${fmt((performance.now() - t0) / 1000, 1)} s in all`);
}

interface Figures {
  n: number;
  floorS: number;
  scaled: boolean;
  setup: SetupResult;
  senderRssMb: number;
  sched: ScheduleResult;
  report: DrainReport;
  noop: NoopTickResult;
  received: FanoutReceived;
}

function printReport({ n, floorS, scaled, setup, senderRssMb, sched, report, noop, received }: Figures): void {
  const rows = sched.nudgeRows;
  const expected = new Set(report.rows.map(([to]) => to));
  const got = new Map(received.perRecipient);
  const notSentRows = report.rows.filter(([, status]) => status !== 'sent').length;
  const neverReceived = [...expected].filter((to) => !got.has(to)).length;
  const duplicated = [...got.values()].filter((c) => c > 1);
  const extraCopies = duplicated.reduce((s, c) => s + c - 1, 0);
  const unexpected = [...got.keys()].filter((to) => !expected.has(to)).length;
  const retriedRows = report.rows.filter(([, , attempts]) => attempts > 1).length;
  const totalS = report.ms / 1000;
  const percent = (totalS / floorS) * 100;
  const arrivals = received.arrivals;
  const spanS = arrivals.length > 1 ? (arrivals[arrivals.length - 1]! - arrivals[0]!) / 1000 : NaN;
  const firstLagMs = arrivals.length ? arrivals[0]! - report.wallStart : NaN;
  const tailMs = arrivals.length ? report.wallEnd - arrivals[arrivals.length - 1]! : NaN;
  const sum = (k: keyof DrainReport['calls'][number]['result']) => report.calls.reduce((s, c) => s + c.result[k], 0);

  // The fake's rate windows (aligned wall-clock seconds) while the drain ran.
  const windows = received.windows;
  const over = windows.filter(([, count]) => count > RATE_LIMIT.appPerSecond);
  const limitedWindows = windows.filter(([, , limited]) => limited > 0);
  const sinceStart = (ms: number) => `${fmt((ms - report.wallStart) / 1000, 1)} s`;
  // Sends that reached the fake inside a pause (less than reset after a 429): slots reserved before the 429.
  const pauseMs = RATE_LIMIT.resetSeconds * 1000;
  const duringPause = received.sendsAt.filter((at) => received.limitedAt.some((t) => at > t && at < t + pauseMs)).length;

  // Throughput per 10 s from the fake's point of view.
  const buckets: number[] = [];
  for (const at of arrivals) {
    const b = Math.floor((at - report.wallStart) / 10_000);
    buckets[b] = (buckets[b] ?? 0) + 1;
  }

  const lost = notSentRows + neverReceived;
  console.log('');
  console.log(`reminder fan-out results (${scaled ? 'SCALED DOWN, ' : ''}${int(n)} members):`);
  console.log(
    lines([
      [
        'organisation',
        `${int(setup.members)} members in ${setup.branches} branches of up to ${BRANCH_SIZE} (1 secretary each) + ${setup.leaders} leaders; ` +
          `roster ${int(setup.rosterSize)}`,
      ],
      [
        'campaign',
        `template ${TEMPLATE}, phase "${setup.phaseTitle}" (members answer; ${setup.phaseOpens.slice(0, 16)}Z to ${setup.phaseCloses.slice(0, 16)}Z), ` +
          `nudge ${setup.nudgeDays} days before close, tick at ${setup.instant.slice(0, 16)}Z (08:30 campaign time)`,
      ],
      [
        'earlier messages (sent before, not timed)',
        `${int(setup.historyRows)} rows from a tick at ${setup.historyInstant.slice(0, 16)}Z (announcements, forms, summaries, digests), ` +
          `sent by a separate setup process (peak RSS ${fmt(setup.rssPeakMb, 0)} MB) in ${fmt(setup.setupMs / 1000, 1)} s with setup`,
      ],
      [
        'scheduleJobs writing the fan-out',
        `${int(sched.enqueued)} rows (${int(sched.nudgeRows)} nudges, ${sched.otherPendingRows} other pending) in ${fmt(sched.ms, 0)} ms ` +
          `(${fmt(sched.enqueued / (sched.ms / 1000), 0)} rows/s); sender RSS ${fmt(senderRssMb, 0)} MB at start, ` +
          `peak ${fmt(sched.rssPeakMb, 0)} MB while scheduling`,
      ],
      [
        'repeat scheduleJobs a minute later',
        `${sched.repeat.enqueued} rows written, ${sched.repeat.dropped} dropped, in ${fmt(sched.repeat.ms, 0)} ms` +
          (sched.repeat.enqueued === 0 ? '  -> writes nothing' : '  -> WROTE ROWS AGAIN'),
      ],
      [
        'no-op runTick after the drain',
        `${noop.enqueued} written, ${noop.attempted} send attempts, in ${fmt(noop.ms, 0)} ms` +
          (noop.enqueued === 0 && noop.attempted === 0 ? '  -> nothing to do' : '  -> DID WORK'),
      ],
      [
        'drain, first claim to nothing pending',
        `${fmt(totalS, 1)} s vs floor ${fmt(floorS, 1)} s = ${fmt(percent, 0)} % ` +
          `(goal <= ${GOAL_PERCENT} %: ${percent <= GOAL_PERCENT && !report.cappedOut ? 'met' : 'MISSED'})` +
          (report.cappedOut ? `; GAVE UP with rows still pending` : ''),
      ],
      [
        'drainOutbox calls',
        `${report.calls.length} (options ${JSON.stringify(report.options)}; durations ${report.calls
          .filter((c) => c.result.sent + c.result.retried + c.result.dead + c.result.expired > 0)
          .map((c) => `${fmt(c.ms / 1000, 1)} s`)
          .join(', ')}), ${report.idleWaits} idle 1 s waits for rows in backoff; ` +
          `sent ${int(sum('sent'))}, retried later ${sum('retried')}, dead ${sum('dead')}, expired ${sum('expired')}`,
      ],
      [
        'at the fake',
        `first message ${fmt(firstLagMs, 0)} ms after the drain began, first to last ${fmt(spanS, 1)} s ` +
          `(${fmt((arrivals.length - 1) / spanS, 1)}/s), last one ${fmt(tailMs, 0)} ms before the drain ended`,
      ],
      ['messages per 10 s at the fake', buckets.map((b) => String(b ?? 0)).join(' ')],
      [
        'messages lost',
        `${lost}` +
          (lost
            ? ` (${notSentRows} nudge rows not marked sent: ${JSON.stringify(report.statuses)}; ${neverReceived} recipients never received)`
            : ` (all ${int(rows)} rows sent, every recipient received)`),
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
                .join(', ')}${limitedWindows.length > 12 ? ', …' : ''}; ${retriedRows} rows needed more than one drain attempt; ` +
              `${duringPause} sends still reached the fake less than ${pauseMs} ms after a 429`
            : ''),
      ],
      [
        'fake rate windows over 50 sends',
        `${over.length} of ${windows.length} (largest ${Math.max(0, ...windows.map(([, c]) => c))}); statuses ${JSON.stringify(received.statuses)}`,
      ],
      [
        'sender process (the fanout-sender child)',
        `peak RSS ${fmt(report.rssPeakMb, 0)} MB during the drain (${fmt(report.rssStartMb, 0)} MB when it began, ${fmt(senderRssMb, 0)} MB at process start), ` +
          `peak heap ${fmt(report.heapPeakMb, 0)} MB (${report.heapAfterGcMb === null ? '-' : fmt(report.heapAfterGcMb, 0)} MB after a full GC at the end), ` +
          `CPU ${fmt(report.cpuMs / 1000, 1)} s (${fmt((report.cpuMs / report.ms) * 100, 0)} % of one core), ` +
          `loop delay p99 ${fmt(report.loopDelayP99Ms, 1)} ms / max ${fmt(report.loopDelayMaxMs, 0)} ms, ` +
          `${fmt(report.statements / Math.max(1, rows), 1)} SQL statements per message`,
      ],
      [
        'sender log lines during the drain',
        `${report.logs.warn} warn, ${report.logs.error} error` + (report.logSamples[0] ? `, e.g. ${report.logSamples[0]}` : ''),
      ],
    ]),
  );
  const workCalls = report.calls.filter((c) => c.result.sent + c.result.retried + c.result.dead + c.result.expired > 0);
  if (workCalls.length > 1) {
    const projected = (workCalls.length - 1) * 60 + workCalls[workCalls.length - 1]!.ms / 1000;
    console.log(
      `  note: each drainOutbox call stops claiming after its budget; under node-cron (one runTick a minute, no overlap) the same ` +
        `${workCalls.length} calls would take about ${fmt(projected, 0)} s = ${fmt((projected / floorS) * 100, 0)} % of the floor.`,
    );
  }
  if (scaled) {
    console.log(`  (scaled down; the full run is BENCH_ONLY=fanout BENCH_FANOUT_MEMBERS=${FULL_MEMBERS} npm run bench)`);
  }
}
