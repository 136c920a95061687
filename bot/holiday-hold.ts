// Holidays mean holidays for what a person's action sends to others too (review copies, invitations,
// notices): it waits past quiet hours and the organisation's holidays (every running campaign's 寒暑假).
// Replies to the person themself are not held.
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { campaigns, type DateRange } from '../db/schema.js';
import { afterHolidays, sendableAt } from './engine/due-jobs.js';
import type { OutboxMessage } from './outbox.js';

interface Organisation {
  platform: string;
  tenantKey: string;
}

async function holidaysOf(db: Db, org: Organisation): Promise<DateRange[]> {
  const running = await db
    .select({ blackouts: campaigns.blackouts })
    .from(campaigns)
    .where(and(eq(campaigns.platform, org.platform), eq(campaigns.tenantKey, org.tenantKey), eq(campaigns.status, 'active')));
  return running.flatMap((c) => c.blackouts);
}

/** When something sent to others now may go. */
export async function sendableToOthers(db: Db, org: Organisation, timezone: string, now: Date): Promise<Date> {
  return sendableAt({ blackouts: await holidaysOf(db, org), timezone }, now);
}

/** Moves what a handler sent to others past the holidays (quiet hours are applied when it is sent). */
export async function holdForHolidays(db: Db, org: Organisation, timezone: string, messages: OutboxMessage[]): Promise<void> {
  const toOthers = messages.filter((m) => !m.urgent);
  if (!toOthers.length) return;
  const blackouts = await holidaysOf(db, org);
  if (!blackouts.length) return;
  for (const m of toOthers) m.notBefore = afterHolidays({ blackouts, timezone }, m.notBefore);
}
