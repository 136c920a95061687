/**
 * Lets the event loop turn. The embedded libSQL driver runs each statement synchronously, so a chain of
 * awaited queries never leaves the current turn: requests wait, and the native memory of finished
 * statements (bound values included) is only released by finalizers that run between turns.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));
}
