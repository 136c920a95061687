// Who has answered a campaign's peer-review phase: recomputed from the ballots' keyed hashes each time,
// so that no stored row (whose order could be matched to the ballots) says who voted.
import type { ResponseSource } from '../../bot/engine/store.js';
import { completedVoters, roundRoster, roundsOfPhase } from './store.js';
import { phaseAnswer } from '../../bot/campaign/state.js';

export const reviewResponses: ResponseSource = async (db, config, _campaign, phases) => {
  if (!config.reviewSecret) return [];
  const out: Array<{ phaseId: number; memberId: number }> = [];
  for (const phase of phases.filter((p) => phaseAnswer(p) === 'peer-review')) {
    for (const round of await roundsOfPhase(db, phase.id)) {
      const roster = await roundRoster(db, round.id);
      for (const memberId of await completedVoters(db, config.reviewSecret, round.id, roster)) out.push({ phaseId: phase.id, memberId });
    }
  }
  return out;
};
