// Semester re-assessment (template-driven) over the neutral harness: awarded posts self-assess again in a
// model-post campaign; in a three-lights campaign each secretary files the branch's 五个好 self-check.
// And the frozen rubric version.
import { asc, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ASSESS_ACTIONS } from '../../cards/assess-cards.js';
import { assessments, campaignPhases, campaigns, criteriaChecks, phaseResponses } from '../../db/schema.js';
import { cardOf, cardText, type NeutralBot, type Person, pushed, startNeutralBot, textOf } from '../support/neutral.js';
import { ADMIN, answered, BRANCH_A, CHAT_A, CHAT_B, LEADER, setUpOrg } from '../support/neutral-org.js';
import { buttonLabels, completeAssessment, declare, declareAndAssess, type Form, privateCard, privately } from '../support/neutral-assess.js';

const HOUR = 3600_000;
const WANG = BRANCH_A[0]!;
const ZHANG = BRANCH_A[1]!;
const LI = BRANCH_A[2]!;
let bot: NeutralBot;
type PhaseRow = typeof campaignPhases.$inferSelect;

async function phaseOf(kind: string): Promise<PhaseRow> {
  return (await bot.db.select().from(campaignPhases).orderBy(asc(campaignPhases.seq))).find((p) => p.kind === kind)!;
}

/** The card a phase announcement posted in a chat. */
const announcement = (chatId: string, title: string) => cardOf(bot.sent.find((m) => m.to === chatId && cardOf(m.content)?.title === title)?.content);

beforeEach(async () => {
  bot = await startNeutralBot({ admins: [ADMIN], now: '2026-08-20T10:00:00+08:00' });
  await setUpOrg(bot);
});
afterEach(async () => bot.close());

describe('model-post: each semester the awarded posts self-assess again', () => {
  let semester: PhaseRow;
  beforeEach(async () => {
    await answered(bot, ADMIN, CHAT_A, '/活动 新建 示范岗 2026-09-01');
    const declarePhase = await phaseOf('declare');
    semester = await phaseOf('semester');
    bot.clock.set(new Date(declarePhase.opensAt.getTime() + 10 * HOUR));
    await declareAndAssess(bot, 'a2', declarePhase.id);
    await declare(bot, 'a3', declarePhase.id);
    bot.clock.set(new Date((await phaseOf('commend')).opensAt.getTime() + 10 * HOUR));
  });

  const award = (from: string, who: Person, tail = '') => answered(bot, from, CHAT_A, `/申报 授牌 @${who.name}${tail}`, [who]);

  it('awards a post only to an applicant, with an audit trail', async () => {
    expect(textOf(await award(ADMIN, WANG))).toBe('王书记 在本次活动中没有申报，无法授牌。');
    expect(textOf(await award(ADMIN, ZHANG))).toBe('已授予 张三「服务育人示范岗」称号。每学期考核时我会请其提交学期自评。');
    expect(textOf(await award('a1', LI))).toBe('抱歉，/declare award（/申报 授牌） 仅限管理员使用。');
  });

  it('asks only the holders, resumes like the declaration self-assessment, and records the answer', async () => {
    await award(ADMIN, ZHANG);
    bot.clock.set(new Date(semester.opensAt.getTime() + 10 * HOUR));
    const mark = bot.sent.length;
    await bot.tick();
    expect(pushed(bot, mark).filter((s) => s.includes('自评打分'))).toEqual(['a2 自评打分 · 创建氛围浓']);
    // The secretary's digest names the holder only.
    expect(pushed(bot, mark)).toContain('a1 每日进度：后勤第一党支部');
    const digest = bot.sent.find((m) => m.to === 'a1' && cardOf(m.content)?.title.startsWith('每日进度'))!;
    expect(cardText(cardOf(digest.content))).toContain('已完成 **0/1** 人');
    expect(buttonLabels(announcement(CHAT_A, '每学期考核 阶段开始'))).toContain('填写学期自评');

    expect(textOf(await privately(bot, 'a3', '/自评'))).toBe('您在本次活动中没有获授示范岗，本学期无需自评。');
    const page = await privateCard(bot, 'a2', '/自评');
    expect(page.title).toBe('自评打分 · 创建氛围浓');
    expect(cardText(page)).toContain('申报岗位：服务育人示范岗');

    const done = await completeAssessment(bot, 'a2', semester.id, { score: (max) => max - 1 });
    expect(done.toast!.text).toBe('自评已提交');
    expect(await bot.db.select().from(phaseResponses).where(eq(phaseResponses.phaseId, semester.id))).toHaveLength(1);
    const rows = await bot.db.select().from(assessments).where(eq(assessments.phaseId, semester.id));
    expect(rows).toMatchObject([{ rater: 'self', rubricId: 'model-post-rubric', rubricVersion: 1, revision: 1 }]);

    const status = cardText(await privateCard(bot, 'a1', '/自评 进度'));
    expect(status).toContain('已提交 **1** 人 · 草稿 **0** 人 · 未开始 **0** 人');
    expect(status).toContain('本学期需考核的示范岗：1 人。');

    // The committee scores the semester self-assessment within the semester phase.
    const list = cardText(await privateCard(bot, LEADER.id, '/自评 复评'));
    expect(list).toContain('可评分的申报人 **1** 人');
    expect(list).toContain('自评 83 分');
  });

  it('no longer asks a post whose award was revoked', async () => {
    await award(ADMIN, ZHANG);
    expect(textOf(await award(ADMIN, ZHANG, ' 撤销'))).toBe('已收回 张三 的「服务育人示范岗」称号，学期考核不再要求其自评。');
    bot.clock.set(new Date(semester.opensAt.getTime() + 10 * HOUR));
    const mark = bot.sent.length;
    await bot.tick();
    // Nothing to any person (the chats still get the phase's announcement).
    expect(pushed(bot, mark).filter((s) => !s.startsWith(`${CHAT_A} `) && !s.startsWith(`${CHAT_B} `))).toEqual([]);
  });
});

