// The assess capability's phase jobs: declare and semester phases put their form in each pending
// person's direct chat (declaration, self-assessment page 1, or the branch self-check); a leaders'
// review phase that scores a declare phase sends each pending leader the way to the applicants.
import { checkFormCard, reviewInviteCard } from '../../cards/assess-admin-cards.js';
import { assessPageCard } from '../../cards/assess-cards.js';
import { declareFormCard } from '../../cards/assess-declare-cards.js';
import { rubricPages } from '../../bot/campaign/rubric.js';
import { completion, isAssessPhase, isOpen, reviewWindowOf, type PhaseState } from '../../bot/campaign/state.js';
import { afterQuietHours, type PhaseJobs } from '../../bot/engine/due-jobs.js';
import { formatDeadline } from '../../bot/time.js';

export const assessPhaseJobs: PhaseJobs = (c, phase, now, add) => {
  const t = c.template;
  if (!t || !isOpen(phase, now)) return;
  const tz = c.timezone;
  const viewOf = (p: PhaseState) => ({ id: p.id, campaignTitle: c.title, phaseTitle: p.title, closes: formatDeadline(p.closesAt, tz) });
  const view = viewOf(phase);
  const dm = (person: { memberId: number; userId: string }, kind: string, make: () => ReturnType<typeof declareFormCard>) =>
    add(`c${c.id}:p${phase.id}:${kind}:${person.memberId}`, () => ({
      to: { type: 'user', id: person.userId },
      content: { kind: 'card', card: make() },
      notBefore: afterQuietHours(now, tz),
      expiresAt: phase.closesAt,
    }));
  const { pending } = completion(c, phase);
  if (phase.kind === 'review' && phase.respond === 'leader') {
    const scored = c.phases.find((p) => p.kind === 'declare' && p.respond === 'member' && reviewWindowOf(c.phases, p).id === phase.id);
    if (!scored || !t.rubric) return;
    for (const person of pending) dm(person, 'assessreview', () => reviewInviteCard(viewOf(scored), phase.title, view.closes));
    return;
  }
  if (!isAssessPhase(phase)) return;
  for (const person of pending) {
    if (phase.kind === 'declare') {
      if (t.postKinds.length) dm(person, 'declareform', () => declareFormCard(view, t.postKinds, {}));
    } else if (phase.respond === 'secretary') {
      const branch = c.branches.find((b) => b.id === person.branchId);
      if (branch && t.criteria.branch.length)
        dm(person, 'checkform', () => checkFormCard(view, { branchId: branch.id, label: branch.name }, t.criteria.branch, {}));
    } else if (t.rubric) {
      const rubric = t.rubric;
      const first = rubricPages(rubric)[0]!.id;
      dm(person, 'assessform', () => assessPageCard({ phase: view, rubric, postKind: null, subject: null, pagesDone: [] }, first, {}));
    }
  }
};
