// Every capability of the bot: the registry the composition root (bot/runtime.ts) hands to the core.
import { anniversaryCommand, anniversaryOptAction, joinedCommand } from './anniversary.js';
import { campaignCommand } from './campaign/index.js';
import { reviewResponses } from './review/responses.js';
import { phaseDoneAction } from './phase-done.js';
import { reviewBallot, reviewOpen } from './review/ballot.js';
import { reviewCommand } from './review/command.js';
import { leaderOpen, leaderSubmit } from './review/leader.js';
import { reviewPhaseHook } from './review/phase-hook.js';
import { pledgeActions } from './pledge/actions.js';
import { assessActions } from './assess/actions.js';
import { assessCommand } from './assess/command.js';
import { declareCommand } from './assess/declare.js';
import { pledgeCommand } from './pledge/command.js';
import { bindCancelAction, bindCommand, bindConfirmAction } from './bind.js';
import type { CommandSpec, Registry } from '../bot/registry.js';
import { helpCommand } from './help.js';
import { roleCommand } from './role.js';
import { syncCommand } from './sync.js';
import { whoamiCommand } from './whoami.js';

const commands: CommandSpec[] = [
  helpCommand(() => commands),
  campaignCommand,
  pledgeCommand,
  declareCommand,
  assessCommand,
  reviewCommand,
  bindCommand,
  syncCommand,
  roleCommand,
  joinedCommand,
  anniversaryCommand,
  whoamiCommand,
];

export const defaultRegistry: Registry = {
  commands,
  actions: [bindConfirmAction, bindCancelAction, phaseDoneAction, anniversaryOptAction, ...pledgeActions, ...assessActions, reviewOpen, reviewBallot, leaderOpen, leaderSubmit],
  tickHooks: [reviewPhaseHook],
  responseSources: [reviewResponses],
};
