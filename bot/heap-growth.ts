// Imported first by the Node entry (evaluated before any other module): how far V8 lets the heap
// grow between full collections in the long-running process.
import { setFlagsFromString } from 'node:v8';

/**
 * After a full collection V8 lets the heap grow to as much as 4× what survived before it collects
 * again (its factor while it has no timing data yet, as in a freshly started process). For the bot,
 * ~35 MB live during a 10,000-member fan-out, that is ~80 MB of garbage kept for half a minute (see
 * the scheduler bench). 1.5× keeps the heap near what the bot uses, for more frequent short
 * collections (a few ms each). The limit is recomputed at each full collection, so it is set before
 * the other modules are evaluated: the first collections happen while they are.
 */
export const HEAP_GROWING_PERCENT = 50;

// Unless node was started with its own value (the flag is not allowed in NODE_OPTIONS).
if (!process.execArgv.some((arg) => /^--heap[-_]growing[-_]percent/.test(arg))) setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
