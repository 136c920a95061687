// Node start-up: create the folder of an embedded file, take its writer lock, open it and bring the
// schema up to date.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase, type Database } from './client.js';
import { applyMigrations } from './migrate.js';
import { takeWriterLock } from './writer-lock.js';

/** The file behind a `file:` URL, or null for memory and remote databases. */
export function embeddedPath(url: string): string | null {
  if (!url.startsWith('file:')) return null;
  const rest = url.slice('file:'.length);
  return rest.startsWith('//') ? fileURLToPath(url) : rest.split('?')[0]!;
}

export interface NodeOpenOptions {
  /** How long to wait for another process to release the file before refusing (writer-lock.ts). */
  lockWaitMs?: number;
}

export async function openMigratedDatabase(url: string, authToken?: string, opts: NodeOpenOptions = {}): Promise<Database> {
  const path = embeddedPath(url);
  if (path) {
    mkdirSync(dirname(path), { recursive: true });
    await takeWriterLock(path, opts.lockWaitMs);
  }
  const database = await openDatabase(url, authToken);
  try {
    await applyMigrations(database.db);
  } catch (err) {
    database.close();
    throw err;
  }
  return database;
}
