// Applies the drizzle-kit migrations in db/migrations (Node only: it reads the folder).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { migrate } from 'drizzle-orm/libsql/migrator';
import type { Db } from './client.js';

const beside = new URL('./migrations', import.meta.url);
/** The built server (dist/db/) reads the migrations from the sources' folder; they are not copied. */
export const migrationsFolder = fileURLToPath(existsSync(beside) ? beside : new URL('../../db/migrations', import.meta.url));

export async function applyMigrations(db: Db): Promise<void> {
  await migrate(db, { migrationsFolder });
}
