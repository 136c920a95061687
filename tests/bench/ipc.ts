// Tiny request/response over the Node IPC channel between the bench runner and its child processes.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

interface RpcRequest {
  id: number;
  op: string;
  arg?: unknown;
}

interface RpcResponse {
  id: number;
  ok: boolean;
  result?: unknown;
  error?: string;
}

type Ops = Record<string, (arg: any) => unknown>;

/** Child side: answer the parent's calls; tell it we are ready; exit when the parent goes away. */
export function serveRpc(ops: Ops, ready: unknown): void {
  if (!process.send) throw new Error('must be started by the bench runner (no IPC channel)');
  process.on('message', (m: RpcRequest) => {
    void (async () => {
      let response: RpcResponse;
      try {
        const fn = ops[m.op];
        if (!fn) throw new Error(`unknown op ${m.op}`);
        response = { id: m.id, ok: true, result: await fn(m.arg) };
      } catch (err) {
        response = { id: m.id, ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) };
      }
      // After answering `close`, leave (the op has already released its resources).
      process.send!(response, () => {
        if (m.op === 'close') process.exit(0);
      });
    })();
  });
  process.on('disconnect', () => process.exit(0));
  process.send({ ready });
}

export interface Child<R> {
  proc: ChildProcess;
  ready: R;
  call<T>(op: string, arg?: unknown, timeoutMs?: number): Promise<T>;
  /** Asks the child to close and waits for it to exit (kills it after a grace period). */
  stop(): Promise<void>;
}

/** Starts a TypeScript child (through tsx; a compiled .js one with plain node) and waits for its ready message. */
export async function startChild<R>(script: URL, env: Record<string, string>, opts: { execArgv?: string[]; startTimeoutMs?: number } = {}): Promise<Child<R>> {
  const path = fileURLToPath(script);
  const proc = fork(path, [], {
    execArgv: [...(path.endsWith('.js') ? [] : ['--import', 'tsx']), ...(opts.execArgv ?? [])],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  let nextId = 1;
  let exited = false;
  const exitPromise = new Promise<void>((resolve) => {
    proc.on('exit', (code, signal) => {
      exited = true;
      for (const p of pending.values()) {
        clearTimeout(p.timer);
        p.reject(new Error(`${script.pathname} exited (code ${code}, signal ${signal})`));
      }
      pending.clear();
      resolve();
    });
  });

  const ready = await new Promise<R>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script.pathname} not ready in time`)), opts.startTimeoutMs ?? 30_000);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script.pathname} exited during start-up (code ${code})`));
    });
    proc.once('message', (m: { ready?: R }) => {
      clearTimeout(timer);
      resolve(m.ready as R);
    });
  });

  proc.on('message', (m: RpcResponse) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    clearTimeout(p.timer);
    if (m.ok) p.resolve(m.result);
    else p.reject(new Error(`child op failed: ${m.error}`));
  });

  function call<T>(op: string, arg?: unknown, timeoutMs = 60_000): Promise<T> {
    if (exited) return Promise.reject(new Error(`${script.pathname} has exited`));
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`child op ${op} timed out`));
      }, timeoutMs);
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      proc.send({ id, op, arg } satisfies RpcRequest);
    });
  }

  return {
    proc,
    ready,
    call,
    async stop() {
      if (exited) return;
      try {
        await call('close', undefined, 10_000);
      } catch {
        // fall through to the kill below
      }
      const grace = setTimeout(() => {
        if (!exited) proc.kill('SIGKILL');
      }, 5_000);
      await exitPromise;
      clearTimeout(grace);
    },
  };
}
