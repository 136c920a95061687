// Every built-in template runs start to finish on a fixed clock: each phase opens and closes once per
// branch chat, and nudges reach exactly the people who had not answered.
import { asc, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { templates } from '../../bot/campaign/templates/index.js';
import type { Reply } from '../../bot/types.js';
import type { ActionRef } from '../../cards/model.js';
import { DECLARE_ACTIONS } from '../../cards/assess-declare-cards.js';
import { PHASE_DONE } from '../../cards/campaign-cards.js';
import { PLEDGE_ACTIONS } from '../../cards/pledge-cards.js';
import { REVIEW_ACTIONS } from '../../cards/review-cards.js';
import { campaignPhases, campaigns, members, reviewRounds } from '../../db/schema.js';
import { actionsOf, cardText, type NeutralBot, pushed, startNeutralBot } from '../support/neutral.js';
import { ADMIN, answered, BRANCH_A, BRANCH_B, CHAT_A, CHAT_B, LEADER, setUpOrg } from '../support/neutral-org.js';
import * as assess from '../support/neutral-assess.js';
import { expectNothingSentTwice } from '../support/neutral.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const EVERYONE = [...BRANCH_A, ...BRANCH_B].map((p) => p.id);
/** These two always answer; everyone else is nudged. */
const DILIGENT = ['a2', 'b2'];
/** Pledges, but never reports progress on it; declares a post, but never self-assesses. */
const PLEDGES_ONLY = 'a3';
/** The committee awards these two the posts they declared (model-post): semester phases assess only them. */
const AWARDED = ['a2', 'a3'];

let bot: NeutralBot;
beforeEach(async () => {
  bot = await startNeutralBot({ admins: [ADMIN], now: '2026-08-20T10:00:00+08:00' });
  await setUpOrg(bot);
});
afterEach(async () => bot.close());

type PhaseRow = typeof campaignPhases.$inferSelect;

function people0(rows: Array<typeof members.$inferSelect>, userId: string) {
  return rows.find((m) => m.userId === userId)!;
}

/** Everything a callback answered with: its toast and its card's text. */
const replyText = (reply: Reply): string => [reply.toast?.text ?? '', cardText(reply.card)].join('\n');

/** Presses a button (with a form's values) in the presser's direct chat. */
const act = (from: string, action: ActionRef, form?: Record<string, string>) => bot.press(from, action, form);

// Declaring and self-assessing, the way a member's cards do it.
const declare = (from: string, phaseId: number) => assess.declare(bot, from, phaseId);
const completeAssessment = (from: string, phaseId: number, o: { m?: number } = {}) => assess.completeAssessment(bot, from, phaseId, o);
const declareAndAssess = (from: string, phaseId: number) => assess.declareAndAssess(bot, from, phaseId);

/** Answers a phase the way its card asks: a pledge form, a progress report, or the done button. */
async function answer(p: PhaseRow) {
  const due = new Date(p.closesAt.getTime() + 30 * DAY).toISOString().slice(0, 10);
  if (p.kind === 'pledge') {
    const [campaign] = await bot.db.select().from(campaigns);
    const area = campaign!.template.pledgeAreas[0] ?? '爱岗敬业';
    for (const who of [...DILIGENT, PLEDGES_ONLY]) {
      const reply = await act(
        who,
        { ...PLEDGE_ACTIONS.submit, args: { p: String(p.id), o: 'member' } },
        { area_1: area, promise_1: '带头做好本职服务', due_1: due },
      );
      expect(replyText(reply)).toContain('承诺已提交');
    }
    return;
  }
  if (p.kind === 'review' && p.respond === 'member') {
    const people = await bot.db.select().from(members);
    const rounds = await bot.db.select().from(reviewRounds).where(eq(reviewRounds.phaseId, p.id));
    for (const who of DILIGENT) {
      const me = people.find((m) => m.userId === who)!;
      const round = rounds.find((r) => r.branchId === me.branchId)!;
      const form = Object.fromEntries(
        people.filter((m) => m.branchId === me.branchId && m.id !== me.id && m.role !== 'leader').map((m) => [`grade_${m.id}`, 'excellent']),
      );
      const reply = await act(who, { ...REVIEW_ACTIONS.ballot, args: { r: String(round.id), page: '0' } }, form);
      expect(replyText(reply)).toContain('评议已提交');
    }
    return;
  }
  if (p.kind === 'declare') {
    for (const who of DILIGENT) expect((await declareAndAssess(who, p.id)).toast!.type).toBe('success');
    expect((await declare(PLEDGES_ONLY, p.id)).toast!.type).toBe('success');
    return;
  }
  if (p.kind === 'semester' && p.respond === 'member') {
    for (const who of AWARDED.filter((u) => DILIGENT.includes(u))) expect((await completeAssessment(who, p.id)).toast!.type).toBe('success');
    return;
  }
  const declarePhase = (await bot.db.select().from(campaignPhases)).find((q) => q.kind === 'declare');
  if (p.kind === 'review' && p.respond === 'leader' && declarePhase) {
    // model-post: the leaders' phase is the committee's second scoring of the declared applicants.
    for (const who of AWARDED) {
      const person = BRANCH_A.find((b) => b.id === who)!;
      await answered(bot, ADMIN, CHAT_A, `/申报 授牌 @${person.name}`, [person]);
    }
    const applicant = people0(await bot.db.select().from(members), 'a2');
    // The secretary confirms the list shown to them (the button carries the list's version).
    const shown = await act('a1', { ...DECLARE_ACTIONS.confirm, args: { p: String(declarePhase.id), b: String(applicant.branchId) } });
    const button = actionsOf(shown.card).find((a) => a.id === DECLARE_ACTIONS.confirm.id);
    // This phase is answered at every tick while open: the list is confirmed the first time only.
    if (button) expect(replyText(await act('a1', button))).toContain('已确认');
    expect((await completeAssessment(LEADER.id, declarePhase.id, { m: applicant.id })).toast!.type).toBe('success');
    return;
  }
  if (p.kind === 'review' && p.respond === 'leader') {
    const branchA = people0(await bot.db.select().from(members), 'a1').branchId!;
    const [campaign] = await bot.db.select().from(campaigns);
    const ids = campaign!.template.criteria.branch.map((c) => c.id);
    const grades = Object.fromEntries((ids.length ? ids : ['leadership', 'members', 'mechanism', 'performance', 'feedback']).map((id) => [`g_${id}`, 'good']));
    const reply = await act(
      LEADER.id,
      { ...REVIEW_ACTIONS.leaderSubmit, args: { p: String(p.id), b: String(branchA) } },
      {
        ...grades,
        strengths: '学习扎实',
        problems: '台账不全',
        direction: '完善制度',
      },
    );
    expect(replyText(reply)).toContain('点评已提交');
    return;
  }
  const check =
    p.kind === 'create' &&
    p.respond === 'member' &&
    (await bot.db.select().from(campaignPhases)).some((q) => q.kind === 'pledge' && q.seq < p.seq && q.round === p.round);
  if (check) {
    for (const who of DILIGENT) {
      const reply = await act(who, { ...PLEDGE_ACTIONS.progress, args: { p: String(p.id) } }, { status_1: 'doing', note_1: '按计划推进' });
      expect(replyText(reply)).toContain('进度已提交');
    }
    return;
  }
  for (const who of [...DILIGENT, LEADER.id]) {
    await act(who, { ...PHASE_DONE, args: { p: String(p.id) } });
  }
}

describe.each(templates.map((t) => [t.template.id, t.template] as const))('template %s', (_id, template) => {
  it('runs end to end', async () => {
    await answered(bot, ADMIN, CHAT_A, `/活动 新建 ${template.id} 2026-09-01`);
    const phases = await bot.db.select().from(campaignPhases).orderBy(asc(campaignPhases.seq));
    expect(phases.map((p) => p.kind)).toEqual(template.phases.map((p) => p.kind));
    expect(new Set(phases.map((p) => p.title)).size).toBe(phases.length);

    const instants = new Set<number>();
    for (const p of phases) {
      instants.add(p.opensAt.getTime() + 10 * HOUR);
      for (const d of template.nudgeDaysBefore) instants.add(p.closesAt.getTime() - d * DAY + 10 * HOUR);
      instants.add(p.closesAt.getTime() + 10 * HOUR);
    }
    const ids = new Map((await bot.db.select().from(members)).map((m) => [m.userId, m.id]));
    for (const at of [...instants].sort((a, b) => a - b)) {
      bot.clock.set(new Date(at));
      await bot.tick();
      for (const p of phases.filter((ph) => ph.opensAt.getTime() <= at && at < ph.closesAt.getTime() && ph.respond)) {
        await answer(p);
      }
      await bot.tick();
    }
    bot.clock.set(new Date(Math.max(...phases.map((p) => p.closesAt.getTime())) + 8 * DAY));
    await bot.tick();
    expect(ids.size).toBeGreaterThan(0);

    const sent = pushed(bot);
    const pledgePhases = phases.filter((p) => p.kind === 'pledge');
    // Each pledge phase puts the form in every member's direct chat and the branch's form in each secretary's.
    const recipients = (suffix: string) =>
      sent
        .filter((s) => s.includes(suffix))
        .map((s) => s.split(' ')[0])
        .sort();
    expect(recipients('亮承诺：填写我的承诺')).toEqual(pledgePhases.flatMap(() => EVERYONE).sort());
    expect(recipients('支部承诺：')).toEqual(pledgePhases.flatMap(() => ['a1', 'b1']).sort());
    // 践诺 phases send the progress form to everyone who pledged.
    const checks = phases.filter((p) => p.kind === 'create' && p.respond === 'member' && pledgePhases.some((q) => q.seq < p.seq && q.round === p.round));
    expect(recipients('践诺：报告承诺进度')).toEqual(checks.flatMap(() => [...DILIGENT, PLEDGES_ONLY]).sort());
    // Peer-review phases invite every member, and publish each one's own result privately at the close.
    const reviews = phases.filter((p) => p.kind === 'review' && p.respond === 'member');
    expect(recipients('请参加党员互评')).toEqual(reviews.flatMap(() => EVERYONE).sort());
    expect(recipients('我的互评结果')).toEqual(reviews.flatMap(() => EVERYONE).sort());
    // 领导点评 cards go to the leader for each branch they link, except where the leaders' phase scores applicants.
    const branchReviews = phases.filter((p) => p.kind === 'review' && p.respond === 'leader' && !phases.some((q) => q.kind === 'declare'));
    expect(recipients('领导点评 · ').filter((u) => u === LEADER.id)).toEqual(branchReviews.map(() => LEADER.id));
    // Each leader review reaches the branch secretary once, however often the same review is resubmitted.
    expect(recipients('领导点评 · ').filter((u) => u === 'a1')).toEqual(branchReviews.map(() => 'a1'));
    // Declare phases put the declaration form in every member's direct chat; semester phases the
    // self-assessment in the direct chat of each awarded post's holder, or the self-check in each secretary's.
    const hasDeclare = phases.some((p) => p.kind === 'declare');
    const semesters = phases.filter((p) => p.kind === 'semester');
    expect(recipients('岗位申报（一人一报）')).toEqual(
      phases
        .filter((p) => p.kind === 'declare')
        .flatMap(() => EVERYONE)
        .sort(),
    );
    expect(recipients('自评打分 · ')).toEqual(
      semesters
        .filter((p) => p.respond === 'member')
        .flatMap(() => AWARDED)
        .sort(),
    );
    expect(recipients('支部自查 · ')).toEqual(
      semesters
        .filter((p) => p.respond === 'secretary')
        .flatMap(() => ['a1', 'b1'])
        .sort(),
    );
    for (const p of phases) {
      for (const chat of [CHAT_A, CHAT_B]) {
        expect(sent.filter((s) => s === `${chat} ${p.title} 阶段开始`)).toHaveLength(1);
        expect(sent.filter((s) => s === `${chat} ${p.title} 阶段结束`)).toHaveLength(1);
      }
      const nudged = sent.filter((s) => new RegExp(`「${p.title}」(还有 \\d+ 天|明天|今天)截止`).test(s)).map((s) => s.split(' ')[0]);
      const isCheck = p.kind === 'create' && p.respond === 'member' && pledgePhases.some((q) => q.seq < p.seq && q.round === p.round);
      const expected =
        p.kind === 'pledge'
          ? EVERYONE.filter((u) => !DILIGENT.includes(u) && u !== PLEDGES_ONLY)
          : isCheck
            ? [PLEDGES_ONLY]
            : p.kind === 'semester' && p.respond === 'member' && hasDeclare
              ? AWARDED.filter((u) => !DILIGENT.includes(u))
              : p.respond === 'member'
                ? EVERYONE.filter((u) => !DILIGENT.includes(u))
                : p.respond === 'secretary'
                  ? ['a1', 'b1']
                  : [];
      // One nudge per window for each who never answered; none to those who did.
      expect([...new Set(nudged)].sort()).toEqual(expected.sort());
      expect(nudged).toHaveLength(expected.length * template.nudgeDaysBefore.length);
    }
    await expectNothingSentTwice(bot);
    const [row] = await bot.db.select().from(campaigns).where(eq(campaigns.templateId, template.id));
    expect(row!.status).toBe('finished');
  });
});
