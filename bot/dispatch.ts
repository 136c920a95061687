// Dedupe (one processed_events row per delivery) and routing of neutral events to handlers.
import type { CardModel } from '../cards/model.js';
import { prepared } from '../db/prepared.js';
import { findAction, findCommand, findSubcommand, type Registry } from '../handlers/index.js';
import { accessLabel, hasAccess } from '../handlers/access.js';
import type { ActorCache } from '../handlers/actor-cache.js';
import { enqueue } from './outbox.js';
import type { HandlerDeps } from '../handlers/context.js';
import type { Defer } from './background.js';
import { InputError } from './errors.js';
import type { CardActionEvent, CommandEvent, IncomingEvent, MessageContent, MessageEvent, Reply } from './types.js';

export interface DispatchDeps extends HandlerDeps {
  registry: Registry;
  actors: ActorCache;
  /** Replies being sent right now; past the limit new replies wait in the durable outbox. */
  replies: { inFlight: number; limit: number };
  /** How long a card callback may run before we answer "processing" and update the card later. */
  cardAckBudgetMs: number;
}

const HINT = '你好！我是党建助手。发送 /帮助 查看我能做什么。';
const FAILED = '处理时出现问题，已记录，请稍后再试或联系管理员。';

/** True the first time an event id is seen; the unique key makes concurrent deliveries race safely. */
export async function recordEvent(deps: Pick<HandlerDeps, 'db' | 'clock'>, event: IncomingEvent): Promise<boolean> {
  const rows = await prepared(deps.db).recordEvent.all({
    eventId: event.eventId,
    platform: event.platform,
    receivedAt: deps.clock.now(),
  });
  return rows.length > 0;
}

/**
 * Records the event, then: a card action is answered now (its Reply becomes the HTTP body);
 * a message or command is answered through the Open API in the background.
 * Throws only when the event could not be recorded (the platform should retry then).
 */
export async function handleEvent(deps: DispatchDeps, event: IncomingEvent, defer: Defer): Promise<Reply | null> {
  if (!(await recordEvent(deps, event))) {
    deps.log.info('duplicate delivery ignored', { eventId: event.eventId });
    return null;
  }
  if (event.kind === 'cardAction') return answerCardAction(deps, event, defer);
  defer(answerMessage(deps, event, defer));
  return null;
}

function errorReply(deps: HandlerDeps, event: IncomingEvent, err: unknown): Reply {
  if (err instanceof InputError) return { text: err.message, toast: { type: 'error', text: err.message } };
  deps.log.error('handler failed', { eventId: event.eventId, kind: event.kind, error: err });
  return { text: FAILED, toast: { type: 'error', text: FAILED } };
}

export function contentOf(reply: Reply): MessageContent | null {
  if (reply.card) return { kind: 'card', card: reply.card };
  if (reply.text) return { kind: 'text', text: reply.text };
  return null;
}

async function routeMessage(deps: DispatchDeps, event: CommandEvent | MessageEvent, defer: Defer): Promise<Reply | null> {
  if (event.kind === 'message') return event.chatType === 'p2p' || event.text ? { text: HINT } : null;
  const spec = findCommand(deps.registry, event.name);
  if (!spec) return { text: `未知命令「/${event.name}」。发送 /帮助 查看可用命令。` };
  const sub = findSubcommand(spec, event.args[0]);
  const rule = sub ?? spec;
  const label = sub ? `/${spec.name} ${sub.names[0]}（/${spec.aliases[0]} ${sub.names[1] ?? sub.names[0]}）` : `/${spec.name}（/${spec.aliases[0]}）`;
  if (rule.groupOnly && event.chatType === 'p2p') return { text: `${label} 需要在支部群中 @我 使用。` };
  const actor = await deps.actors.get(deps.db, deps.config, event);
  if (!hasAccess(actor, rule.access)) return { text: `抱歉，${label} 仅限${accessLabel(rule.access)}使用。` };
  const ctx = { db: deps.db, clock: deps.clock, config: deps.config, log: deps.log, api: deps.api, event, actor, defer };
  try {
    return sub ? await sub.run(ctx, event.args.slice(1)) : await spec.run(ctx);
  } finally {
    if (rule.changesRoles) deps.actors.clear();
  }
}

async function answerMessage(deps: DispatchDeps, event: CommandEvent | MessageEvent, defer: Defer): Promise<void> {
  let reply: Reply | null;
  try {
    reply = await routeMessage(deps, event, defer);
  } catch (err) {
    reply = errorReply(deps, event, err);
  }
  const content = reply && contentOf(reply);
  if (!content) return;
  const key = `reply:${event.eventId}`;
  if (deps.replies.inFlight >= deps.replies.limit) {
    // More replies than Feishu's rate allows right now: keep this one durable; the next tick sends it.
    await enqueue(deps.db, { key, platform: event.platform, to: { type: 'reply', id: event.messageId }, content, notBefore: deps.clock.now() });
    return;
  }
  deps.replies.inFlight++;
  try {
    await deps.api.reply(event.messageId, content, key);
  } catch (err) {
    deps.log.error('reply not delivered', { eventId: event.eventId, error: err });
  } finally {
    deps.replies.inFlight--;
  }
}

async function runCardAction(deps: DispatchDeps, event: CardActionEvent, defer: Defer): Promise<Reply> {
  const spec = findAction(deps.registry, event.action.id, event.action.v);
  if (!spec) return { toast: { type: 'warning', text: '该卡片已失效，请重新发送命令获取新卡片。' } };
  const actor = await deps.actors.get(deps.db, deps.config, event);
  if (!hasAccess(actor, spec.access)) {
    return { toast: { type: 'error', text: `仅限${accessLabel(spec.access)}操作。` } };
  }
  try {
    return await spec.run({ db: deps.db, clock: deps.clock, config: deps.config, log: deps.log, api: deps.api, event, actor, defer });
  } finally {
    if (spec.changesRoles) deps.actors.clear();
  }
}

async function answerCardAction(deps: DispatchDeps, event: CardActionEvent, defer: Defer): Promise<Reply> {
  const work = runCardAction(deps, event, defer).catch((err: unknown) => errorReply(deps, event, err));
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), deps.cardAckBudgetMs);
  });
  const first = await Promise.race([work, late]);
  clearTimeout(timer);
  if (first !== 'late') return first;
  // Feishu needs an answer within 3 s: acknowledge now, deliver the card through the update API.
  defer(
    work.then(async (reply) => {
      if (reply.card && event.updateToken) await deliverLateCard(deps, event.updateToken, reply.card);
      else if (reply.toast || reply.text) await deliverLateText(deps, event, reply.toast?.text ?? reply.text!);
    }),
  );
  return { toast: { type: 'info', text: '正在处理，请稍候…' } };
}

/** A toast can no longer be shown once the callback was answered: say it in the direct chat instead. */
async function deliverLateText(deps: HandlerDeps, event: CardActionEvent, text: string): Promise<void> {
  try {
    await deps.api.send({ type: 'user', id: event.userId }, { kind: 'text', text }, `late:${event.eventId}`);
  } catch (err) {
    deps.log.error('late reply not delivered', { eventId: event.eventId, error: err });
  }
}

async function deliverLateCard(deps: HandlerDeps, token: string, card: CardModel): Promise<void> {
  try {
    await deps.api.updateCardByToken(token, card);
  } catch (err) {
    deps.log.error('delayed card update failed', { error: err });
  }
}