describe('a semester phase in a campaign without declarations', () => {
  it('asks every member to self-assess against the rubric', async () => {
    await answered(bot, ADMIN, CHAT_A, '/活动 新建 示范岗 2026-09-01');
    // The same rubric, but no declare phase: there are no awarded posts to narrow the semester to.
    await bot.db.update(campaignPhases).set({ kind: 'create', respond: null }).where(eq(campaignPhases.kind, 'declare'));
    const semester = await phaseOf('semester');
    bot.clock.set(new Date(semester.opensAt.getTime() + 10 * HOUR));
    await bot.tick();
    expect(
      pushed(bot)
        .filter((s) => s.includes('自评打分'))
        .map((s) => s.split(' ')[0]),
    ).toEqual(['a1', 'a2', 'a3', 'b1', 'b2']);
    expect((await completeAssessment(bot, 'a3', semester.id)).toast!.text).toBe('自评已提交');
    expect(cardText(await privateCard(bot, LEADER.id, '/自评 复评'))).toContain('1. **李四**（后勤第一党支部·联系点）');
  });
});

describe('three-lights: the branch 五个好 self-check by secretaries', () => {
  let semester: PhaseRow;
  beforeEach(async () => {
    await answered(bot, ADMIN, CHAT_A, '/活动 新建 三亮三比三评 2026-09-01');
    semester = await phaseOf('semester');
    bot.clock.set(new Date(semester.opensAt.getTime() + 10 * HOUR));
  });

  const GOOD: Form = {
    grade_leadership: 'good',
    note_leadership: '支委会分工明确',
    grade_members: 'fair',
    note_members: '党员带头服务',
    grade_mechanism: 'good',
    note_mechanism: '制度健全',
    grade_performance: 'good',
    note_performance: '任务全部完成',
    grade_reputation: 'average',
    note_reputation: '投诉两起已处理',
  };

  it('sends each secretary the form, validates each criterion, stores it with its criteria version', async () => {
    await bot.tick();
    expect(pushed(bot).filter((s) => s.includes('支部自查'))).toEqual(['a1 支部自查 · 后勤第一党支部', 'b1 支部自查 · 后勤第二党支部']);
    expect(buttonLabels(announcement(CHAT_A, '学期考核 阶段开始'))).toContain('填写支部自查');

    const form = await privateCard(bot, 'a1', '/自评');
    expect(form.title).toBe('支部自查 · 后勤第一党支部');
    for (const name of ['领导班子好', '党员队伍好', '工作机制好', '工作业绩好', '师生员工反映好']) expect(cardText(form)).toContain(name);

    const submit = (from: string, values: Form) => bot.press(from, { ...ASSESS_ACTIONS.check, args: { p: String(semester.id), b: '1' } }, values);
    const bad = await submit('a1', { ...GOOD, grade_members: '', note_reputation: '' });
    expect(bad.toast).toEqual({ type: 'error', text: '有 2 处需要修改' });
    expect(cardText(bad.card)).toContain('2. 党员队伍好·评定：请选择 好、较好、一般 或 差。');
    expect(cardText(bad.card)).toContain('5. 师生员工反映好·完成情况：请填写。');
    expect((await submit('a2', GOOD)).toast!.text).toBe('仅限本支部书记或管理员操作。');
    expect((await submit('b1', GOOD)).toast!.text).toBe('只有本支部书记可以填写支部自查。');

    const ok = await submit('a1', GOOD);
    expect(ok.toast).toEqual({ type: 'success', text: '支部自查已提交' });
    expect(cardText(ok.card)).toContain('5. **师生员工反映好**：一般');
    const [row] = await bot.db.select().from(criteriaChecks);
    expect(row).toMatchObject({ kind: 'branch', ownerKey: 'branch:1', criteriaId: 'three-lights/criteria.branch', criteriaVersion: 1, revision: 1 });
    expect(await bot.db.select().from(phaseResponses).where(eq(phaseResponses.phaseId, semester.id))).toHaveLength(1);
    expect(cardText(await privateCard(bot, 'a1', '/自评 进度'))).toContain('- 王书记（支部自查第 1 版）');

    bot.clock.set(new Date(semester.closesAt.getTime() + HOUR));
    expect(await submit('a1', GOOD)).toEqual({ toast: { type: 'error', text: '「学期考核」已结束，无法再提交支部自查。' } });
  });
});

