// The survey capability (师生评议 / 群众评议): /满意度, and the respondent phases that open and close surveys.
import type { Capability } from '../../bot/capability.js';
import { surveyCommand } from './command.js';
import { surveyPhaseHook } from './phase-hook.js';
import { surveyPort } from './port.js';

export const surveyCapability: Capability = {
  id: 'survey',
  commands: [surveyCommand],
  tickHooks: [surveyPhaseHook],
  ports: { survey: surveyPort },
};
