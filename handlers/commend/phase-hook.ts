// When a 评选表彰 phase opens, the committee (the roster's leaders and the platform's administrators)
// receives the ranked candidates per title privately, once, outside quiet hours.
import type { CardModel } from '../../cards/model.js';
import { sendableAt } from '../../bot/engine/due-jobs.js';
import { enqueue } from '../../bot/outbox.js';
import type { TickCampaign, TickDeps } from '../../bot/schedule.js';
import { resultsCardOf } from './command.js';
import { contextOf } from './context.js';
import { adminIdsOf } from '../committee.js';
import { onCommittee } from '../../bot/campaign/template.js';

export async function commendPhaseHook(deps: TickDeps, now: Date, campaigns: TickCampaign[]): Promise<void> {
  for (const { campaign: c, state } of campaigns) {
    const phase = state.phases.find((p) => p.kind === 'commend' && p.opensAt <= now && now < p.closesAt);
    if (!phase) continue;
    const leaders = state.roster.filter(onCommittee).map((r) => r.userId);
    const admins = await adminIdsOf(deps.db, deps.config, c.platform, c.tenantKey);
    const to = [...new Set([...admins, ...leaders])].filter((u) => !state.existingKeys.has(`commend-results:${phase.id}:${u}`));
    if (!to.length) continue;
    const cc = await contextOf(deps.db, c, 'scheduler', now);
    if (!cc) continue;
    const notBefore = sendableAt(state, now);
    // Two versions at most: administrators' with the 提名 buttons, and the rest's.
    const cards = new Map<boolean, CardModel>();
    for (const userId of to) {
      const forAdmin = admins.includes(userId);
      if (!cards.has(forAdmin)) cards.set(forAdmin, await resultsCardOf(deps, cc, forAdmin, now));
      const card = cards.get(forAdmin)!;
      await enqueue(deps.db, {
        key: `commend-results:${phase.id}:${userId}`,
        platform: c.platform,
        to: { type: 'user', id: userId },
        content: { kind: 'card', card },
        notBefore,
        campaignId: c.id,
        expiresAt: phase.closesAt,
      });
    }
  }
}
