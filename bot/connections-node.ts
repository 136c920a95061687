// Node-only long-lived connections of platforms: DingTalk Stream mode (DINGTALK_MODE=stream) and Feishu's
// long connection (FEISHU_MODE=ws). They feed the same parse path and dispatch as the webhooks. The
// Workers entry never imports this (no outbound sockets there).
import { type AppDeps, dispatchDeps } from './app.js';
import { handleEvent } from './dispatch.js';
import type { DingTalkAdapter } from './platforms/dingtalk/adapter.js';
import { DingTalkStream } from './platforms/dingtalk/stream.js';
import { receive } from './platforms/dingtalk/webhook.js';
import type { FeishuConfig } from './platforms/feishu/config.js';
import { startFeishuLongConnection } from './platforms/feishu/long-connection.js';

export interface Connections {
  stop(): Promise<void>;
}

export function startConnections(deps: AppDeps): Connections {
  const dispatch = dispatchDeps(deps);
  const running: Array<{ stop(): Promise<void> }> = [];
  const dingtalk = deps.adapters.get('dingtalk') as DingTalkAdapter | undefined;
  const settings = dingtalk?.settings;
  if (dingtalk && settings?.mode === 'stream' && dispatch) {
    const stream = new DingTalkStream({
      clientId: settings.clientId,
      clientSecret: settings.clientSecret,
      apiBase: settings.apiBase,
      log: deps.log,
      onRobotMessage: (body) => receive({ dispatch, log: deps.log, learnCorp: dingtalk.learnCorp }, body, deps.background.defer),
    });
    stream.start();
    running.push(stream);
    deps.log.info('dingtalk stream mode: connecting to the gateway (no public URL needed)');
  }
  const feishu = deps.adapters.get('feishu') as { settings?: FeishuConfig | null } | undefined;
  if (feishu?.settings?.mode === 'ws' && dispatch) {
    running.push(
      startFeishuLongConnection({ settings: feishu.settings, log: deps.log, handle: (event) => handleEvent(dispatch, event, deps.background.defer) }),
    );
    deps.log.info('feishu long-connection mode: connecting (no public URL needed)');
  }
  return {
    async stop() {
      await Promise.all(running.map((r) => r.stop()));
    },
  };
}
