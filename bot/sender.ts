// Who empties the outbox between ticks: on Node one loop that drains whenever something is written
// (and wakes for rows that fall due), on Workers a drain kept alive by the request's waitUntil.
import { and, eq, inArray, min } from 'drizzle-orm';
import { outbox } from '../db/schema.js';
import type { Defer } from './background.js';
import type { Clock } from './clock.js';
import { drainOutbox, platformsOf, type DrainDeps } from './outbox.js';

/** Something was written to the outbox: send it soon. `defer` keeps the work alive where needed. */
export type KickOutbox = (defer: Defer) => void;

export interface OutboxSender {
  kick: KickOutbox;
  /** Resolves once nothing due is left and no drain is running (tests, shutdown). */
  idle(): Promise<void>;
  /** Stops waking; the drain in progress is awaited up to `graceMs`, then left to the next start. */
  stop(graceMs: number): Promise<boolean>;
}

/** The longest the loop sleeps without a kick: a backstop for rows written by another instance. */
const MAX_SLEEP_MS = 30_000;

export function continuousSender(deps: DrainDeps & { clock: Clock }): OutboxSender {
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const nextDueIn = async (): Promise<number> => {
    const [row] = await deps.db
      .select({ at: min(outbox.notBefore) })
      .from(outbox)
      .where(and(eq(outbox.status, 'pending'), inArray(outbox.platform, platformsOf(deps))));
    if (!row?.at) return MAX_SLEEP_MS;
    return Math.max(0, Math.min(MAX_SLEEP_MS, row.at.getTime() - deps.clock.now().getTime()));
  };

  const loop = async () => {
    do {
      again = false;
      try {
        await drainOutbox(deps, deps.clock.now(), { budgetMs: 10_000 });
      } catch (err) {
        deps.log.error('outbox drain failed', { error: err });
      }
    } while (again && !stopped);
  };

  const schedule = async () => {
    if (stopped) return;
    clearTimeout(timer);
    let wait = MAX_SLEEP_MS;
    try {
      wait = await nextDueIn();
    } catch (err) {
      deps.log.error('outbox look-ahead failed', { error: err });
    }
    // A due row was found while draining stopped (budget spent): go on at once.
    if (!stopped) timer = setTimeout(start, Math.max(wait, 50));
    timer?.unref?.();
  };

  function start() {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = loop().finally(() => {
      running = null;
      void schedule();
    });
  }

  return {
    kick: () => start(),
    async idle() {
      for (let rounds = 0; !stopped && rounds < 1_000; rounds++) {
        if (running) {
          await running;
          continue;
        }
        if ((await nextDueIn()) > 0) return;
        start();
      }
      if (running) await running;
    },
    async stop(graceMs) {
      stopped = true;
      clearTimeout(timer);
      if (!running) return true;
      let t: ReturnType<typeof setTimeout> | undefined;
      const done = await Promise.race([running.then(() => true), new Promise<boolean>((r) => (t = setTimeout(() => r(false), graceMs)))]);
      clearTimeout(t);
      return done;
    },
  };
}

/** Workers: each kick drains briefly inside the request's waitUntil; the minute cron is the backstop. */
export function requestScopedSender(deps: DrainDeps & { clock: Clock }): OutboxSender {
  const inFlight = new Set<Promise<unknown>>();
  return {
    kick(defer) {
      const work = drainOutbox(deps, deps.clock.now(), { budgetMs: 20_000 }).finally(() => inFlight.delete(work));
      inFlight.add(work);
      defer(work);
    },
    async idle() {
      while (inFlight.size) await Promise.allSettled([...inFlight]);
    },
    async stop() {
      return true;
    },
  };
}
