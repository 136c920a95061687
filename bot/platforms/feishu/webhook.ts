// POST /webhooks/feishu: verify, decrypt, answer challenges, hand neutral events to dispatch.
import type { Context } from 'hono';
import { handleEvent } from '../../dispatch.js';
import type { AdapterHost } from '../../platform.js';
import { BadRequestError, VerificationError } from '../../errors.js';
import type { Reply } from '../../types.js';
import type { FeishuConfig } from './config.js';
import { decryptFeishu } from './decrypt.js';
import { renderFeishuCard } from './render.js';
import { isObject, parseFeishu, tokenOf, type FeishuInbound } from './parse.js';
import { hasSignature, verifySignature, verifyToken, type SignatureHeaders } from './verify.js';

function parseJson(text: string, what: string): Record<string, unknown> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new BadRequestError(`${what} is not JSON`);
  }
  if (!isObject(body)) throw new BadRequestError(`${what} is not a JSON object`);
  return body;
}

/** Authenticates and decodes one request; throws VerificationError (401) or BadRequestError (400). */
export function readFeishuRequest(raw: string, sig: SignatureHeaders, cfg: FeishuConfig, now: Date): FeishuInbound {
  let body = parseJson(raw, 'body');
  const signed = hasSignature(sig);
  if (cfg.encryptKey) {
    if (signed) verifySignature(sig, raw, cfg.encryptKey, now);
    if (typeof body.encrypt === 'string') body = parseJson(decryptFeishu(body.encrypt, cfg.encryptKey), 'decrypted body');
  } else if (typeof body.encrypt === 'string') {
    throw new BadRequestError('body is encrypted but FEISHU_ENCRYPT_KEY is not set');
  }
  verifyToken(tokenOf(body), cfg.verificationToken);
  const inbound = parseFeishu(body);
  // Feishu does not sign url_verification; everything else must carry a signature once a key is set.
  if (cfg.encryptKey && !signed && inbound.type !== 'challenge') {
    throw new VerificationError('missing signature headers');
  }
  return inbound;
}

export function callbackBody(reply: Reply | null): Record<string, unknown> {
  if (!reply) return {};
  const body: Record<string, unknown> = {};
  const toast = reply.toast ?? (reply.text && !reply.card ? { type: 'info' as const, text: reply.text } : undefined);
  if (toast) body.toast = { type: toast.type, content: toast.text };
  if (reply.card) body.card = { type: 'raw', data: renderFeishuCard(reply.card) };
  return body;
}

export interface FeishuWebhookDeps {
  feishu: FeishuConfig | null;
  missing: string[];
  host: AdapterHost;
}

export function feishuWebhook(deps: FeishuWebhookDeps) {
  return async (c: Context) => {
    const dispatch = deps.host.dispatch;
    if (!deps.feishu || !dispatch) {
      return c.json({ error: 'Feishu is not configured', missing: deps.missing }, 503);
    }
    const { log, clock } = deps.host;
    const raw = await c.req.text();
    const inbound = readFeishuRequest(
      raw,
      {
        timestamp: c.req.header('x-lark-request-timestamp'),
        nonce: c.req.header('x-lark-request-nonce'),
        signature: c.req.header('x-lark-signature'),
      },
      deps.feishu,
      clock.now(),
    );
    if (inbound.type === 'challenge') return c.json({ challenge: inbound.challenge });
    if (inbound.type === 'ignored' || !inbound.event) {
      log.debug('feishu event ignored', { type: inbound.type === 'event' ? inbound.eventType : inbound.reason });
      return c.json({});
    }
    const started = Date.now();
    try {
      return c.json(callbackBody(await handleEvent(dispatch, inbound.event, deps.host.defer(c))));
    } catch (err) {
      // Not recorded (e.g. database unavailable): answer non-2xx so Feishu delivers it again.
      log.error('event not recorded', { eventId: inbound.event.eventId, error: err });
      return c.json({ error: 'temporarily unavailable' }, 503);
    } finally {
      const ms = Date.now() - started;
      // Feishu gives up after 3 s and delivers again; a slow database is the usual reason.
      if (ms > 2_000) log.warn('slow acknowledgement', { eventId: inbound.event.eventId, ms });
    }
  };
}
