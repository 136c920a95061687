// Peer-review aggregation benchmark: 1,000 members in 10 branches of 100 (~99,000 ballots), time to
// compute every member's result (grade counts and criteria averages) and who has voted.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { runBatch } from '../../db/client.js';
import { openMigratedDatabase } from '../../db/open-node.js';
import { branches, members, reviewBallots, reviewRoundMembers, reviewRounds, reviewVoters, GRADES } from '../../db/schema.js';
import { aggregateRound } from '../../handlers/review/aggregate.js';
import { raterTags, voterTag } from '../../handlers/review/anonymity.js';
import { completedVoters } from '../../handlers/review/store.js';

const BRANCHES = 10;
const PER_BRANCH = 100;
const SECRET = 'bench-secret';
const GOAL_MS = 200;

export async function runReviewAggregateBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-review-'));
  const database = await openMigratedDatabase(`file:${join(dir, 'bench.db')}`);
  const { db } = database;
  try {
    const setupStart = performance.now();
    const rounds: Array<{ id: number; roster: Array<{ id: number }> }> = [];
    for (let b = 0; b < BRANCHES; b++) {
      const [branch] = await db
        .insert(branches)
        .values({ platform: 'feishu', tenantKey: 't', name: `支部${b}`, chatId: `oc_${b}` })
        .returning();
      const people = await db
        .insert(members)
        .values(
          Array.from({ length: PER_BRANCH }, (_, i) => ({
            platform: 'feishu',
            tenantKey: 't',
            userId: `ou_${b}_${i}`,
            name: `党员${b}-${i}`,
            branchId: branch!.id,
          })),
        )
        .returning({ id: members.id });
      const [round] = await db
        .insert(reviewRounds)
        .values({
          platform: 'feishu',
          tenantKey: 't',
          branchId: branch!.id,
          criteria: ['a', 'b', 'c', 'd', 'e'],
          minBallots: 3,
          openedBy: 'bench',
          openedAt: new Date(),
        })
        .returning();
      await db.insert(reviewRoundMembers).values(people.map((p) => ({ roundId: round!.id, memberId: p.id })));
      let seed = b + 1;
      const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
      const rows = people.flatMap((rater) => {
        const tagOf = raterTags(SECRET, round!.id, rater.id);
        return people
          .filter((ratee) => ratee.id !== rater.id)
          .map((ratee) => ({
            roundId: round!.id,
            tag: tagOf(ratee.id),
            rateeId: ratee.id,
            grade: GRADES[Math.floor(rnd() * 4)]!,
            s1: 1 + Math.floor(rnd() * 5),
            s2: 1 + Math.floor(rnd() * 5),
            s3: rnd() < 0.5 ? null : 1 + Math.floor(rnd() * 5),
            s4: 1 + Math.floor(rnd() * 5),
            s5: 1 + Math.floor(rnd() * 5),
            comment: rnd() < 0.1 ? '继续保持' : null,
          }));
      });
      const chunks = [];
      for (let i = 0; i < rows.length; i += 500) chunks.push(db.insert(reviewBallots).values(rows.slice(i, i + 500)));
      chunks.push(db.insert(reviewVoters).values(people.map((p) => ({ roundId: round!.id, tag: voterTag(SECRET, round!.id, p.id) }))));
      await runBatch(db, chunks);
      rounds.push({ id: round!.id, roster: people });
    }
    const setupMs = performance.now() - setupStart;
    const time = async (work: () => Promise<number>) => {
      const runs: number[] = [];
      let count = 0;
      for (let run = 0; run < 5; run++) {
        const t0 = performance.now();
        count = await work();
        runs.push(performance.now() - t0);
      }
      runs.sort((a, b) => a - b);
      return { count, median: runs[2]!, best: runs[0]!, worst: runs[4]! };
    };
    const results = await time(async () => {
      let n = 0;
      for (const r of rounds) n += (await aggregateRound(db, r.id)).size;
      return n;
    });
    const voters = await time(async () => {
      let n = 0;
      for (const r of rounds) n += (await completedVoters(db, SECRET, r.id, r.roster)).size;
      return n;
    });
    const line = (t: { median: number; best: number; worst: number }) =>
      `median ${t.median.toFixed(1)} ms, best ${t.best.toFixed(1)} ms, worst ${t.worst.toFixed(1)} ms over 5 runs`;
    console.log('\nreview aggregation (issue 6): 1,000 members in 10 branches of 100, 99,000 ballots');
    console.log(`  setup (members + ballots written): ${setupMs.toFixed(0)} ms`);
    console.log(`  all results (grade counts and criteria averages) for ${results.count} members: ${line(results)}`);
    console.log(`  goal < ${GOAL_MS} ms: ${results.median < GOAL_MS ? 'goal met' : 'goal missed'}`);
    console.log(`  who has voted (${voters.count} voters, from keyed per-rater markers: one HMAC per member): ${line(voters)}`);
  } finally {
    database.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
