// The lunch-hour canteen QR: 200 phones answering the branch's open survey at once for 60 s against
// the Node server on embedded libSQL, against the bare insert route measured in the same run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sign } from '../../bot/platforms/web/sign.js';
import { envNumber, fmt } from './instrument.js';
import { startChild } from './ipc.js';
import { agentFor, poolSource, repeatSource, runLoad, type PreparedRequest } from './load.js';
import type { SurveyServerReady } from './survey-server.js';

const PHONES = Math.round(envNumber('BENCH_SURVEY_PHONES', 200, 1, 1000));
const SECONDS = envNumber('BENCH_SURVEY_SECONDS', 60, 1, 300);
const GOAL_P99_MS = 100;
const GOAL_RATIO = 0.6;
const RATINGS = ['satisfied', 'satisfied', 'satisfied', 'basic', 'unsatisfied'];

function form(fields: Record<string, string>, headers: Record<string, string>): PreparedRequest {
  const body = Buffer.from(new URLSearchParams(fields).toString());
  return { body, headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(body.length) } };
}

export async function runSurveyBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bot-bench-survey-'));
  const secret = 'bench-link-secret-0123456789abcdef';
  const server = await startChild<SurveyServerReady>(
    new URL('./survey-server.ts', import.meta.url),
    { BENCH_DIR: dir, BENCH_LINK_SECRET: secret },
    process.env.BENCH_SURVEY_PROF ? { execArgv: ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_SURVEY_PROF}`] } : {},
  );
  const agent = agentFor(PHONES);
  try {
    const { port, barePort, path, surveyId } = server.ready;
    console.log(`\nsurvey (canteen QR): ${PHONES} phones, ${SECONDS} s each for the bare insert and the survey, open mode, one answer per phone`);
    const phone = (i: number) => {
      const browser = crypto.randomUUID();
      return form(
        {
          _csrf: sign(secret, 'csrf', `survey:${surveyId}:${browser}`),
          rating: RATINGS[i % RATINGS.length]!,
          c1: 'satisfied',
          comment: i % 7 ? '' : '饭菜热乎，打饭师傅很耐心',
        },
        { cookie: `sv_browser=${browser}`, 'x-forwarded-for': `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` },
      );
    };
    const bareReq = form({ rating: 'satisfied' }, {});
    process.stdout.write('  bare insert…');
    const bare = await runLoad({ port: barePort, path: '/bare', connections: PHONES, durationMs: SECONDS * 1000, source: repeatSource(bareReq), agent });
    process.stdout.write(` ${fmt(bare.rps, 0)} req/s\n`);
    const n = Math.ceil(Math.max(bare.rps, 500) * SECONDS * 1.5);
    const pool = Array.from({ length: n }, (_, i) => phone(i));
    process.stdout.write(`  survey answers (${n} phones pre-built)…`);
    const before = await server.call<number>('answers');
    const answers = await runLoad({
      port,
      path,
      connections: PHONES,
      durationMs: SECONDS * 1000,
      source: poolSource(pool),
      agent,
      check: (b) => b.includes('感谢您的评价'),
    });
    const stored = (await server.call<number>('answers')) - before;
    process.stdout.write(` ${fmt(answers.rps, 0)} req/s\n`);
    const ratio = answers.rps / bare.rps;
    const errors = answers.non2xx + answers.netErrors + answers.badBodies;
    console.log(
      `  bare insert      ${fmt(bare.rps, 0).padStart(6)} req/s  p50 ${fmt(bare.p50, 1)} ms  p99 ${fmt(bare.p99, 1)} ms  errors ${bare.non2xx + bare.netErrors}`,
    );
    console.log(
      `  survey answer    ${fmt(answers.rps, 0).padStart(6)} req/s  p50 ${fmt(answers.p50, 1)} ms  p99 ${fmt(answers.p99, 1)} ms  errors ${errors}  stored ${stored} of ${answers.ok} thanked`,
    );
    const met = answers.p99 < GOAL_P99_MS && errors === 0 && ratio >= GOAL_RATIO && stored === answers.ok;
    console.log(
      `  ratio ${fmt(answers.rps, 0)} / ${fmt(bare.rps, 0)} = ${fmt(ratio, 2)}; goal p99 < ${GOAL_P99_MS} ms, 0 errors, ratio >= ${GOAL_RATIO}, every thanked answer stored: ${met ? 'met' : 'missed'}` +
        (answers.firstError ? ` (first error: ${answers.firstError})` : ''),
    );
  } finally {
    agent.destroy();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
