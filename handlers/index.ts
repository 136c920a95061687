// The registry dispatch routes on: every command and card action the bot understands.
import { anniversaryCommand, anniversaryOptAction, joinedCommand } from './anniversary.js';
import { campaignCommand } from './campaign/index.js';
import { phaseDoneAction } from './phase-done.js';
import { pledgeActions } from './pledge/actions.js';
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
  bindCommand,
  syncCommand,
  roleCommand,
  joinedCommand,
  anniversaryCommand,
  whoamiCommand,
];

export const defaultRegistry: Registry = {
  commands,
  actions: [bindConfirmAction, bindCancelAction, phaseDoneAction, anniversaryOptAction, ...pledgeActions],
};
