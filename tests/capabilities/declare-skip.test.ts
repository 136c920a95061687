// 本次不申报: a member who does not apply for a model post answers the declare phase with one button,
// is no longer nudged or counted as pending, and may still apply before the deadline.
import { and, asc, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DECLARE_ACTIONS } from '../../cards/assess-declare-cards.js';
import { auditLog, campaignPhases, members, phaseResponses } from '../../db/schema.js';
import { actionsOf, cardOf, cardText, type NeutralBot, startNeutralBot } from '../support/neutral.js';
import { declare, privateCard } from '../support/neutral-assess.js';
import { ADMIN, answered, CHAT_A, setUpOrg } from '../support/neutral-org.js';

const HOUR = 3600_000;
let bot: NeutralBot;
let declarePhase: typeof campaignPhases.$inferSelect;

beforeEach(async () => {
  bot = await startNeutralBot({ admins: [ADMIN], now: '2026-08-20T10:00:00+08:00' });
  await setUpOrg(bot);
  await answered(bot, ADMIN, CHAT_A, '/活动 新建 示范岗 2026-09-01');
  declarePhase = (await bot.db.select().from(campaignPhases).orderBy(asc(campaignPhases.seq))).find((p) => p.kind === 'declare')!;
  bot.clock.set(new Date(declarePhase.opensAt.getTime() + 10 * HOUR));
});
afterEach(async () => bot.close());

const responded = async (userId: string) => {
  const [m] = await bot.db.select().from(members).where(eq(members.userId, userId));
  return (
    (
      await bot.db
        .select()
        .from(phaseResponses)
        .where(and(eq(phaseResponses.phaseId, declarePhase.id), eq(phaseResponses.memberId, m!.id)))
    ).length > 0
  );
};

describe('本次不申报', () => {
  it('answers the phase, stops the nudges, and can be changed into an application', async () => {
    const form = await privateCard(bot, 'a3', '/申报');
    const skip = actionsOf(form).find((a) => a.id === DECLARE_ACTIONS.skip.id)!;
    expect(skip).toEqual({ ...DECLARE_ACTIONS.skip, args: { p: String(declarePhase.id) } });
    const done = await bot.press('a3', skip);
    expect(done.toast).toEqual({ type: 'success', text: '已登记：本次不申报' });
    expect(done.card?.title).toBe('已登记：本次不申报');
    expect(await responded('a3')).toBe(true);
    expect((await bot.db.select().from(auditLog)).some((r) => r.action === 'declare.skip')).toBe(true);
    // /申报 shows the answer, not the form again.
    expect((await privateCard(bot, 'a3', '/申报')).title).toBe('已登记：本次不申报');

    // The nudge before the deadline goes to those who neither applied nor declined.
    bot.clock.set(new Date(declarePhase.closesAt.getTime() - 24 * HOUR - 12 * HOUR));
    await bot.tick();
    const nudged = bot.sent.filter((m) => cardOf(m.content)?.title.includes('提醒')).map((m) => m.to);
    expect(nudged).toContain('a2');
    expect(nudged).not.toContain('a3');

    // Changing one's mind: 改为申报 opens the form; applying makes the self-assessment the answer again.
    const change = actionsOf(done.card).find((a) => a.id === DECLARE_ACTIONS.edit.id)!;
    expect((await bot.press('a3', change)).card?.title).toMatch(/申报/);
    expect((await declare(bot, 'a3', declarePhase.id)).toast?.type).toBe('success');
    expect(await responded('a3')).toBe(false);
    expect(cardText(await privateCard(bot, 'a3', '/申报'))).toContain('申报说明');
  });

  it('is refused once a declaration is submitted', async () => {
    await declare(bot, 'a2', declarePhase.id);
    const r = await bot.press('a2', { ...DECLARE_ACTIONS.skip, args: { p: String(declarePhase.id) } });
    expect(r.toast?.text).toBe('您已经提交了申报。如不再申报，请联系支部书记不列入名单。');
  });
});
