// Opening a round (invitations to every member) and closing it (results to each person and the branch).
import { and, eq, sql } from 'drizzle-orm';
import { ballotInviteCard, branchSummaryCard, myResultCard, resultsCard, type GradeKey, type MemberResult } from '../../cards/review-cards.js';
import type { Config } from '../../bot/config.js';
import { enqueue, type OutboxMessage } from '../../bot/outbox.js';
import type { PlatformId } from '../../bot/types.js';
import { runBatch, type Db } from '../../db/client.js';
import { branchById } from '../branches.js';
import { members, reviewRoundMembers, reviewRounds } from '../../db/schema.js';
import { aggregateRound, commentsAbout, emptyResult } from './aggregate.js';
import { requireSecret } from './anonymity.js';
import { completedVoters, openRound, roundById, roundRoster, type NewRound, type RoundRow } from './store.js';

export interface RoundDeps {
  db: Db;
  config: Config;
}

function message(
  platform: PlatformId,
  key: string,
  userOrChat: { type: 'user' | 'chat'; id: string },
  card: ReturnType<typeof resultsCard>,
  now: Date,
): OutboxMessage {
  return { key, platform, to: userOrChat, content: { kind: 'card', card }, notBefore: now };
}

async function invite(deps: RoundDeps, round: RoundRow, closes: string | null, notBefore: Date): Promise<void> {
  const roster = await roundRoster(deps.db, round.id);
  const { name } = await branchById(deps.db, round.branchId);
  const card = ballotInviteCard(round.id, name, roster.length - 1, closes);
  const platform = round.platform as PlatformId;
  await runBatch(
    deps.db,
    roster.map((m) => enqueue(deps.db, message(platform, `review:${round.id}:invite:${m.id}`, { type: 'user', id: m.userId }, card, notBefore))),
  );
}

/** Opens the round and queues an invitation card to each member's direct chat; null if one is open. */
export async function startRound(deps: RoundDeps, n: NewRound, closes: string | null, notBefore: Date = n.now): Promise<RoundRow | null> {
  const round = await openRound(deps.db, n);
  if (round) await invite(deps, round, closes, notBefore);
  return round;
}

/**
 * A phase's round whose roster or invitations were not all written (a failure between statements)
 * gets them now; invitation keys make this a no-op once complete.
 */
export async function repairRound(deps: RoundDeps, round: RoundRow, memberIds: number[], closes: string | null, notBefore: Date): Promise<void> {
  const [{ invited }] = (await deps.db.all<{ invited: number }>(
    sql`SELECT count(*) AS invited FROM outbox WHERE dedupe_key LIKE ${`review:${round.id}:invite:%`}`,
  )) as [{ invited: number }];
  const roster = await roundRoster(deps.db, round.id);
  if (roster.length > 0 && invited >= roster.length) return;
  if (roster.length === 0 && memberIds.length > 0) {
    await deps.db
      .insert(reviewRoundMembers)
      .values(memberIds.map((memberId) => ({ roundId: round.id, memberId })))
      .onConflictDoNothing();
  }
  await invite(deps, round, closes, notBefore);
}

/**
 * Closes the round and queues the results in one batch (so a failure leaves the round open to retry):
 * secretaries see the branch, each member only their own.
 */
export async function publishRound(deps: RoundDeps, round: RoundRow, now: Date, notBefore: Date = now): Promise<boolean> {
  if ((await roundById(deps.db, round.id))?.status !== 'open') return false;
  const secret = requireSecret(deps.config.reviewSecret);
  const platform = round.platform as PlatformId;
  const roster = await roundRoster(deps.db, round.id);
  const agg = await aggregateRound(deps.db, round.id);
  const voted = await completedVoters(deps.db, secret, round.id, roster);
  const results = new Map<number, MemberResult>();
  for (const m of roster) {
    const a = agg.get(m.id);
    const r = a ? { name: m.name, ballots: a.ballots, grades: a.grades, stars: a.stars, comments: [] as string[] } : emptyResult(m.name);
    // Comments are read only where they will be shown (k ballots or more).
    if (r.ballots >= round.minBallots) r.comments = await commentsAbout(deps.db, round.id, m.id);
    results.set(m.id, r);
  }
  const { name, chatId } = await branchById(deps.db, round.branchId);
  const all = roster.map((m) => results.get(m.id)!);
  const shown = all.filter((r) => r.ballots >= round.minBallots);
  const totals = Object.fromEntries(
    (['excellent', 'qualified', 'basic', 'unqualified'] as GradeKey[]).map((g) => [g, shown.reduce((s, r) => s + r.grades[g], 0)]),
  ) as Record<GradeKey, number>;
  const secretaries = await deps.db
    .select({ id: members.id, userId: members.userId })
    .from(members)
    .where(and(eq(members.branchId, round.branchId), eq(members.role, 'secretary'), eq(members.active, true)));
  const out: OutboxMessage[] = [
    ...secretaries.map((s) =>
      message(
        platform,
        `review:${round.id}:results:${s.id}`,
        { type: 'user', id: s.userId },
        resultsCard(name, round.criteria, round.minBallots, voted.size, roster.length, all),
        now,
      ),
    ),
    ...roster.map((m) =>
      message(
        platform,
        `review:${round.id}:mine:${m.id}`,
        { type: 'user', id: m.userId },
        myResultCard(name, round.criteria, round.minBallots, results.get(m.id)!),
        now,
      ),
    ),
    ...(chatId
      ? [message(platform, `review:${round.id}:summary`, { type: 'chat', id: chatId }, branchSummaryCard(name, voted.size, roster.length, totals), now)]
      : []),
  ];
  await runBatch(deps.db, [
    deps.db
      .update(reviewRounds)
      .set({ status: 'closed', closedAt: now })
      .where(and(eq(reviewRounds.id, round.id), eq(reviewRounds.status, 'open'))),
    ...out.map((m) => enqueue(deps.db, { ...m, notBefore })),
  ]);
  return true;
}
