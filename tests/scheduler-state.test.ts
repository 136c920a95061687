// What the scheduler loads for a running campaign at a given instant: outbox keys of phases that can
// still produce messages (and every key not of the engine's c<campaign>:p<phase>: form), and, for the
// escalation count, the nudges that were sent — not those dropped or still pending — whatever their phase.
import { asc, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { activeCampaigns, loadCampaignState } from '../bot/engine/store.js';
import { CATCH_UP_MS } from '../bot/engine/due-jobs.js';
import { enqueueMany, type OutboxMessage } from '../bot/outbox.js';
import { campaignPhases, members, outbox } from '../db/schema.js';
import { type NeutralBot, startNeutralBot } from './support/neutral.js';
import { ADMIN, answered, CHAT_A, setUpOrg } from './support/neutral-org.js';

let bot: NeutralBot;
let phases: Array<typeof campaignPhases.$inferSelect>;
let campaignId: number;

beforeEach(async () => {
  bot = await startNeutralBot({ admins: [ADMIN], now: '2026-08-20T10:00:00+08:00' });
  await setUpOrg(bot);
  await answered(bot, ADMIN, CHAT_A, '/活动 新建 三亮三比三评 2026-09-01');
  phases = await bot.db.select().from(campaignPhases).orderBy(asc(campaignPhases.seq));
  campaignId = phases[0]!.campaignId;
});
afterEach(async () => bot.close());

const row = (key: string): OutboxMessage => ({
  key,
  platform: 'web',
  to: { type: 'user', id: 'someone' },
  content: { kind: 'text', text: '测试' },
  notBefore: new Date('2026-08-20T00:00:00Z'),
  campaignId,
});

async function stateAt(at: Date) {
  const [campaign] = (await activeCampaigns(bot.db)).filter((c) => c.id === campaignId);
  return loadCampaignState(bot.db, campaign!, { config: bot.config, sources: [], keys: { at } });
}

describe('scheduler state', () => {
  it('loads the keys of phases still in play, not those of phases long over', async () => {
    // An instant more than a week after the first phase closed, inside a later one.
    const over = phases[0]!;
    const open = phases.find((p) => p.opensAt.getTime() > over.closesAt.getTime() + CATCH_UP_MS)!;
    const at = new Date(open.opensAt.getTime() + 3600_000);
    const neighbour = `c${campaignId}:p${open.id}0:form:1`; // phase id with one more digit: not the open phase's range
    await enqueueMany(bot.db, [
      row(`c${campaignId}:p${over.id}:open:oc_a`),
      row(`c${campaignId}:p${open.id}:open:oc_a`),
      row(`commend-results:${open.id}:ou_x`),
      row(neighbour),
    ]);
    const keys = [...(await stateAt(at)).existingKeys].sort();
    expect(keys).toEqual([`c${campaignId}:p${open.id}:open:oc_a`, `commend-results:${open.id}:ou_x`].sort());
    // Without an instant (status cards, results) every key of the campaign is there.
    const [campaign] = await activeCampaigns(bot.db);
    const all = await loadCampaignState(bot.db, campaign!, { config: bot.config, sources: [] });
    expect(all.existingKeys.has(`c${campaignId}:p${over.id}:open:oc_a`)).toBe(true);
    expect(all.existingKeys.has(neighbour)).toBe(true);
    // Status cards and results ask for none.
    expect((await loadCampaignState(bot.db, campaign!, { config: bot.config, sources: [], keys: 'none' })).existingKeys.size).toBe(0);
  });

  it('counts sent nudges of unanswered phases towards escalation, also of phases long over, and no other', async () => {
    const [member] = await bot.db.select().from(members).where(eq(members.name, '张三'));
    const [first, second] = phases.filter((p) => p.respond === 'member');
    const nudge = (phaseId: number, days: number) => `c${campaignId}:p${phaseId}:nudge${days}:${member!.id}`;
    await enqueueMany(bot.db, [row(nudge(first!.id, 3)), row(nudge(first!.id, 1)), row(nudge(second!.id, 3)), row(nudge(second!.id, 1))]);
    await bot.db.update(outbox).set({ status: 'sent' });
    // One superseded (dropped) and one still pending: neither was ignored by anyone.
    await bot.db
      .update(outbox)
      .set({ status: 'dropped' })
      .where(eq(outbox.dedupeKey, nudge(second!.id, 3)));
    await bot.db
      .update(outbox)
      .set({ status: 'pending' })
      .where(eq(outbox.dedupeKey, nudge(second!.id, 1)));
    const at = new Date(second!.closesAt.getTime() + CATCH_UP_MS + 3600_000);
    expect((await stateAt(at)).ignoredNudges?.get(member!.id)).toBe(2);
  });
});
