// The way of one event: admitted to the durable inbox (dedupe), routed to its handler, and completed
// in one batch with the replies and messages it produces; unfinished events are resumed.
import { accessLabel, hasAccess } from './access.js';
import { afterQuietHours } from './engine/due-jobs.js';
import { holdForHolidays } from './holiday-hold.js';
import { commandAgain, isCommandAgain } from './command-again.js';
import type { ActorCache } from './actor-cache.js';
import type { Defer } from './background.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import { ChoiceError, InputError } from './errors.js';
import { admit, claimPending, completeEvent, MAX_EVENT_ATTEMPTS } from './inbox.js';
import type { Instance } from './instance.js';
import { enqueue, type OutboxMessage } from './outbox.js';
import type { Logger } from './log.js';
import type { Adapters, PlatformAdapter, PublicPages } from './platform.js';
import { findAction, findCommand, findSubcommand, type HandlerContext, type Registry } from './registry.js';
import type { KickOutbox } from './sender.js';
import type { Db } from '../db/client.js';
import type { CardActionEvent, CommandEvent, IncomingEvent, MessageContent, MessageEvent, Reply } from './types.js';

export interface DispatchDeps {
  db: Db;
  clock: Clock;
  config: Config;
  log: Logger;
  /** The platforms events come from; each event is answered through its own. */
  adapters: Adapters;
  /** Where public web pages are (looked up once from the adapters). */
  pages: PublicPages | null;
  registry: Registry;
  actors: ActorCache;
  instance: Instance;
  /** Called after an event's messages are durable, to send them now. */
  kick: KickOutbox;
  /** Runs of events this process is working on, by "platform:eventId", so resuming never runs one twice at once. */
  processing: Map<string, number>;
  /** Overrides every adapter's ack budget (tests). */
  cardAckBudgetMs?: number;
}

type Deps = DispatchDeps;

const HINT = '你好！我是党建助手。发送 /帮助 查看我能做什么。';
const FAILED = '处理时出现问题，已记录，请稍后再试或联系管理员。';
const PROCESSING: Reply = { toast: { type: 'info', text: '正在处理，请稍候…' } };

/** The adapter of an event's platform; an event is only admitted through a mounted adapter. */
function adapterOf(deps: Deps, event: IncomingEvent): PlatformAdapter & { api: NonNullable<PlatformAdapter['api']> } {
  const adapter = deps.adapters.get(event.platform);
  if (!adapter?.api) throw new Error(`no sending adapter for platform "${event.platform}"`);
  return adapter as PlatformAdapter & { api: NonNullable<PlatformAdapter['api']> };
}

/**
 * Messages a handler asks to send (they become outbox rows in the batch that completes the event),
 * and whether it wrote outbox rows of its own that should go out now.
 */
interface Sends {
  messages: OutboxMessage[];
  queued: boolean;
}
const noSends = (): Sends => ({ messages: [], queued: false });

const keyOf = (e: IncomingEvent) => `${e.platform}:${e.eventId}`;

export interface HandleOptions {
  /** Answer a command in the return value instead of through the outbox (a web page that shows it). */
  inline?: boolean;
  /** How long a card action may run before "processing" is answered (a page waits longer than a platform). */
  ackBudgetMs?: number;
}

/**
 * Admits the event, then: a card action (or an inline command) is answered now, its Reply becoming
 * the HTTP body; a message or command is processed in the background, its reply sent through the outbox.
 * Throws only when the event could not be recorded (the platform should retry then).
 */
export async function handleEvent(deps: DispatchDeps, event: IncomingEvent, defer: Defer, opts: HandleOptions = {}): Promise<Reply | null> {
  const admission = await admit(deps, event, deps.clock.now());
  if (admission.kind === 'done') {
    deps.log.info('duplicate delivery ignored', { eventId: event.eventId });
    return null;
  }
  if (admission.kind === 'busy' || deps.processing.has(keyOf(event))) return event.kind === 'cardAction' ? PROCESSING : null;
  if (admission.kind === 'resume') deps.log.warn('resuming an unfinished event', { eventId: event.eventId, attempts: admission.attempts });
  if (admission.attempts > MAX_EVENT_ATTEMPTS) {
    await giveUp(deps, event, defer);
    return event.kind === 'cardAction' ? { toast: { type: 'error', text: FAILED } } : null;
  }
  const resumed = admission.kind === 'resume';
  if (event.kind === 'cardAction') return tracked(deps, event, answerCardAction(deps, event, defer, resumed, opts.ackBudgetMs));
  if (opts.inline) return tracked(deps, event, answerInline(deps, event, defer, resumed));
  defer(tracked(deps, event, processMessage(deps, event, defer, resumed)));
  return null;
}

