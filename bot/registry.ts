// The routing contract: what every handler receives, the command/action specs dispatch routes on,
// and the registry of them that the composition root (runtime.ts) hands to the core.
import type { Defer } from './background.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Logger } from './log.js';
import type { CardActionEvent, CommandEvent, IncomingEvent, OutboxContent, PlatformApi, Recipient, Reply } from './types.js';
import type { Db } from '../db/client.js';
import type { Actor, AccessRole } from './access.js';
import type { Button } from '../cards/model.js';
import type { PhaseAnswer, PhaseState } from './campaign/state.js';
import type { PhaseJobs } from './engine/due-jobs.js';
import type { ResponseSource } from './engine/store.js';
import type { PlatformLimits, PublicPages } from './platform.js';
import type { Ports } from './ports.js';
import type { TickHook } from './schedule.js';

export interface HandlerDeps {
  db: Db;
  clock: Clock;
  config: Config;
  log: Logger;
  /** The outbound API of the event's platform. */
  api: PlatformApi;
  /** Its size limits (cards that page long lists read these). */
  limits: PlatformLimits;
  /** Where public web pages are (null when no adapter serves them). */
  pages: PublicPages | null;
}

export interface HandlerContext<E extends IncomingEvent = IncomingEvent> extends HandlerDeps {
  event: E;
  actor: Actor;
  /** Work to finish after the answer (e.g. patch the pledge wall once the callback is answered). */
  defer: Defer;
  /**
   * Sends a message as part of this event: it is written to the outbox in the batch that completes
   * the event, so it goes out exactly once even if the process dies. `key` is unique per message.
   */
  send(to: Recipient, content: OutboxContent, key: string): void;
  /** The handler wrote outbox rows itself (e.g. a round's invitations): have them sent now. */
  outboxWritten(): void;
  /** This run resumes an event whose earlier run was cut short (its writes may be partly there). */
  resumed: boolean;
}

/** A verb of a command family, e.g. "/campaign new"; it carries its own access rule. */
export interface SubcommandSpec {
  /** English name first, then Chinese aliases: ['new', '新建']. */
  names: string[];
  usage: string;
  summary: string;
  access: AccessRole[];
  groupOnly?: boolean;
  /** Changes bindings or roles: cached actors are dropped after it runs. */
  changesRoles?: boolean;
  /** `args` are the words after the subcommand. */
  run(ctx: HandlerContext<CommandEvent>, args: string[]): Promise<Reply>;
}

export interface CommandSpec {
  name: string;
  /** Chinese and other alternative names, e.g. "帮助". */
  aliases: string[];
  usage: string;
  summary: string;
  access: AccessRole[];
  /** Needs a group chat (it acts on the chat's branch). */
  groupOnly?: boolean;
  /** Changes bindings or roles: cached actors are dropped after it runs. */
  changesRoles?: boolean;
  run(ctx: HandlerContext<CommandEvent>): Promise<Reply>;
  subcommands?: SubcommandSpec[];
}

export interface ActionSpec {
  id: string;
  v: number;
  access: AccessRole[];
  changesRoles?: boolean;
  run(ctx: HandlerContext<CardActionEvent>): Promise<Reply>;
}

/** What capabilities add to the campaign engine (see capability.ts). */
export interface EngineParts {
  phaseJobs: PhaseJobs[];
  /** The button for a phase, from the capability that owns its answer. */
  phaseButton(phase: PhaseState, answer: PhaseAnswer | null): Button | null;
}

export interface Registry {
  commands: CommandSpec[];
  actions: ActionSpec[];
  engine?: EngineParts;
  /** Scheduled work of capabilities, run by every tick after the campaign engine. */
  tickHooks?: TickHook[];
  responseSources?: ResponseSource[];
  /** Services behind public pages (see ports.ts). */
  ports?: Ports;
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
