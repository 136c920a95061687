// Work that continues after the HTTP answer: tracked promises on Node, waitUntil on Workers.
import type { Logger } from './log.js';

export type Defer = (work: Promise<unknown>) => void;

export interface Background {
  defer: Defer;
  /** Resolves when all deferred work has settled (graceful shutdown, tests). */
  idle(): Promise<void>;
}

export function trackedBackground(log: Logger): Background {
  const pending = new Set<Promise<unknown>>();
  return {
    defer(work) {
      const tracked = work.catch((err: unknown) => log.error('background work failed', { error: err })).finally(() => pending.delete(tracked));
      pending.add(tracked);
    },
    async idle() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
}
