// The registry dispatch routes on: every command and card action the bot understands.
import { bindCancelAction, bindCommand, bindConfirmAction } from './bind.js';
import type { ActionSpec, CommandSpec } from './context.js';
import { helpCommand } from './help.js';
import { roleCommand } from './role.js';
import { syncCommand } from './sync.js';

export const commands: CommandSpec[] = [helpCommand(() => commands), bindCommand, syncCommand, roleCommand];

export const actions: ActionSpec[] = [bindConfirmAction, bindCancelAction];

export function findCommand(name: string): CommandSpec | undefined {
  return commands.find((c) => c.name === name || c.aliases.includes(name));
}

export function findAction(id: string, v: number): ActionSpec | undefined {
  return actions.find((a) => a.id === id && a.v === v);
}
