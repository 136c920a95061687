// Bench child: the local fake Feishu Open API in its own process (so neither the server nor the load
// generator shares an event loop with it). The runner asks it what arrived.
import { startFakeFeishu, type RateLimit } from '../support/fake-feishu.js';
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

/** Positions in the fake's records: what arrived after a mark is what one workload caused. */
export interface FakeMark {
  sent: number;
  requests: number;
  limited: number;
}

/** What a fan-out caused at the fake, counted from a mark. */
export interface FanoutReceived {
  /** [receive_id, how many distinct messages it got] for every recipient of a message create. */
  perRecipient: Array<[string, number]>;
  /** Wall-clock ms each new message arrived, in arrival order. */
  arrivals: number[];
  /** Wall-clock ms of every send answered 429, in arrival order. */
  limitedAt: number[];
  /** Wall-clock ms of every message create that arrived (any answer), in arrival order. */
  sendsAt: number[];
  /** Per wall-clock second (the fake's rate window): [second, sends that arrived, of them answered 429]. */
  windows: Array<[number, number, number]>;
  limited: number;
  /** Sends answered 200 with an earlier message id because their uuid was seen before (not a new message). */
  uuidRepeats: number;
  requests: number;
  statuses: Record<string, number>;
  tokenRequests: number;
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
    setRateLimit(limit: RateLimit | null) {
      fake.setRateLimit(limit);
      return null;
    },
    mark(): FakeMark {
      return { sent: fake.sent.length, requests: fake.requests.length, limited: fake.limited };
    },
    fanout(mark: FakeMark): FanoutReceived {
      const sent = fake.sent.slice(mark.sent).filter((m) => m.via === 'create');
      const perRecipient = new Map<string, number>();
      for (const m of sent) perRecipient.set(m.receiveId ?? '', (perRecipient.get(m.receiveId ?? '') ?? 0) + 1);
      const requests = fake.requests.slice(mark.requests);
      const statuses: Record<string, number> = {};
      for (const r of requests) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
      const creates = requests.filter((r) => r.method === 'POST' && r.path === '/open-apis/im/v1/messages');
      const windows = new Map<number, [number, number, number]>();
      for (const r of creates) {
        const second = Math.floor(r.at / 1000);
        const w = windows.get(second) ?? [second, 0, 0];
        w[1] += 1;
        if (r.status === 429) w[2] += 1;
        windows.set(second, w);
      }
      return {
        perRecipient: [...perRecipient],
        windows: [...windows.values()].sort((a, b) => a[0] - b[0]),
        sendsAt: creates.map((r) => r.at).sort((a, b) => a - b),
        arrivals: sent.map((m) => m.at),
        limitedAt: creates
          .filter((r) => r.status === 429)
          .map((r) => r.at)
          .sort((a, b) => a - b),
        limited: fake.limited - mark.limited,
        uuidRepeats: creates.filter((r) => r.status === 200).length - sent.length,
        requests: requests.length,
        statuses,
        tokenRequests: fake.tokenRequests,
      };
    },
    async close() {
      await fake.close();
    },
  },
  { url: fake.url } satisfies FakeReady,
);
