// The campaign's review phases drive rounds: open one per branch when a member-review phase opens,
// publish results when it closes, and send leaders their 领导点评 cards when a leader phase opens.
import { inArray } from 'drizzle-orm';
import { leaderReviewFormCard } from '../../cards/review-cards.js';
import { sendableAt } from '../../bot/engine/due-jobs.js';
import { enqueue } from '../../bot/outbox.js';
import type { TickCampaign, TickDeps } from '../../bot/schedule.js';
import { formatDeadline } from '../../bot/time.js';
import type { PlatformId } from '../../bot/types.js';
import { runBatch } from '../../db/client.js';
import { leaderLinks } from '../../db/schema.js';
import { branchCriteria, memberCriteria } from './criteria.js';
import { publishRound, repairRound, startRound } from './rounds.js';
import { roundsOfPhase } from './store.js';
import { phaseAnswer } from '../../bot/campaign/state.js';
import { onCommittee } from '../../bot/campaign/template.js';

export async function reviewPhaseHook(deps: TickDeps, now: Date, campaigns: TickCampaign[]): Promise<void> {
  for (const { campaign: c, state } of campaigns) {
    const platform = c.platform as PlatformId;
    for (const phase of state.phases) {
      const open = phase.opensAt <= now && now < phase.closesAt;
      const answer = phaseAnswer(phase);
      if (answer === 'peer-review') {
        if (open) {
          const criteria = memberCriteria(c.template);
          const rounds = await roundsOfPhase(deps.db, phase.id);
          for (const branch of state.branches) {
            const memberIds = state.roster.filter((r) => r.branchId === branch.id && r.role !== 'leader').map((r) => r.memberId);
            if (memberIds.length < 2) continue;
            const closes = formatDeadline(phase.closesAt, c.timezone);
            const notBefore = sendableAt(state, now);
            const existing = rounds.find((r) => r.branchId === branch.id);
            if (existing) {
              if (existing.status === 'open') await repairRound({ db: deps.db, config: deps.config }, existing, memberIds, closes, notBefore);
              continue;
            }
            await startRound(
              { db: deps.db, config: deps.config },
              {
                platform,
                tenantKey: c.tenantKey,
                branchId: branch.id,
                phaseId: phase.id,
                criteria,
                minBallots: deps.config.reviewMinBallots,
                openedBy: 'scheduler',
                now,
                memberIds,
              },
              closes,
              notBefore,
            );
          }
        } else if (now >= phase.closesAt) {
          for (const round of await roundsOfPhase(deps.db, phase.id)) {
            if (round.status === 'open') await publishRound({ db: deps.db, config: deps.config }, round, now, sendableAt(state, now));
          }
        }
      } else if (answer === 'leader-review' && open) {
        const leaders = state.roster.filter(onCommittee);
        if (leaders.length === 0) continue;
        const links = await deps.db
          .select()
          .from(leaderLinks)
          .where(
            inArray(
              leaderLinks.leaderId,
              leaders.map((l) => l.memberId),
            ),
          );
        const criteria = branchCriteria(c.template);
        await runBatch(
          deps.db,
          links.flatMap((link) => {
            const leader = leaders.find((l) => l.memberId === link.leaderId)!;
            const branch = state.branches.find((b) => b.id === link.branchId);
            const key = `c${c.id}:p${phase.id}:leaderform:${leader.memberId}:${link.branchId}`;
            if (!branch || state.existingKeys.has(key)) return [];
            const card = leaderReviewFormCard(
              { phaseId: phase.id, phaseTitle: phase.title, branchId: branch.id, branchName: branch.name, criteria },
              { grades: {} },
            );
            return [
              enqueue(deps.db, {
                key,
                platform,
                to: { type: 'user', id: leader.userId },
                content: { kind: 'card', card },
                notBefore: sendableAt(state, now),
                expiresAt: phase.closesAt,
                campaignId: c.id,
              }),
            ];
          }),
        );
      }
    }
  }
}
