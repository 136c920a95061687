// The registry dispatch routes on: every command and card action the bot understands.
import { bindCancelAction, bindCommand, bindConfirmAction } from './bind.js';
import type { ActionSpec, CommandSpec } from './context.js';
import { helpCommand } from './help.js';
import { roleCommand } from './role.js';
import { syncCommand } from './sync.js';

export interface Registry {
  commands: CommandSpec[];
  actions: ActionSpec[];
}

export function findCommand(registry: Registry, name: string): CommandSpec | undefined {
  return registry.commands.find((c) => c.name === name || c.aliases.includes(name));
}

export function findAction(registry: Registry, id: string, v: number): ActionSpec | undefined {
  return registry.actions.find((a) => a.id === id && a.v === v);
}

const commands: CommandSpec[] = [helpCommand(() => commands), bindCommand, syncCommand, roleCommand];

export const defaultRegistry: Registry = {
  commands,
  actions: [bindConfirmAction, bindCancelAction],
};
