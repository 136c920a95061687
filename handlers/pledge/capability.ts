// The pledge capability (承诺/践诺): its command and card actions, the pledge and progress answers
// of phases, and the forms it sends while such a phase is open.
import { PLEDGE_ACTIONS } from '../../cards/pledge-cards.js';
import type { Capability } from '../../bot/capability.js';
import { phaseAnswer } from '../../bot/campaign/state.js';
import { pledgeActions } from './actions.js';
import { pledgeCommand } from './command.js';
import { pledgePhaseJobs } from './phase-jobs.js';
import { pledgesPort } from './public.js';

export const pledgeCapability: Capability = {
  id: 'pledge',
  commands: [pledgeCommand],
  actions: pledgeActions,
  answers: ['pledge', 'progress'],
  phaseButton(phase) {
    const args = { p: String(phase.id) };
    return phaseAnswer(phase) === 'pledge'
      ? { label: '填写承诺', style: 'primary', action: { ...PLEDGE_ACTIONS.open, args } }
      : { label: '报告践诺进度', style: 'primary', action: { ...PLEDGE_ACTIONS.report, args } };
  },
  phaseJobs: pledgePhaseJobs,
  ports: { pledges: pledgesPort },
};
