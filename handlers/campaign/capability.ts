// The campaign capability: /活动 and the plain "我已完成" answer of phases no form answers.
import { phaseDoneButton } from '../../cards/campaign-cards.js';
import type { Capability } from '../../bot/capability.js';
import { phaseDoneAction } from '../phase-done.js';
import { campaignCommand } from './index.js';

export const campaignCapability: Capability = {
  id: 'campaign',
  commands: [campaignCommand],
  actions: [phaseDoneAction],
  answers: ['done'],
  phaseButton: (phase) => phaseDoneButton(phase.id),
};
