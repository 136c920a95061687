// `npm run fuzz`: a seeded fuzz of POST /webhooks/feishu against the real bot in-process (real libSQL temp
// file and migrations, the fake Open API), seeded with an org and two campaigns so that commands and card
// actions reach deep code. The clock walks through the campaigns' phases (one scheduler tick at each stop).
// Prints, per class, the count of each status, every response >= 500, and the errors the input made the
// handlers log; exits 1 on any response >= 500. runFuzz() is also what tests/fuzz.test.ts runs.
// Env: FUZZ_N (cases, default 3000), FUZZ_SEED (default 1), FUZZ_ORG=0 (no org), FUZZ_ONLY=<class>.
import { resolve } from 'node:path';
import { createDecipheriv, createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { asc } from 'drizzle-orm';
import type { Rubric } from '../../bot/campaign/template.js';
import { branches, campaignPhases, campaigns, members, reviewRounds } from '../../db/schema.js';
import { envNumber } from '../bench/instrument.js';
import { TEST_APP } from '../support/feishu-wire.js';
import { startTestBot, type TestBot } from '../support/harness.js';
import { ADMIN, BRANCH_A, BRANCH_B, CHAT_A, CHAT_B, LEADER, say, setUpOrg } from '../support/org.js';
import { FUZZ_CLASSES, defaultWorld, generateCase, mulberry32, type FuzzCase, type FuzzClass, type FuzzWorld } from './payloads.js';

export interface FuzzOptions {
  n: number;
  seed: number;
  /** Bind branches, sync members and start campaigns first (default true). */
  org?: boolean;
  /** Only this class (the index still numbers cases, so a replay needs the same options). */
  only?: FuzzClass;
  /** Cases between two waits for background work (replies). */
  settleEvery?: number;
  /** At most this many clock stops across the campaigns' phases (default: every phase opening). */
  stops?: number;
  /** Sees every answer (for digging into coverage); the text is cut to 300 characters. */
  onResponse?: (c: FuzzCase, status: number | 'threw', text: string) => void;
}

export interface FuzzFailure {
  index: number;
  cls: FuzzClass;
  variant: string;
  status: number | 'threw';
  response: string;
  /** The request as sent (encrypted bodies decrypted), cut for printing. */
  request: string;
  /** Error lines the bot logged while answering it. */
  log: string[];
}

export interface LoggedError {
  msg: string;
  error: string;
  count: number;
  /** First case that made it: named by the line's event id, else (`near`) the last case sent before it. */
  example: { index: number; cls: FuzzClass; variant: string; request: string; near: boolean } | null;
}

export interface FuzzReport {
  seed: number;
  n: number;
  ms: number;
  org: { ok: boolean; error?: string };
  /** Class -> status -> count. */
  byClass: Record<FuzzClass, Record<string, number>>;
  failures: FuzzFailure[];
  /** Statuses outside a variant's expectation (not failures: only >= 500 fails). */
  surprises: Record<string, { count: number; statuses: Record<string, number> }>;
  /** Error-level lines the fuzz input caused ("handler failed" and others), grouped by message. */
  inputErrors: LoggedError[];
  /** Error-level lines logged by seeding or scheduler ticks, not by a case. */
  otherErrors: LoggedError[];
}

const START = '2026-07-20T10:00:00+08:00';
const TEN_HOURS = 10 * 3600_000;

interface LogRecord {
  level?: string;
  msg?: string;
  eventId?: string;
  error?: { name?: string; message?: string } | string;
}

function parseLine(line: string): LogRecord {
  try {
    const v: unknown = JSON.parse(line);
    return typeof v === 'object' && v !== null ? (v as LogRecord) : {};
  } catch {
    return {};
  }
}

function errorText(r: LogRecord): string {
  if (typeof r.error === 'string') return r.error;
  if (r.error) return `${r.error.name ?? 'Error'}: ${r.error.message ?? ''}`.slice(0, 300);
  return '';
}

const isErrorLine = (line: string) => line.includes('"level":"error"');

/** The plaintext of an encrypted body, for printing a failing case (best effort). */
function readable(c: FuzzCase): string {
  let text = c.body;
  try {
    const outer: unknown = JSON.parse(c.body);
    const enc = typeof outer === 'object' && outer !== null ? (outer as { encrypt?: unknown }).encrypt : undefined;
    if (typeof enc === 'string') {
      const buf = Buffer.from(enc, 'base64');
      const key = createHash('sha256').update(TEST_APP.encryptKey).digest();
      const d = createDecipheriv('aes-256-cbc', key, buf.subarray(0, 16));
      text = `decrypted: ${Buffer.concat([d.update(buf.subarray(16)), d.final()]).toString('utf8')}`;
    }
  } catch {
    // Not JSON or not decryptable: print the body as it is.
  }
  const headers = Object.entries(c.headers)
    .filter(([k]) => k.startsWith('x-lark'))
    .map(([k, v]) => `${k}=${v.length > 80 ? `${v.slice(0, 80)}…(${v.length})` : v}`)
    .join(' ');
  const cut = text.length > 700 ? `${text.slice(0, 700)}…(${text.length} chars)` : text;
  return `${cut}${headers ? ` [${headers}]` : ''}`;
}

async function seedOrg(bot: TestBot): Promise<void> {
  await setUpOrg(bot);
  await say(bot, ADMIN, CHAT_A, '/活动 新建 三亮三比三评 2026-08-01');
  await say(bot, ADMIN, CHAT_A, '/活动 新建 示范岗 2026-08-01');
}

/** Users, chats and ids of the seeded database, at the bot's clock. */
async function worldOf(bot: TestBot, seed: number): Promise<FuzzWorld> {
  const w = defaultWorld(seed, Math.floor(bot.clock.now().getTime() / 1000));
  w.users = {
    admins: [ADMIN],
    secretaries: [BRANCH_A[0]!.openId, BRANCH_B[0]!.openId],
    members: [...BRANCH_A.slice(1), ...BRANCH_B.slice(1)].map((m) => m.openId),
    leaders: [LEADER.openId],
    strangers: ['ou_nobody', ''],
  };
  w.chats = { branches: [CHAT_A, CHAT_B], unknown: ['oc_unknown', 'oc_p2p'] };
  const ids = (rows: Array<{ id: number }>) => rows.map((r) => r.id);
  const phases = await bot.db
    .select({ id: campaignPhases.id, kind: campaignPhases.kind, opensAt: campaignPhases.opensAt, closesAt: campaignPhases.closesAt })
    .from(campaignPhases);
  const now = bot.clock.now().getTime();
  for (const p of phases) if (p.opensAt.getTime() <= now && now < p.closesAt.getTime()) (w.openPhases[p.kind] ??= []).push(p.id);
  w.ids = {
    phases: ids(phases),
    branches: ids(await bot.db.select({ id: branches.id }).from(branches)),
    members: ids(await bot.db.select({ id: members.id }).from(members)),
    rounds: ids(await bot.db.select({ id: reviewRounds.id }).from(reviewRounds)),
    campaigns: [],
  };
  const keys = new Set(w.formKeys);
  const pages = new Set(w.pageIds);
  for (const c of await bot.db.select({ id: campaigns.id, template: campaigns.template }).from(campaigns)) {
    w.ids.campaigns.push(c.id);
    const rubric: Rubric | undefined = c.template.rubric ?? undefined;
    for (const cat of rubric?.categories ?? []) {
      pages.add(cat.id);
      for (const it of cat.items) keys.add(`score_${it.no}`).add(`note_${it.no}`);
    }
    for (const b of rubric?.bonus ?? []) keys.add(`bonus_${b.no}`).add(`bonus_note_${b.no}`).add(`claim_${b.no}`);
    rubric?.veto.conditions.forEach((_, i) => keys.add(`veto_${i + 1}`));
    for (const cr of c.template.criteria.branch) keys.add(`g_${cr.id}`).add(`grade_${cr.id}`).add(`note_${cr.id}`);
  }
  for (const id of w.ids.members) {
    keys.add(`grade_${id}`).add(`comment_${id}`);
    for (let s = 1; s <= 5; s++) keys.add(`s${s}_${id}`);
  }
  w.formKeys = [...keys];
  w.pageIds = [...pages];
  return w;
}

/** Clock stops: ten hours into phases spread over both campaigns, in time order. */
async function clockStops(bot: TestBot, count: number): Promise<Date[]> {
  const phases = await bot.db.select({ opensAt: campaignPhases.opensAt }).from(campaignPhases).orderBy(asc(campaignPhases.opensAt));
  const times = [...new Set(phases.map((p) => p.opensAt.getTime() + TEN_HOURS))].sort((a, b) => a - b);
  if (times.length === 0) return [bot.clock.now()];
  const step = Math.max(1, times.length / count);
  const picked: Date[] = [];
  for (let i = 0; i < times.length && picked.length < count; i += step) picked.push(new Date(times[Math.floor(i)]!));
  return picked;
}

type Attributed = { line: string; c: { index: number; c: FuzzCase } | null; near: boolean };

function groupErrors(lines: Attributed[]): LoggedError[] {
  const groups = new Map<string, LoggedError>();
  for (const { line, c, near } of lines) {
    const r = parseLine(line);
    const msg = r.msg ?? '?';
    const error = errorText(r);
    const key = `${msg}\u0000${error}`;
    const g = groups.get(key) ?? { msg, error, count: 0, example: null };
    g.count += 1;
    if (!g.example && c) g.example = { index: c.index, cls: c.c.cls, variant: c.c.variant, request: readable(c.c), near };
    groups.set(key, g);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count);
}

async function send(bot: TestBot, c: FuzzCase): Promise<Response> {
  if (c.bytes) return bot.app.request('/webhooks/feishu', { method: 'POST', body: new Uint8Array(c.bytes), headers: c.headers });
  return bot.post(c.body, c.headers);
}

export async function runFuzz(opts: FuzzOptions): Promise<FuzzReport> {
  const started = Date.now();
  const settleEvery = opts.settleEvery ?? 25;
  const bot = await startTestBot({ admins: [ADMIN], now: START });
  const report: FuzzReport = {
    seed: opts.seed,
    n: opts.n,
    ms: 0,
    org: { ok: true },
    byClass: Object.fromEntries(FUZZ_CLASSES.map((cls) => [cls, {}])) as Record<FuzzClass, Record<string, number>>,
    failures: [],
    surprises: {},
    inputErrors: [],
    otherErrors: [],
  };
  // Error lines split by who caused them: a case (by its event id, or by when it was logged), or not.
  const byEventId = new Map<string, { index: number; c: FuzzCase }>();
  const inputLines: Attributed[] = [];
  const otherLines: Attributed[] = [];
  let scanned = 0;
  // `recent`: the cases sent since the last collect, each with the log length when it was sent.
  const collect = (owner: 'input' | 'other', recent: Array<{ index: number; c: FuzzCase; logAt: number }>) => {
    for (; scanned < bot.logLines.length; scanned++) {
      const line = bot.logLines[scanned]!;
      if (!isErrorLine(line)) continue;
      if (owner === 'other') {
        otherLines.push({ line, c: null, near: false });
        continue;
      }
      const id = parseLine(line).eventId;
      // Lines without an event id ("unexpected error") go to the last case sent before they were logged.
      const named = id ? byEventId.get(id) : undefined;
      const before = recent.filter((r) => r.logAt <= scanned).at(-1) ?? null;
      inputLines.push({ line, c: named ?? before, near: !named });
    }
  };
  try {
    if (opts.org !== false) {
      try {
        await seedOrg(bot);
      } catch (err) {
        report.org = { ok: false, error: err instanceof Error ? err.message : String(err) };
      }
    }
    await bot.settle();
    collect('other', []);
    const stops = opts.org === false ? [bot.clock.now()] : await clockStops(bot, opts.stops ?? 100);
    const rng = mulberry32(opts.seed);
    const perStop = Math.ceil(opts.n / stops.length);
    let index = 0;
    for (const stop of stops) {
      if (index >= opts.n) break;
      if (stop.getTime() > bot.clock.now().getTime()) bot.clock.set(stop);
      try {
        await bot.tick();
      } catch (err) {
        otherLines.push({ line: JSON.stringify({ level: 'error', msg: 'tick threw', error: { message: String(err) } }), c: null, near: false });
      }
      await bot.settle();
      collect('other', []);
      const world = await worldOf(bot, opts.seed);
      let recent: Array<{ index: number; c: FuzzCase; logAt: number }> = [];
      for (let k = 0; k < perStop && index < opts.n; k++, index++) {
        const c = generateCase(rng, world, index, opts.only);
        const before = bot.logLines.length;
        const entry = { index, c, logAt: before };
        if (c.eventId) byEventId.set(c.eventId, entry);
        recent.push(entry);
        let status: number | 'threw';
        let response = '';
        try {
          const res = await send(bot, c);
          status = res.status;
          response = (await res.text()).slice(0, 300);
        } catch (err) {
          status = 'threw';
          response = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
        }
        opts.onResponse?.(c, status, response);
        const hist = report.byClass[c.cls];
        hist[String(status)] = (hist[String(status)] ?? 0) + 1;
        if (status === 'threw' || status >= 500) {
          report.failures.push({
            index,
            cls: c.cls,
            variant: c.variant,
            status,
            response,
            request: readable(c),
            log: bot.logLines.slice(before).filter(isErrorLine),
          });
        } else if (!c.expect.includes(status)) {
          const key = `${c.cls}/${c.variant}`;
          const s = (report.surprises[key] ??= { count: 0, statuses: {} });
          s.count += 1;
          s.statuses[String(status)] = (s.statuses[String(status)] ?? 0) + 1;
        }
        if ((k + 1) % settleEvery === 0) {
          await bot.settle();
          collect('input', recent);
          recent = [];
        }
      }
      await bot.settle();
      collect('input', recent);
    }
  } finally {
    await bot.close();
  }
  report.inputErrors = groupErrors(inputLines);
  report.otherErrors = groupErrors(otherLines);
  report.ms = Date.now() - started;
  return report;
}

export function formatReport(r: FuzzReport): string {
  const out: string[] = [];
  out.push(`fuzz POST /webhooks/feishu  seed=${r.seed} n=${r.n}  ${(r.ms / 1000).toFixed(1)} s`);
  if (!r.org.ok) out.push(`seeding the org failed (cases still ran): ${r.org.error}`);
  out.push('');
  out.push('class              cases  statuses');
  for (const cls of FUZZ_CLASSES) {
    const hist = r.byClass[cls];
    const total = Object.values(hist).reduce((a, b) => a + b, 0);
    const statuses = Object.entries(hist)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([s, n]) => `${s}:${n}`)
      .join('  ');
    out.push(`${cls.padEnd(18)} ${String(total).padStart(5)}  ${statuses}`);
  }
  out.push('');
  out.push(`responses >= 500: ${r.failures.length}`);
  // Grouped by status and the error logged, with the variants that hit it and two requests each.
  const groups = new Map<string, FuzzFailure[]>();
  for (const f of r.failures) {
    const logged = f.log.map((l) => errorText(parseLine(l))).find(Boolean) ?? f.response;
    const key = `${f.status} ${logged}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  for (const [key, fs] of groups) {
    const variants = [...new Set(fs.map((f) => `${f.cls}/${f.variant}`))].join(', ');
    out.push(
      `  ${fs.length}× ${key}  (${variants}; cases ${fs
        .slice(0, 8)
        .map((f) => `#${f.index}`)
        .join(' ')}${fs.length > 8 ? ' …' : ''})`,
    );
    for (const f of fs.slice(0, 2)) {
      out.push(`    #${f.index} -> ${f.status} ${f.response}`);
      out.push(`      request: ${f.request}`);
    }
  }
  const handlerFailed = r.inputErrors.filter((e) => e.msg === 'handler failed').reduce((a, e) => a + e.count, 0);
  out.push(`errors logged from input: ${r.inputErrors.reduce((a, e) => a + e.count, 0)} (handler failed: ${handlerFailed})`);
  for (const e of r.inputErrors.slice(0, 15)) {
    out.push(`  ${e.count}× ${e.msg}: ${e.error}`);
    if (e.example) {
      const how = e.example.near ? 'no event id; last case sent before it:' : 'e.g.';
      out.push(`    ${how} #${e.example.index} ${e.example.cls}/${e.example.variant}: ${e.example.request}`);
    }
  }
  if (r.otherErrors.length) {
    out.push(`errors logged by seeding and ticks: ${r.otherErrors.reduce((a, e) => a + e.count, 0)}`);
    for (const e of r.otherErrors.slice(0, 5)) out.push(`  ${e.count}× ${e.msg}: ${e.error}`);
  }
  const surprises = Object.entries(r.surprises);
  if (surprises.length) {
    out.push('statuses other than expected (reported, not failed):');
    for (const [k, s] of surprises)
      out.push(
        `  ${k}: ${Object.entries(s.statuses)
          .map(([st, n]) => `${st}:${n}`)
          .join(' ')}`,
      );
  }
  out.push('');
  const only = process.env.FUZZ_ONLY ? ` FUZZ_ONLY=${process.env.FUZZ_ONLY}` : '';
  out.push(`replay: FUZZ_SEED=${r.seed} FUZZ_N=${r.n}${only} npm run fuzz`);
  return out.join('\n');
}

function onlyClass(raw: string | undefined): FuzzClass | undefined {
  if (!raw) return undefined;
  const cls = FUZZ_CLASSES.find((c) => c === raw);
  if (!cls) throw new Error(`FUZZ_ONLY must be one of ${FUZZ_CLASSES.join(', ')}, got "${raw}"`);
  return cls;
}

async function main(): Promise<void> {
  const n = envNumber('FUZZ_N', 3000, 1, 1_000_000);
  const seed = envNumber('FUZZ_SEED', 1, 0, 2 ** 32 - 1);
  const report = await runFuzz({ n, seed, org: process.env.FUZZ_ORG !== '0', only: onlyClass(process.env.FUZZ_ONLY) });
  console.log(formatReport(report));
  process.exitCode = report.failures.length > 0 ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 2;
  });
}
