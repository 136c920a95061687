// What every handler receives, and the command/action specs that dispatch routes on.
import type { Defer } from '../bot/background.js';
import type { Clock } from '../bot/clock.js';
import type { Config } from '../bot/config.js';
import type { Logger } from '../bot/log.js';
import type { CardActionEvent, CommandEvent, IncomingEvent, MessageContent, PlatformApi, Recipient, Reply } from '../bot/types.js';
import type { Db } from '../db/client.js';
import type { Actor, AccessRole } from './access.js';

export interface HandlerDeps {
  db: Db;
  clock: Clock;
  config: Config;
  log: Logger;
  api: PlatformApi;
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
  send(to: Recipient, content: MessageContent, key: string): void;
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
