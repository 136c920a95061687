// Opt-in memory diagnostics for the bot child of the fan-out bench (they print to stderr, not the report):
//   BENCH_MEMORY_TRACE=1          RSS, heap used and heap total every second
//   BENCH_ALLOC_PROFILE=3-26      the allocation sites (three frames deep) between 3 s and 26 s into the fan-out
//   BENCH_ALLOC_PROMOTED=1        ... only objects that outlived a young-generation collection
import { Session } from 'node:inspector/promises';

const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(0);

export function traceMemory(): void {
  if (!process.env.BENCH_MEMORY_TRACE) return;
  const t0 = Date.now();
  setInterval(() => {
    const m = process.memoryUsage();
    process.stderr.write(`memory ${((Date.now() - t0) / 1000).toFixed(0)} s: rss ${mb(m.rss)} MB, heap ${mb(m.heapUsed)} of ${mb(m.heapTotal)} MB\n`);
  }, 1000).unref();
}

interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: ProfileNode[];
}

function frame(n: ProfileNode): string {
  const url = n.callFrame.url.replace(/.*node_modules\//, '').replace(/.*dist-bench\//, '');
  return `${n.callFrame.functionName || '(anonymous)'} ${url}:${n.callFrame.lineNumber}`;
}

/** Starts the sampling heap profiler for the window set in BENCH_ALLOC_PROFILE, counted from now. */
export function profileAllocations(): void {
  const window = /^(\d+)-(\d+)$/.exec(process.env.BENCH_ALLOC_PROFILE ?? '');
  if (!window) return;
  const [from, to] = [Number(window[1]) * 1000, Number(window[2]) * 1000];
  const session = new Session();
  session.connect();
  const options = { samplingInterval: 8192, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: !process.env.BENCH_ALLOC_PROMOTED };
  setTimeout(() => void session.post('HeapProfiler.startSampling', options as never), from);
  setTimeout(async () => {
    const { profile } = await session.post('HeapProfiler.stopSampling');
    const bySite = new Map<string, number>();
    let total = 0;
    const walk = (n: ProfileNode, stack: string[]) => {
      const path = [...stack, frame(n)];
      if (n.selfSize) {
        total += n.selfSize;
        const site = path.slice(-3).join(' < ');
        bySite.set(site, (bySite.get(site) ?? 0) + n.selfSize);
      }
      for (const c of n.children) walk(c, path);
    };
    walk(profile.head as unknown as ProfileNode, []);
    process.stderr.write(`allocations ${from / 1000}-${to / 1000} s: ${(total / 2 ** 20).toFixed(1)} MB\n`);
    for (const [site, bytes] of [...bySite].sort((a, b) => b[1] - a[1]).slice(0, 30)) {
      process.stderr.write(`  ${(bytes / 2 ** 20).toFixed(1).padStart(6)} MB  ${site}\n`);
    }
    session.disconnect();
  }, to);
}
