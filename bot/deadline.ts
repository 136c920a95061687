/**
 * Runs `fn` with a signal that aborts after `ms` (a TimeoutError, as AbortSignal.timeout gives), and
 * clears the timer as soon as `fn` settles. AbortSignal.timeout is not used: its signal, with the
 * request and streams fetch hangs on it, stays alive until the timer fires — at 50 sends a second
 * with a 10-second timeout, 500 finished requests held in memory at any time.
 */
export async function withDeadline<T>(ms: number, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), ms);
  try {
    return await fn(controller.signal);
  } finally {
    clearTimeout(timer);
  }
}
