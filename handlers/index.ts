// The registry dispatch routes on: every command and card action the bot understands.
import { anniversaryCommand, anniversaryOptAction, joinedCommand } from './anniversary.js';
import { campaignCommand } from './campaign/index.js';
import type { TickHook } from '../bot/schedule.js';
import type { ResponseSource } from '../bot/campaign/store.js';
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
import type { ActionSpec, CommandSpec, SubcommandSpec } from './context.js';
import { helpCommand } from './help.js';
import { roleCommand } from './role.js';
import { syncCommand } from './sync.js';
import { whoamiCommand } from './whoami.js';

export interface Registry {
  commands: CommandSpec[];
  actions: ActionSpec[];
  /** Scheduled work of capabilities, run by every tick after the campaign engine. */
  tickHooks?: TickHook[];
  responseSources?: ResponseSource[];
}

export function findCommand(registry: Registry, name: string): CommandSpec | undefined {
  return registry.commands.find((c) => c.name === name || c.aliases.includes(name));
}

export function findSubcommand(spec: CommandSpec, word: string | undefined): SubcommandSpec | undefined {
  if (!word || !spec.subcommands) return undefined;
  const w = word.toLowerCase();
  return spec.subcommands.find((s) => s.names.includes(w));
}

export function findAction(registry: Registry, id: string, v: number): ActionSpec | undefined {
  return registry.actions.find((a) => a.id === id && a.v === v);
}

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
