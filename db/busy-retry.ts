// A libSQL server answers SQLITE_BUSY when two clients write at the same moment (two instances on
// one sqld or Turso database). A statement or batch refused that way did not run, so it is tried
// again after a short, jittered wait instead of failing the request with a 503.
import type { Client } from '@libsql/client';

/** Total time a statement may wait for the server's write lock before the error is passed on. */
export const BUSY_RETRY_MS = 5_000;

function isBusy(err: unknown): boolean {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || /database is locked/.test(e.message)) return true;
  }
  return false;
}

async function retrying<T>(run: () => Promise<T>, budgetMs: number): Promise<T> {
  const deadline = Date.now() + budgetMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      if (!isBusy(err) || Date.now() >= deadline) throw err;
      const wait = Math.min(200, 5 * 2 ** attempt) * (0.5 + Math.random());
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}

/** The same client, with execute() and batch() retried while the server is busy. */
export function retryWhenBusy(client: Client, budgetMs = BUSY_RETRY_MS): Client {
  const execute = client.execute.bind(client) as (...args: unknown[]) => Promise<unknown>;
  const batch = client.batch.bind(client) as (...args: unknown[]) => Promise<unknown>;
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === 'execute') return (...args: unknown[]) => retrying(() => execute(...args), budgetMs);
      if (prop === 'batch') return (...args: unknown[]) => retrying(() => batch(...args), budgetMs);
      const value = Reflect.get(target, prop, receiver) as unknown;
      // The client keeps #private state: its own methods must run on it, not on the proxy.
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
