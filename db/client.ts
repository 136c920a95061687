// Opens the libSQL database: a remote URL (Workers, Turso, sqld) or, on Node, an embedded file.
import { createClient, type Client } from '@libsql/client';
import type { BatchItem } from 'drizzle-orm/batch';
import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql';
import { retryWhenBusy } from './busy-retry.js';
import * as schema from './schema.js';

export type Db = LibSQLDatabase<typeof schema>;

export interface Database {
  db: Db;
  client: Client;
  close(): void;
}

export function isEmbeddedUrl(url: string): boolean {
  return url === ':memory:' || url.startsWith('file:');
}

/**
 * A request to a libSQL server that gets no answer fails after this, instead of holding a webhook
 * (and the client's request slots) forever; the statement is then retried or the event resumed.
 */
const REMOTE_REQUEST_TIMEOUT_MS = 15_000;

function fetchWithTimeout(input: Request | string | URL, init?: RequestInit): Promise<Response> {
  if (input instanceof Request) return fetch(new Request(input, { signal: AbortSignal.timeout(REMOTE_REQUEST_TIMEOUT_MS) }));
  return fetch(input, { ...init, signal: AbortSignal.timeout(REMOTE_REQUEST_TIMEOUT_MS) });
}

/** A short lock held by a reader (a backup, the sqlite3 shell) is waited for, not answered with a 503. */
const BUSY_TIMEOUT_MS = 2_000;

/**
 * The embedded client keeps one connection: PRAGMAs apply per connection, and with several
 * connections two overlapping writes fail with SQLITE_BUSY. Callers therefore use single
 * statements or batch(), never interactive transactions. One process per file: see writer-lock.ts.
 */
export async function openDatabase(url: string, authToken?: string): Promise<Database> {
  const embedded = isEmbeddedUrl(url);
  const raw = createClient({ url, authToken, concurrency: embedded ? 1 : undefined, ...(embedded ? {} : { fetch: fetchWithTimeout }) });
  // Embedded: SQLite's busy_timeout waits; a server's lock has no such setting, so we wait here.
  const client = embedded ? raw : retryWhenBusy(raw);
  if (embedded) {
    await client.execute('PRAGMA foreign_keys = ON');
    if (url !== ':memory:') {
      await client.execute(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
      await client.execute('PRAGMA journal_mode = WAL');
      await client.execute('PRAGMA synchronous = NORMAL');
    }
  }
  return { db: drizzle(client, { schema }), client, close: () => client.close() };
}

/** Runs statements atomically in one round trip; an empty list is a no-op. */
export async function runBatch(db: Db, items: Array<BatchItem<'sqlite'>>): Promise<void> {
  if (items.length === 0) return;
  await db.batch(items as [BatchItem<'sqlite'>, ...Array<BatchItem<'sqlite'>>]);
}
