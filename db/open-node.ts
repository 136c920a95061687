// Node start-up: create the folder of an embedded file, open it and bring the schema up to date.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase, type Database } from './client.js';
import { applyMigrations } from './migrate.js';

function embeddedPath(url: string): string | null {
  if (!url.startsWith('file:')) return null;
  const rest = url.slice('file:'.length);
  return rest.startsWith('//') ? fileURLToPath(url) : rest.split('?')[0]!;
}

export async function openMigratedDatabase(url: string, authToken?: string): Promise<Database> {
  const path = embeddedPath(url);
  if (path) mkdirSync(dirname(path), { recursive: true });
  const database = await openDatabase(url, authToken);
  await applyMigrations(database.db);
  return database;
}
