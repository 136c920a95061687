// The pledge capability's phase jobs: a pledge phase puts the form in each member's direct chat
// (and the branch form in each secretary's); a 践诺 phase puts the progress form there.
import type { CardModel } from '../../cards/model.js';
import { pledgeFormCard, progressFormCard } from '../../cards/pledge-cards.js';
import { completion, isOpen } from '../../bot/campaign/state.js';
import { afterQuietHours, type PhaseJobs } from '../../bot/engine/due-jobs.js';
import { formatDeadline } from '../../bot/time.js';

export const pledgePhaseJobs: PhaseJobs = (c, phase, now, add) => {
  if (!isOpen(phase, now)) return;
  const tz = c.timezone;
  const view = { id: phase.id, campaignTitle: c.title, phaseTitle: phase.title, closes: formatDeadline(phase.closesAt, tz) };
  const dm = (key: string, userId: string, make: () => CardModel | Promise<CardModel>) =>
    add(key, async () => ({
      to: { type: 'user', id: userId },
      content: { kind: 'card', card: await make() },
      notBefore: afterQuietHours(now, tz),
      expiresAt: phase.closesAt,
    }));
  const { pending } = completion(c, phase);
  if (phase.kind === 'pledge') {
    for (const person of pending) {
      dm(`c${c.id}:p${phase.id}:form:${person.memberId}`, person.userId, () =>
        pledgeFormCard(view, { kind: 'member', label: person.name }, c.pledgeAreas, { items: [] }),
      );
    }
    for (const sec of c.roster.filter((r) => r.role === 'secretary' && r.branchId !== null)) {
      const branch = c.branches.find((b) => b.id === sec.branchId);
      const owner = { kind: 'branch' as const, branchId: sec.branchId!, label: branch?.name ?? '' };
      dm(`c${c.id}:p${phase.id}:branchform:${sec.branchId}:${sec.memberId}`, sec.userId, () => pledgeFormCard(view, owner, c.pledgeAreas, { items: [] }));
    }
  } else if (phase.pledgePhaseId) {
    const pledged = c.pledges.get(phase.pledgePhaseId);
    for (const person of pending) {
      const pledge = pledged?.get(person.memberId);
      if (pledge)
        dm(`c${c.id}:p${phase.id}:progress:${person.memberId}`, person.userId, async () =>
          progressFormCard(view, pledge.id, await c.pledgeItems(pledge.id), []),
        );
    }
  }
};
