// `npm run db:migrate`: apply migrations to DATABASE_URL (used before deploying the Worker).
import { openMigratedDatabase } from './open-node.js';

const url = process.env.DATABASE_URL ?? 'file:./data/bot.db';
const database = await openMigratedDatabase(url, process.env.DATABASE_AUTH_TOKEN || undefined);
database.close();
console.log(`migrations applied to ${url.replace(/\/\/[^@/]*@/, '//***@')}`);