describe('rubric versions', () => {
  it('scores against the rubric frozen in the campaign, and every answer records its version', async () => {
    await answered(bot, ADMIN, CHAT_A, '/活动 新建 示范岗 2026-09-01');
    // A campaign started on another version of the rubric (here: item 1 worth 3 points, version 2).
    const [c] = await bot.db.select().from(campaigns);
    const template = structuredClone(c!.template);
    template.rubric!.version = 2;
    template.rubric!.categories[0]!.items[0]!.max = 3;
    await bot.db.update(campaigns).set({ template }).where(eq(campaigns.id, c!.id));
    const declarePhase = await phaseOf('declare');
    bot.clock.set(new Date(declarePhase.opensAt.getTime() + 10 * HOUR));
    await declare(bot, 'a2', declarePhase.id);
    const page = cardText(await privateCard(bot, 'a2', '/自评'));
    expect(page).toContain('**第1项**（满分 3 分）');
    expect(page).toContain('本类共 4 项、9 分');
    const form = { score_1: '4', score_2: '2', score_3: '2', score_4: '2' };
    const save = (values: Form) => bot.press('a2', { ...ASSESS_ACTIONS.page, args: { p: String(declarePhase.id), pg: 'atmosphere' } }, values);
    expect(cardText((await save(form)).card)).toContain('第1项：最高 3 分，填写了 4 分。');
    await save({ ...form, score_1: '3' });
    const [row] = await bot.db.select().from(assessments);
    expect(row).toMatchObject({ rubricId: 'model-post-rubric', rubricVersion: 2 });
  });
});
