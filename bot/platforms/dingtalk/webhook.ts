// POST /webhooks/dingtalk: the robot's HTTP callback. Checks `timestamp` + `sign`, reads the JSON body,
// and hands the neutral event to dispatch (which dedupes by msgId). The Stream client reuses `receive`.
import type { Context } from 'hono';
import type { Defer } from '../../background.js';
import { handleEvent, type DispatchDeps } from '../../dispatch.js';
import { BadRequestError } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { AdapterHost } from '../../platform.js';
import type { DingTalkConfig } from './config.js';
import { isObject, parseDingTalk } from './parse.js';
import { verifyDingTalk } from './verify.js';

/** Robot callbacks are small (a message and its metadata); anything larger is refused with 413. */
export const MAX_BODY_BYTES = 64 * 1024;

export function parseBody(raw: string): Record<string, unknown> {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    throw new BadRequestError('body is not JSON');
  }
  if (!isObject(body)) throw new BadRequestError('body is not a JSON object');
  return body;
}

export interface Receiver {
  dispatch: DispatchDeps;
  log: Logger;
  /** Told the corp id of each accepted message (links for people not yet on a roster). */
  learnCorp(corpId: string): void;
}

/**
 * One robot message, from either transport: parsed, then admitted and processed in the background.
 * Throws BadRequestError for a payload that is not a robot message, or when it could not be recorded.
 */
export async function receive(r: Receiver, body: Record<string, unknown>, defer: Defer): Promise<void> {
  const event = parseDingTalk(body);
  if (!event) {
    r.log.debug('dingtalk message ignored', { reason: 'sender has no staff id' });
    return;
  }
  if (event.tenantKey) r.learnCorp(event.tenantKey);
  // The group's id is what DINGTALK_CHAT_DEPTS maps to a department (no message text is logged).
  r.log.debug('dingtalk message', { kind: event.kind, chatId: event.chatId });
  await handleEvent(r.dispatch, event, defer);
}

export interface DingTalkWebhookDeps {
  settings: DingTalkConfig | null;
  missing: string[];
  host: AdapterHost;
  learnCorp(corpId: string): void;
}

export function dingTalkWebhook(deps: DingTalkWebhookDeps) {
  return async (c: Context) => {
    const dispatch = deps.host.dispatch;
    if (!deps.settings || !dispatch) return c.json({ error: 'DingTalk is not configured', missing: deps.missing }, 503);
    const { log, clock } = deps.host;
    // The sign covers the timestamp only (not the body): checked before anything is read.
    verifyDingTalk(c.req.header('timestamp'), c.req.header('sign'), deps.settings.clientSecret, clock.now());
    const type = c.req.header('content-type') ?? '';
    if (type && !/^application\/json\b/i.test(type)) return c.json({ error: 'content-type must be application/json' }, 415);
    const body = parseBody(await c.req.text());
    try {
      await receive({ dispatch, log, learnCorp: deps.learnCorp }, body, deps.host.defer(c));
    } catch (err) {
      if (err instanceof BadRequestError) throw err;
      // Not recorded (e.g. database unavailable): non-2xx, so a redelivery (if DingTalk makes one) is not lost.
      log.error('dingtalk event not recorded', { error: err });
      return c.json({ error: 'temporarily unavailable' }, 503);
    }
    return c.json({});
  };
}
