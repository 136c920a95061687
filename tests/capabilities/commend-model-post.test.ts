// The end of a model-post campaign over the neutral harness: the committee's second scoring ranks the
// applicants per post kind, a veto and an unscored applicant are shown as such, and the confirmed
// 党员示范岗 is awarded (held for the semester re-checks) with a plaque.
import { and, asc, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DECLARE_ACTIONS } from '../../cards/assess-declare-cards.js';
import { campaignPhases, commendNominees, members, postDeclarations } from '../../db/schema.js';
import { defaultRegistry } from '../../handlers/index.js';
import { actionsOf, cardOf, cardText, type NeutralBot, startNeutralBot, textOf } from '../support/neutral.js';
import { completeAssessment, declare, declareAndAssess, privateCard } from '../support/neutral-assess.js';
import { ADMIN, answered, CHAT_A, LEADER, setUpOrg } from '../support/neutral-org.js';
import { parseConfig } from '../../bot/config.js';

const HOUR = 3600_000;
let bot: NeutralBot;
let phases: Array<typeof campaignPhases.$inferSelect>;
const idOf = async (userId: string) => (await bot.db.select().from(members).where(eq(members.userId, userId)))[0]!.id;

beforeEach(async () => {
  bot = await startNeutralBot({ admins: [ADMIN], now: '2026-08-20T10:00:00+08:00' });
  await setUpOrg(bot);
  await answered(bot, ADMIN, CHAT_A, '/活动 新建 示范岗 2026-09-01');
  phases = await bot.db.select().from(campaignPhases).orderBy(asc(campaignPhases.seq));
  const declarePhase = phases.find((p) => p.kind === 'declare')!;
  bot.clock.set(new Date(declarePhase.opensAt.getTime() + 10 * HOUR));
  await declareAndAssess(bot, 'a2', declarePhase.id);
  expect((await declare(bot, 'a3', declarePhase.id, '管理育人示范岗')).toast?.type).toBe('success');
  await completeAssessment(bot, 'a3', declarePhase.id);
  await declareAndAssess(bot, 'b2', declarePhase.id);
  for (const secretary of ['a1', 'b1']) {
    const confirm = actionsOf(await privateCard(bot, secretary, '/申报 确认')).find((a) => a.id === DECLARE_ACTIONS.confirm.id)!;
    expect((await bot.press(secretary, confirm)).toast?.type).toBe('success');
  }
  const review = phases.find((p) => p.kind === 'review')!;
  bot.clock.set(new Date(review.opensAt.getTime() + 10 * HOUR));
  const p = declarePhase.id;
  expect((await completeAssessment(bot, LEADER.id, p, { m: await idOf('a2'), score: (max, no) => (no === 6 ? max - 2 : max) })).toast?.type).toBe('success');
  expect((await completeAssessment(bot, LEADER.id, p, { m: await idOf('b2'), veto: 'yes' })).toast?.type).toBe('success');
  // 李四 (管理育人) is never scored by the committee.
  bot.clock.set(new Date(phases.find((x) => x.kind === 'commend')!.opensAt.getTime() + 10 * HOUR));
});
afterEach(async () => bot.close());

describe('results of a model-post campaign', () => {
  it('ranks applicants by the committee score per post kind; a veto and a missing score are named', async () => {
    const text = cardText(cardOf(await bot.sayPrivately(ADMIN, '/表彰')));
    expect(text).toContain('**党员示范岗 · 服务育人示范岗**　不限名额');
    expect(text).toContain('第 1　**张三**（后勤第一党支部）　**98** 分');
    expect(text).toContain('领导小组考核打分：1 位委员评分，平均 98 分；自评（仅供参考）：自评 100 分');
    expect(text).toContain('—　**钱五（后勤第二党支部）**　<t grey>一票否决</t>');
    expect(text).toContain('**党员示范岗 · 管理育人示范岗**');
    expect(text).toContain('—　**李四（后勤第一党支部）**　<t grey>无法计算（领导小组考核打分：未开展）</t>');
  });

  it('awards the confirmed post: held for the semester re-checks, announced, with a plaque', async () => {
    expect(textOf(await bot.sayPrivately(ADMIN, '/表彰 提名 党员示范岗 钱五'))).toBe('钱五 不能提名「党员示范岗」：一票否决。');
    expect(textOf(await bot.sayPrivately(ADMIN, '/表彰 提名 党员示范岗 张三'))).toBe('已提名 张三 为「党员示范岗·服务育人示范岗」候选（98 分，第 1 名）。');
    await bot.sayPrivately(ADMIN, '/表彰 表决');
    const [n] = await bot.db.select().from(commendNominees);
    const vote = actionsOf(cardOf(await bot.sayPrivately(LEADER.id, '/表彰 表决'))).find((a) => a.id === 'commend.vote')!;
    await bot.press(LEADER.id, vote, { [`v_${n!.id}`]: 'yes' });
    expect(textOf(await bot.sayPrivately(ADMIN, '/表彰 公示'))).toMatch(/^表决结果：1 名过半数同意进入公示。/);
    bot.clock.set(new Date(bot.clock.now().getTime() + 9 * 24 * HOUR));
    expect(textOf(await bot.sayPrivately(ADMIN, '/表彰 确认'))).toBe('表彰名单已确认：1 名，已在各支部群公布并向受表彰者致贺。');
    await bot.settle();
    const held = await bot.db
      .select()
      .from(postDeclarations)
      .where(and(eq(postDeclarations.memberId, await idOf('a2'))));
    expect(held[0]!.awardedAt).not.toBeNull();
    expect(bot.sent.some((m) => m.to === 'a2' && cardOf(m.content)?.title === '祝贺您：党员示范岗·服务育人示范岗')).toBe(true);
    const deps = { db: bot.db, clock: bot.clock, config: parseConfig({}) };
    expect(await defaultRegistry.ports!.commend!.certificate(deps, n!.id)).toMatchObject({ kind: 'plaque', title: '党员示范岗·服务育人示范岗', name: '张三' });
    // The holder now self-assesses each semester: /申报 shows the post as awarded.
    expect(cardText(await privateCard(bot, 'a2', '/申报'))).toContain('服务育人示范岗');
  });
});
