// Bench child: the local fake Feishu Open API in its own process (so neither the server nor the load
// generator shares an event loop with it). The runner asks it what arrived.
import { startFakeFeishu } from '../support/fake-feishu.js';
import { serveRpc } from './ipc.js';

export interface FakeCounts {
  sent: number;
  replies: number;
  creates: number;
  tokenRequests: number;
  requests: number;
  statuses: Record<string, number>;
  limited: number;
}

export interface FakeReady {
  url: string;
}

const fake = await startFakeFeishu();

serveRpc(
  {
    counts(): FakeCounts {
      const statuses: Record<string, number> = {};
      for (const r of fake.requests) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
      return {
        sent: fake.sent.length,
        replies: fake.sent.filter((m) => m.via === 'reply').length,
        creates: fake.sent.filter((m) => m.via === 'create').length,
        tokenRequests: fake.tokenRequests,
        requests: fake.requests.length,
        statuses,
        limited: fake.limited,
      };
    },
    /** [message replied to, wall-clock ms the reply arrived, message type] for every reply. */
    replies(): Array<[string, number, string]> {
      return fake.sent.filter((m) => m.via === 'reply').map((m) => [m.replyTo ?? '', m.at, m.msgType]);
    },
    async close() {
      await fake.close();
    },
  },
  { url: fake.url } satisfies FakeReady,
);