async function answerInline(deps: DispatchDeps, event: CommandEvent | MessageEvent, defer: Defer, resumed: boolean): Promise<Reply | null> {
  const sends = noSends();
  const reply = await routeMessage(deps, event, defer, sends, resumed).catch((err: unknown) => discardAndExplain(deps, event, err, sends));
  await complete(deps, event, sends, defer);
  return reply;
}

async function tracked<T>(deps: DispatchDeps, event: IncomingEvent, work: Promise<T>): Promise<T> {
  const key = keyOf(event);
  deps.processing.set(key, (deps.processing.get(key) ?? 0) + 1);
  try {
    return await work;
  } finally {
    const left = (deps.processing.get(key) ?? 1) - 1;
    if (left > 0) deps.processing.set(key, left);
    else deps.processing.delete(key);
  }
}

/**
 * Runs events left unfinished by a crash (or whose process died while holding them), oldest first.
 * Called at start and by every tick; returns how many it ran.
 */
export async function resumePending(deps: DispatchDeps, defer: Defer, limit = 100): Promise<number> {
  let ran = 0;
  // One claim at a time, just before its run: a claim taken for a later event would age while
  // the earlier ones run, and another instance could take it over in between.
  for (; ran < limit; ran++) {
    const [next] = await claimPending(deps, 1, new Set(deps.processing.keys()));
    if (!next) break;
    const { event, attempts, receivedAt } = next;
    deps.log.warn('resuming an unfinished event', { eventId: event.eventId, attempts });
    await tracked(
      deps,
      event,
      (async () => {
        if (attempts > MAX_EVENT_ATTEMPTS) return giveUp(deps, event, defer);
        if (event.kind === 'cardAction') {
          const sends = noSends();
          const reply = await runCardAction(deps, event, defer, sends, true).catch((err: unknown) => discardAndExplain(deps, event, err, sends));
          return finishLate(deps, event, reply, sends, defer, receivedAt);
        }
        return processMessage(deps, event, defer, true);
      })(),
    ).catch((err: unknown) => deps.log.error('resumed event not completed', { eventId: event.eventId, error: err }));
  }
  return ran;
}

function errorReply(deps: Deps, event: IncomingEvent, err: unknown): Reply {
  if (err instanceof ChoiceError) return { card: err.card, toast: { type: 'info', text: err.message } };
  if (err instanceof InputError) return { text: err.message, toast: { type: 'error', text: err.message } };
  deps.log.error('handler failed', { eventId: event.eventId, kind: event.kind, error: err });
  return { text: FAILED, toast: { type: 'error', text: FAILED } };
}

/** A handler that failed sends nothing it had asked to send. */
function discardAndExplain(deps: Deps, event: IncomingEvent, err: unknown, sends: Sends): Reply {
  sends.messages.length = 0;
  return errorReply(deps, event, err);
}

export function contentOf(reply: Reply): MessageContent | null {
  if (reply.card) return { kind: 'card', card: reply.card };
  if (reply.text) return { kind: 'text', text: reply.text };
  return null;
}

