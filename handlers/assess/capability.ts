// The assess capability (申报、自评、复评、学期考核): declaration and assessment commands and cards,
// the assess and applicant-scoring answers, and the forms it sends while such a phase is open.
import { assessAnswerButton } from '../../cards/assess-cards.js';
import type { Capability } from '../../bot/capability.js';
import { phaseAnswer } from '../../bot/campaign/state.js';
import { assessActions } from './actions.js';
import { assessCommand } from './command.js';
import { declareCommand } from './declare.js';
import { assessPhaseJobs } from './phase-jobs.js';

export const assessCapability: Capability = {
  id: 'assess',
  commands: [declareCommand, assessCommand],
  actions: assessActions,
  answers: ['assess', 'applicant-scoring'],
  // Scoring applicants is offered in the leaders' own invitation card, not on cards others see.
  phaseButton: (phase) => (phaseAnswer(phase) === 'assess' ? assessAnswerButton(phase) : null),
  phaseJobs: assessPhaseJobs,
};
