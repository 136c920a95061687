// The bench's export child: opens the seeded database and writes, on request, the full ledger (or a
// reference of the same number of rows) to a file, reporting time and the process's peak RSS.
// One fresh process per kind, so the peak is the export's own.
import { createWriteStream, statSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { Writable } from 'node:stream';
import { eq, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { openDatabase } from '../../db/client.js';
import { campaigns, reviewBallots } from '../../db/schema.js';
import { ledgerFile } from '../../handlers/ledger/build.js';
import { computeResults } from '../../handlers/results/compute.js';
import { parseConfig } from '../../bot/config.js';
import { ledgerSheets } from '../../handlers/ledger/sheets.js';
import { ledgerSource } from '../../handlers/ledger/source.js';
import { serveRpc } from './ipc.js';

const url = process.env.LEDGER_DB!;
const database = await openDatabase(url);
const { db } = database;

const mb = (kb: number) => kb / 1024;
let peak = 0;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 5);
sampler.unref();

function finished(out: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    out.on('finish', resolve);
    out.on('close', resolve);
    out.on('error', reject);
  });
}

async function measure(path: string, work: (out: Writable) => Promise<number>) {
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  peak = rssBefore;
  const out = createWriteStream(path);
  const done = finished(out);
  const t0 = performance.now();
  const rows = await work(out);
  await done;
  const ms = performance.now() - t0;
  peak = Math.max(peak, process.memoryUsage().rss);
  return { ms, rows, bytes: statSync(path).size, peakRssMb: peak / 1048576, rssBeforeMb: rssBefore / 1048576, maxRssMb: mb(process.resourceUsage().maxRSS) };
}

serveRpc(
  {
    /** The full ledger twice in this process: cold (loads exceljs, first queries), then warm. */
    async ledger(path: string) {
      const [campaign] = await db.select().from(campaigns).where(eq(campaigns.status, 'active'));
      const once = (to: string) =>
        measure(to, async (out) => {
          const file = await ledgerFile(db, campaign!, null, null, new Date());
          await file!.write(out);
          return 0;
        });
      const cold = await once(path);
      const warm = await once(`${path}.warm`);
      return { cold, warm };
    },
    /** The campaign's results (every title, every part) computed five times; and a plain SQL tally of all ballots per ratee for reference. */
    async results() {
      const [campaign] = await db.select().from(campaigns).where(eq(campaigns.status, 'active'));
      const config = parseConfig({ REVIEW_SECRET: 'bench-review-secret' });
      const times: number[] = [];
      let ranked = 0;
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        const r = await computeResults(db, config, campaign!, new Date(), 1);
        times.push(performance.now() - t0);
        ranked = r?.titles.reduce((n, t) => n + t.groups.reduce((m, g) => m + g.entries.length, 0), 0) ?? 0;
      }
      const t1 = performance.now();
      await db
        .select({ ratee: reviewBallots.rateeId, n: sql<number>`count(*)`, ex: sql<number>`sum(${reviewBallots.grade} = 'excellent')` })
        .from(reviewBallots)
        .groupBy(reviewBallots.rateeId);
      return { times, ranked, tallyMs: performance.now() - t1 };
    },
    async rowCount() {
      const [campaign] = await db.select().from(campaigns).where(eq(campaigns.status, 'active'));
      const src = await ledgerSource(db, campaign!, null);
      const counts: Record<string, number> = {};
      for (const spec of ledgerSheets) {
        let n = 0;
        for await (const _ of spec.rows(src)) n++;
        counts[spec.name] = n;
      }
      return counts;
    },
    /** exceljs's streaming writer with the same number of rows of constant cells, in one sheet. */
    async constantXlsx(arg: { path: string; rows: number }) {
      return measure(arg.path, async (out) => {
        const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
        const sheet = book.addWorksheet('常量');
        sheet.columns = Array.from({ length: 10 }, (_, i) => ({ header: `列${i + 1}`, width: 14 }));
        const cells = ['后勤第1党支部', '党员1-1', '党员互评', 5, 1, 2, 1, 1, 3.2, '说明文字'];
        for (let i = 0; i < arg.rows; i++) sheet.addRow(cells).commit();
        sheet.commit();
        await book.commit();
        return arg.rows;
      });
    },
    /** Every ballot line as plain CSV, read in pages: the raw table the peer sheet aggregates. */
    async ballotsCsv(path: string) {
      return measure(path, async (out) => {
        let n = 0;
        let after = { roundId: 0, tag: '' };
        for (;;) {
          // Keyset pages on the primary key (round, tag).
          const page = await db
            .select()
            .from(reviewBallots)
            .where(sql`(${reviewBallots.roundId}, ${reviewBallots.tag}) > (${after.roundId}, ${after.tag})`)
            .orderBy(reviewBallots.roundId, reviewBallots.tag)
            .limit(5_000);
          if (page.length) after = { roundId: page.at(-1)!.roundId, tag: page.at(-1)!.tag };
          let chunk = '';
          for (const b of page) chunk += `${b.roundId},${b.tag},${b.rateeId},${b.grade},${b.s1},${b.s2},${b.s3},${b.s4},${b.s5},${b.comment ?? ''}\n`;
          if (!out.write(chunk)) await new Promise((r) => out.once('drain', r));
          n += page.length;
          if (page.length < 5_000) break;
        }
        out.end();
        return n;
      });
    },
    close() {
      database.close();
      return null;
    },
  },
  { pid: process.pid },
);