function handlerContext<E extends IncomingEvent>(
  deps: DispatchDeps,
  event: E,
  actor: HandlerContext['actor'],
  defer: Defer,
  sends: Sends,
  resumed: boolean,
): HandlerContext<E> {
  const adapter = adapterOf(deps, event);
  return {
    db: deps.db,
    clock: deps.clock,
    config: deps.config,
    log: deps.log,
    api: adapter.api,
    limits: adapter.limits,
    pages: deps.pages,
    event,
    actor,
    defer,
    resumed,
    send: (to, content, key) => {
      // Quiet hours hold for everyone but the sender: what a command sends others waits for the morning.
      const own = (to.type === 'user' && to.id === event.userId) || (to.type === 'chat' && to.id === event.chatId);
      const now = deps.clock.now();
      sends.messages.push({ key, platform: event.platform, to, content, notBefore: own ? now : afterQuietHours(now, deps.config.timezone), urgent: own });
    },
    outboxWritten: () => {
      sends.queued = true;
    },
  };
}

async function routeMessage(deps: DispatchDeps, event: CommandEvent | MessageEvent, defer: Defer, sends: Sends, resumed: boolean): Promise<Reply | null> {
  if (event.kind === 'message') return event.chatType === 'p2p' || event.text ? { text: HINT } : null;
  const spec = findCommand(deps.registry, event.name);
  if (!spec) return { text: `未知命令「/${event.name}」。发送 /帮助 查看可用命令。` };
  const sub = findSubcommand(spec, event.args[0]);
  const rule = sub ?? spec;
  const label = sub ? `/${spec.name} ${sub.names[0]}（/${spec.aliases[0]} ${sub.names[1] ?? sub.names[0]}）` : `/${spec.name}（/${spec.aliases[0]}）`;
  if (rule.groupOnly && event.chatType === 'p2p') return { text: `${label} 需要在支部群中 @我 使用。` };
  const actor = await deps.actors.get(deps.db, deps.config, event);
  if (!hasAccess(actor, rule.access)) return { text: `抱歉，${label} 仅限${accessLabel(rule.access)}使用。` };
  const ctx = handlerContext(deps, event, actor, defer, sends, resumed);
  try {
    return sub ? await sub.run(ctx, event.args.slice(1)) : await spec.run(ctx);
  } finally {
    if (rule.changesRoles) deps.actors.clear();
  }
}

/** Runs the command, then records its reply and messages and marks the event done, all in one batch. */
async function processMessage(deps: DispatchDeps, event: CommandEvent | MessageEvent, defer: Defer, resumed: boolean): Promise<void> {
  const sends = noSends();
  const reply = await routeMessage(deps, event, defer, sends, resumed).catch((err: unknown) => discardAndExplain(deps, event, err, sends));
  const content = reply && contentOf(reply);
  // A command a page asked (no chat message to answer) was answered on the page, or is lost with it.
  if (content && event.messageId)
    sends.messages.push({
      key: `reply:${event.eventId}`,
      platform: event.platform,
      to: { type: 'reply', chatId: event.chatId, messageId: event.messageId },
      content,
      notBefore: deps.clock.now(),
      urgent: true,
    });
  await complete(deps, event, sends, defer);
}

/** Tries of the completing batch: its effects are written, so it is worth waiting out a busy server. */
const COMPLETE_TRIES = 3;

async function complete(deps: DispatchDeps, event: IncomingEvent, sends: Sends, defer: Defer, status: 'done' | 'failed' = 'done'): Promise<void> {
  await holdForHolidays(deps.db, event, deps.config.timezone, sends.messages);
  for (let attempt = 1; ; attempt++) {
    try {
      // Safe to repeat: the batch is atomic, its outbox rows are keyed, the done mark is idempotent.
      await completeEvent(
        deps,
        event,
        sends.messages.map((m) => enqueue(deps.db, m)),
        status,
      );
      break;
    } catch (err) {
      if (attempt >= COMPLETE_TRIES) throw err;
      deps.log.warn('completing an event failed; trying again', { eventId: event.eventId, attempt, error: err });
      await new Promise((r) => setTimeout(r, 2_000 * attempt));
    }
  }
  if (sends.messages.length || sends.queued) deps.kick(defer);
}

