// The review capability (党员互评, 领导点评): its command and cards, the peer-review and leader-review
// answers, the rounds that follow review phases, and the ballots counted as answers.
import { REVIEW_ACTIONS } from '../../cards/review-cards.js';
import type { Capability } from '../../bot/capability.js';
import { phaseAnswer } from '../../bot/campaign/state.js';
import { reviewBallot, reviewOpen } from './ballot.js';
import { reviewCommand } from './command.js';
import { leaderOpen, leaderSubmit } from './leader.js';
import { reviewPhaseHook } from './phase-hook.js';
import { reviewResponses } from './responses.js';

export const reviewCapability: Capability = {
  id: 'review',
  commands: [reviewCommand],
  actions: [reviewOpen, reviewBallot, leaderOpen, leaderSubmit],
  answers: ['peer-review', 'leader-review'],
  phaseButton(phase) {
    const args = { p: String(phase.id) };
    return phaseAnswer(phase) === 'peer-review'
      ? { label: '开始互评', style: 'primary', action: { ...REVIEW_ACTIONS.open, args } }
      : { label: '获取点评卡片', style: 'primary', action: { ...REVIEW_ACTIONS.leaderOpen, args } };
  },
  tickHooks: [reviewPhaseHook],
  responseSources: [reviewResponses],
};
