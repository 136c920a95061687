// Retry of Open API calls: wait what the platform asked for, else exponential backoff with jitter.
import { PlatformApiError } from './errors.js';

export type Sleep = (ms: number) => Promise<void>;
export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export interface RetryPolicy {
  tries: number;
  baseMs: number;
  maxMs: number;
  sleep: Sleep;
  random: () => number;
}

export const defaultRetryPolicy: RetryPolicy = {
  tries: 4,
  baseMs: 500,
  maxMs: 30_000,
  sleep: realSleep,
  random: Math.random,
};

export function backoffMs(attempt: number, policy: Pick<RetryPolicy, 'baseMs' | 'maxMs' | 'random'>): number {
  const exp = Math.min(policy.maxMs, policy.baseMs * 3 ** attempt);
  return Math.round(exp * (0.5 + policy.random() / 2));
}

export function isRetryable(err: unknown): boolean {
  return err instanceof PlatformApiError && err.isRetryable;
}

export async function withRetry<T>(fn: () => Promise<T>, policy: RetryPolicy = defaultRetryPolicy): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isRetryable(err) || attempt + 1 >= policy.tries) throw err;
      // A rate-limit wait is taken by the caller's rate gate (retryAfterMs 0 here); others back off.
      const wait = (err as PlatformApiError).details.retryAfterMs ?? backoffMs(attempt, policy);
      if (wait > 0) await policy.sleep(wait);
    }
  }
}
