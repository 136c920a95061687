// The end of a campaign (评选表彰): /表彰, its buttons and vote, and the public 公示 and certificate pages.
import type { Capability } from '../../bot/capability.js';
import { nominateAction, voteAction, withdrawAction } from './actions.js';
import { commendCommand } from './command.js';
import { commendPhaseHook } from './phase-hook.js';
import { commendPort } from './port.js';

export const commendCapability: Capability = {
  id: 'commend',
  commands: [commendCommand],
  actions: [nominateAction, withdrawAction, voteAction],
  tickHooks: [commendPhaseHook],
  ports: { commend: commendPort },
};
