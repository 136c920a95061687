// One writer per embedded file. Two processes writing one libSQL file through WAL lose confirmed
// writes, so a process takes SQLite's own exclusive lock on a lock database beside the file
// (`<file>-writer.lock`). The kernel releases it when the process dies, so a crash leaves no stale
// lock; `<file>-writer.json` names the holder so that a refused start can say who it is.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { createClient, type Client } from '@libsql/client';

/** How long a start waits for the previous process to finish draining before it refuses. */
export const WRITER_LOCK_WAIT_MS = 5_000;

export class DatabaseInUseError extends Error {
  override name = 'DatabaseInUseError';
}

interface Holder {
  pid: number;
  host: string;
  startedAt: string;
}

/**
 * Locks held by this process, by database path. A lock is kept until the process exits: libSQL
 * releases a closed connection's file lock only when it is collected, so a lock given up and taken
 * again in one process (a test restarting the app) would lock itself out.
 */
const held = new Map<string, Client>();

function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
}

function describeHolder(infoPath: string): string {
  try {
    const h = JSON.parse(readFileSync(infoPath, 'utf8')) as Holder;
    return `process ${h.pid} on ${h.host} (started ${h.startedAt})`;
  } catch {
    return 'another process';
  }
}

/** Holder files to remove when the process exits: one listener for all of them (a test process opens many). */
const holderFiles = new Set<string>();
function removeOnExit(path: string): void {
  if (holderFiles.size === 0) process.once('exit', () => holderFiles.forEach((f) => rmSync(f, { force: true })));
  holderFiles.add(path);
}

async function tryLock(lockPath: string): Promise<Client | null> {
  const client = createClient({ url: `file:${lockPath}`, concurrency: 1 });
  try {
    // exec() keeps no prepared statement alive; the first write takes the lock, EXCLUSIVE keeps it.
    await client.executeMultiple(
      'PRAGMA locking_mode = EXCLUSIVE; CREATE TABLE IF NOT EXISTS writer (id INTEGER PRIMARY KEY); INSERT OR REPLACE INTO writer (id) VALUES (1);',
    );
    return client;
  } catch (err) {
    client.close();
    if (isBusy(err)) return null;
    throw err;
  }
}

/** Takes the writer lock of `dbPath` for this process, waiting up to `waitMs` for a previous holder. */
export async function takeWriterLock(dbPath: string, waitMs = WRITER_LOCK_WAIT_MS): Promise<void> {
  if (held.has(dbPath)) return;
  const infoPath = `${dbPath}-writer.json`;
  const deadline = Date.now() + waitMs;
  for (;;) {
    const client = await tryLock(`${dbPath}-writer.lock`);
    if (client) {
      held.set(dbPath, client);
      const holder: Holder = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
      writeFileSync(infoPath, JSON.stringify(holder));
      removeOnExit(infoPath);
      return;
    }
    if (Date.now() >= deadline) {
      throw new DatabaseInUseError(
        `${dbPath} is in use by ${describeHolder(infoPath)}. An embedded database file has one writer: ` +
          'stop the other process, or run several instances against a libSQL server (sqld) or Turso (DATABASE_URL=libsql://…).',
      );
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
