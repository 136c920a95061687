// The campaign capability: /活动 and the plain "我已完成" answer of phases no form answers.
import { phaseDoneButton } from '../../cards/campaign-cards.js';
import type { Capability } from '../../bot/capability.js';
import { phaseDoneAction } from '../phase-done.js';
import { campaignCommand } from './index.js';
import { exemptCommand, leaveCommand } from './leave.js';

export const campaignCapability: Capability = {
  id: 'campaign',
  commands: [campaignCommand, leaveCommand, exemptCommand],
  actions: [phaseDoneAction],
  answers: ['done'],
  phaseButton: (phase) => phaseDoneButton(phase.id),
};