async function runCardAction(deps: DispatchDeps, event: CardActionEvent, defer: Defer, sends: Sends, resumed: boolean): Promise<Reply> {
  if (isCommandAgain(event)) return runCommandAgain(deps, event, defer, sends, resumed);
  const spec = findAction(deps.registry, event.action.id, event.action.v);
  if (!spec) return { toast: { type: 'warning', text: '该卡片已失效，请重新发送命令获取新卡片。' } };
  const actor = await deps.actors.get(deps.db, deps.config, event);
  if (!hasAccess(actor, spec.access)) {
    return { toast: { type: 'error', text: `仅限${accessLabel(spec.access)}操作。` } };
  }
  try {
    return await spec.run(handlerContext(deps, event, actor, defer, sends, resumed));
  } finally {
    if (spec.changesRoles) deps.actors.clear();
  }
}

/** A "which campaign?" button: the typed command again, for the chosen campaign; its answer replaces the card. */
async function runCommandAgain(deps: DispatchDeps, event: CardActionEvent, defer: Defer, sends: Sends, resumed: boolean): Promise<Reply> {
  const command = commandAgain(event);
  if (!command) return { toast: { type: 'warning', text: '该卡片已失效，请重新发送命令。' } };
  const reply = (await routeMessage(deps, command, defer, sends, resumed)) ?? {};
  if (reply.card || !reply.text) return reply;
  return { card: { title: `活动 #${command.campaign}`, tone: 'blue', blocks: [{ type: 'markdown', text: reply.text }] } };
}

async function answerCardAction(deps: DispatchDeps, event: CardActionEvent, defer: Defer, resumed: boolean, budgetMs?: number): Promise<Reply> {
  const sends = noSends();
  const work = runCardAction(deps, event, defer, sends, resumed).catch((err: unknown) => discardAndExplain(deps, event, err, sends));
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), deps.cardAckBudgetMs ?? budgetMs ?? adapterOf(deps, event).ackBudgetMs);
  });
  const first = await Promise.race([work, late]);
  clearTimeout(timer);
  if (first !== 'late') {
    await complete(deps, event, sends, defer);
    return first;
  }
  // The platform needs an answer now (Feishu: within 3 s): acknowledge, deliver the answer through the outbox.
  defer(
    tracked(
      deps,
      event,
      work.then((reply) => finishLate(deps, event, reply, sends, defer)),
    ),
  );
  return PROCESSING;
}

const LATE_CARD = '您在卡片上的操作已处理。请重新发送命令查看最新的卡片。';

/**
 * A callback answered already (or never, before a crash) gets its answer another way: the new card
 * through the event's late handle while it is valid (from the click on), else the text in the
 * direct chat.
 */
function finishLate(deps: DispatchDeps, event: CardActionEvent, reply: Reply, sends: Sends, defer: Defer, clickedAt = deps.clock.now()): Promise<void> {
  const now = deps.clock.now();
  const base = { key: `late:${event.eventId}`, platform: event.platform, notBefore: now, urgent: true };
  const handleExpires = clickedAt.getTime() + adapterOf(deps, event).lateHandleTtlMs;
  if (reply.card && event.lateHandle && handleExpires > now.getTime()) {
    sends.messages.push({
      ...base,
      to: { type: 'late', handle: event.lateHandle },
      content: { kind: 'card', card: reply.card },
      expiresAt: new Date(handleExpires),
    });
  } else {
    const text = reply.toast?.text ?? reply.text ?? (reply.card ? LATE_CARD : undefined);
    if (text) sends.messages.push({ ...base, to: { type: 'user', id: event.userId }, content: { kind: 'text', text } });
  }
  return complete(deps, event, sends, defer);
}

/** An event whose runs keep being cut short is not run again: its sender is told it failed. */
async function giveUp(deps: DispatchDeps, event: IncomingEvent, defer: Defer): Promise<void> {
  deps.log.error('event given up after repeated interrupted runs', { eventId: event.eventId, kind: event.kind });
  const content: MessageContent = { kind: 'text', text: FAILED };
  const base = { key: `failed:${event.eventId}`, platform: event.platform, content, notBefore: deps.clock.now(), urgent: true };
  const to =
    event.kind === 'cardAction' || !event.messageId
      ? ({ type: 'user', id: event.userId } as const)
      : ({ type: 'reply', chatId: event.chatId, messageId: event.messageId } as const);
  await complete(deps, event, { messages: [{ ...base, to }], queued: false }, defer, 'failed');
}
