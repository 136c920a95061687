// FEISHU_MODE=ws (Node only): events arrive over the official SDK's long connection (WSClient), so a
// self-hosted bot needs no public URL. Each event goes through the same parser as the webhook
// (parseFeishu) and the same dispatch; a card action's answer is returned in the frame's response.
import { type EventDispatcher, LoggerLevel, WSClient } from '@larksuiteoapi/node-sdk';
import type { Logger } from '../../log.js';
import type { IncomingEvent, Reply } from '../../types.js';
import type { FeishuConfig } from './config.js';
import { sdkHttpInstance } from './http.js';
import { isObject, parseFeishu } from './parse.js';
import { callbackBody } from './webhook.js';

export interface LongConnectionOptions {
  settings: FeishuConfig;
  log: Logger;
  /** Admits and handles the event (dispatch); rejects when it could not be recorded. */
  handle(event: IncomingEvent): Promise<Reply | null>;
}

const quiet = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {}, trace: () => {} };

/** What the SDK calls for each event frame: its answer becomes the frame's response. */
export function longConnectionReceiver(opts: Pick<LongConnectionOptions, 'log' | 'handle'>) {
  return {
    async invoke(data: unknown): Promise<Record<string, unknown>> {
      if (!isObject(data)) {
        opts.log.warn('feishu long-connection event is not an object');
        return {};
      }
      let inbound: ReturnType<typeof parseFeishu>;
      try {
        // The connection is authenticated with the app secret: no token or signature in its events.
        inbound = parseFeishu(data);
      } catch (err) {
        opts.log.warn('feishu long-connection event refused', { reason: err instanceof Error ? err.message : String(err) });
        return {};
      }
      if (inbound.type !== 'event' || !inbound.event) return {};
      // A rejection (not recorded) makes the SDK answer 500, so Feishu delivers the event again.
      return callbackBody(await opts.handle(inbound.event));
    },
  };
}

export function startFeishuLongConnection(opts: LongConnectionOptions): { stop(): Promise<void> } {
  const client = new WSClient({
    appId: opts.settings.appId,
    appSecret: opts.settings.appSecret,
    domain: opts.settings.domain,
    httpInstance: sdkHttpInstance(),
    loggerLevel: LoggerLevel.error,
    // The SDK would log raw frames at debug level; we log our own summaries.
    logger: quiet,
    autoReconnect: true,
  });
  void client.start({ eventDispatcher: longConnectionReceiver(opts) as unknown as EventDispatcher });
  return {
    async stop() {
      client.close();
    },
  };
}
