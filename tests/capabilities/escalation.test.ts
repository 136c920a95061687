// Escalation: a member who lets three nudges pass without answering is named to their secretary,
// once per phase, never in quiet hours; a member excused or who answered is not.
import { asc } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { campaignPhases, outbox } from '../../db/schema.js';
import { cardOf, cardText, type NeutralBot, startNeutralBot, textOf } from '../support/neutral.js';
import { ADMIN, answered, BRANCH_A, CHAT_A, setUpOrg } from '../support/neutral-org.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
let bot: NeutralBot;
let phases: Array<typeof campaignPhases.$inferSelect>;

beforeEach(async () => {
  bot = await startNeutralBot({ admins: [ADMIN], now: '2026-08-20T10:00:00+08:00' });
  await setUpOrg(bot);
  await answered(bot, ADMIN, CHAT_A, '/活动 新建 三亮三比三评 2026-09-01');
  phases = await bot.db.select().from(campaignPhases).orderBy(asc(campaignPhases.seq));
});
afterEach(async () => bot.close());

const at = async (when: Date) => {
  bot.clock.set(when);
  await bot.tick();
};
const escalations = () => bot.sent.filter((m) => cardOf(m.content)?.title.includes('多次未回应提醒'));

describe('escalation after three ignored nudges', () => {
  it('tells the secretary by name after the third, once, and not at night', async () => {
    const pledge = phases.find((p) => p.kind === 'pledge')!;
    const peer = phases.find((p) => p.kind === 'review' && p.respond === 'member')!;
    // Two nudges in 亮承诺 (3 days and 1 day before), neither answered.
    await at(new Date(pledge.closesAt.getTime() - 3 * DAY + 11 * HOUR));
    await at(new Date(pledge.closesAt.getTime() - 1 * DAY + 11 * HOUR));
    expect(escalations()).toHaveLength(0);
    // The third, in 党员互评, late in the evening: its escalation waits for the morning.
    await at(new Date(peer.closesAt.getTime() - 3 * DAY + 21 * HOUR + 50 * 60_000));
    await at(new Date(peer.closesAt.getTime() - 3 * DAY + 23 * HOUR));
    expect(escalations()).toHaveLength(0);
    const held = (await bot.db.select().from(outbox)).filter((r) => r.dedupeKey.includes(':escalate:'));
    expect(held.length).toBeGreaterThan(0);
    expect(held.every((r) => r.status === 'pending' && new Date(r.notBefore).getUTCHours() === 0)).toBe(true);
    await at(new Date(peer.closesAt.getTime() - 2 * DAY + 8 * HOUR + 5 * 60_000));
    const told = escalations().filter((m) => m.to === BRANCH_A[0]!.id);
    const names = told.map((m) => cardOf(m.content)!.title);
    expect(names).toContain('请关心：张三 多次未回应提醒');
    expect(cardText(cardOf(told[0]!.content))).toMatch(/已有 \*\*3\*\* 次提醒未回应/);
    // Once per phase: more ticks add nothing.
    const count = escalations().length;
    await at(new Date(peer.closesAt.getTime() - 2 * DAY + 10 * HOUR));
    expect(escalations()).toHaveLength(count);
    // The secretary is never escalated to themself.
    expect(escalations().some((m) => cardOf(m.content)!.title.includes(BRANCH_A[0]!.name))).toBe(false);
  });

  it('rings the member with the platform urgent notice when the campaign asks for it, in the morning', async () => {
    expect(textOf(await answered(bot, 'a2', CHAT_A, '/活动 加急 开'))).toContain('仅限管理员');
    expect(textOf(await answered(bot, ADMIN, CHAT_A, '/活动 加急 开'))).toContain('已开启');
    const pledge = phases.find((p) => p.kind === 'pledge')!;
    const peer = phases.find((p) => p.kind === 'review' && p.respond === 'member')!;
    await at(new Date(pledge.closesAt.getTime() - 3 * DAY + 11 * HOUR));
    await at(new Date(pledge.closesAt.getTime() - 1 * DAY + 11 * HOUR));
    await at(new Date(peer.closesAt.getTime() - 3 * DAY + 21 * HOUR + 50 * 60_000));
    await at(new Date(peer.closesAt.getTime() - 3 * DAY + 23 * HOUR));
    const rung = () => bot.sent.filter((m) => m.via === 'urgent');
    expect(rung()).toEqual([]);
    await at(new Date(peer.closesAt.getTime() - 2 * DAY + 8 * HOUR + 5 * 60_000));
    const zhang = rung().filter((m) => m.to === BRANCH_A[1]!.id);
    expect(zhang).toHaveLength(1);
    // The message made urgent is the reminder sent to that member just before.
    const reminder = bot.sent.find((m) => m.messageId === zhang[0]!.messageId)!;
    expect(reminder.to).toBe(BRANCH_A[1]!.id);
    expect(cardOf(reminder.content)!.title).toMatch(/^提醒：「党员互评」/);
    await at(new Date(peer.closesAt.getTime() - 2 * DAY + 10 * HOUR));
    expect(rung().filter((m) => m.to === BRANCH_A[1]!.id)).toHaveLength(1);
    expect(textOf(await answered(bot, ADMIN, CHAT_A, '/活动 加急 关'))).toContain('已关闭');
  });

  it('does not ring anyone when the switch is off', async () => {
    const pledge = phases.find((p) => p.kind === 'pledge')!;
    const peer = phases.find((p) => p.kind === 'review' && p.respond === 'member')!;
    await at(new Date(pledge.closesAt.getTime() - 3 * DAY + 11 * HOUR));
    await at(new Date(pledge.closesAt.getTime() - 1 * DAY + 11 * HOUR));
    await at(new Date(peer.closesAt.getTime() - 3 * DAY + 11 * HOUR));
    await at(new Date(peer.closesAt.getTime() - 3 * DAY + 12 * HOUR));
    expect(escalations().length).toBeGreaterThan(0);
    expect(bot.sent.filter((m) => m.via === 'urgent')).toEqual([]);
  });
});
