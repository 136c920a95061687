// Semester re-assessment (template-driven): awarded posts self-assess again in a model-post campaign; in a
// three-lights campaign each secretary files the branch's 五个好 self-check. And the frozen rubric version.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import { assessments, campaignPhases, campaigns, criteriaChecks, phaseResponses } from '../db/schema.js';
import { completeAssessment, declare, declareAndAssess, press, type Json } from './support/assess.js';
import { startTestBot, type TestBot } from './support/harness.js';
import { ADMIN, CHAT_A, LEADER, headline, pushed, say, sayPrivately, setUpOrg } from './support/org.js';

const HOUR = 3600_000;
let bot: TestBot;
type PhaseRow = typeof campaignPhases.$inferSelect;

async function phaseOf(kind: string): Promise<PhaseRow> {
  return (await bot.db.select().from(campaignPhases).orderBy(asc(campaignPhases.seq))).find((p) => p.kind === kind)!;
}

beforeEach(async () => {
  bot = await startTestBot({ admins: [ADMIN], now: '2026-08-20T10:00:00+08:00' });
  await setUpOrg(bot);
});
afterEach(async () => bot.close());

describe('model-post: each semester the awarded posts self-assess again', () => {
  let semester: PhaseRow;
  beforeEach(async () => {
    await say(bot, ADMIN, CHAT_A, '/活动 新建 示范岗 2026-09-01');
    const declarePhase = await phaseOf('declare');
    semester = await phaseOf('semester');
    bot.clock.set(new Date(declarePhase.opensAt.getTime() + 10 * HOUR));
    await declareAndAssess(bot, 'ou_a2', declarePhase.id);
    await declare(bot, 'ou_a3', declarePhase.id);
    bot.clock.set(new Date((await phaseOf('commend')).opensAt.getTime() + 10 * HOUR));
  });

  it('awards a post only to an applicant, with an audit trail', async () => {
    const nobody = await say(bot, ADMIN, CHAT_A, '/申报 授牌 @_user_2', [{ openId: 'ou_a1', name: '王书记' }]);
    expect(nobody.content).toEqual({ text: '王书记 在本次活动中没有申报，无法授牌。' });
    const ok = await say(bot, ADMIN, CHAT_A, '/申报 授牌 @_user_2', [{ openId: 'ou_a2', name: '张三' }]);
    expect(ok.content).toEqual({ text: '已授予 张三「服务育人示范岗」称号。每学期考核时我会请其提交学期自评。' });
    const secretary = await say(bot, 'ou_a1', CHAT_A, '/申报 授牌 @_user_2', [{ openId: 'ou_a3', name: '李四' }]);
    expect(secretary.content).toEqual({ text: '抱歉，/declare award（/申报 授牌） 仅限管理员使用。' });
  });

  it('asks only the holders, resumes like the declaration self-assessment, and records the answer', async () => {
    await say(bot, ADMIN, CHAT_A, '/申报 授牌 @_user_2', [{ openId: 'ou_a2', name: '张三' }]);
    bot.clock.set(new Date(semester.opensAt.getTime() + 10 * HOUR));
    const mark = bot.fake.sent.length;
    await bot.tick();
    expect(pushed(bot, mark).filter((s) => s.includes('自评打分'))).toEqual(['ou_a2 自评打分 · 创建氛围浓']);
    // The secretary's digest names the holder only.
    expect(pushed(bot, mark)).toContain('ou_a1 每日进度：后勤第一党支部');
    expect(JSON.stringify(bot.fake.sent.find((m) => m.receiveId === 'ou_a1' && headline(m).startsWith('每日进度'))!.content)).toContain('已完成 **0/1** 人');
    const announce = bot.fake.sent.find((m) => m.receiveId === CHAT_A && headline(m) === '每学期考核 阶段开始')!;
    expect(JSON.stringify(announce.content)).toContain('"content":"填写学期自评"');

    const notHolder = await sayPrivately(bot, 'ou_a3', '/自评');
    expect(notHolder.content).toEqual({ text: '您在本次活动中没有获授示范岗，本学期无需自评。' });
    const page = await sayPrivately(bot, 'ou_a2', '/自评');
    expect(headline(page)).toBe('自评打分 · 创建氛围浓');
    expect(JSON.stringify(page.content)).toContain('申报岗位：服务育人示范岗');

    const done = await completeAssessment(bot, 'ou_a2', semester.id, { score: (max) => max - 1 });
    expect(done.toast!.content).toBe('自评已提交');
    expect(await bot.db.select().from(phaseResponses).where(eq(phaseResponses.phaseId, semester.id))).toHaveLength(1);
    const rows = await bot.db.select().from(assessments).where(eq(assessments.phaseId, semester.id));
    expect(rows).toMatchObject([{ rater: 'self', rubricId: 'model-post-rubric', rubricVersion: 1, revision: 1 }]);

    const status = JSON.stringify((await sayPrivately(bot, 'ou_a1', '/自评 进度')).content);
    expect(status).toContain('已提交 **1** 人 · 草稿 **0** 人 · 未开始 **0** 人');
    expect(status).toContain('本学期需考核的示范岗：1 人。');

    // The committee scores the semester self-assessment within the semester phase.
    const list = JSON.stringify((await sayPrivately(bot, LEADER.openId, '/自评 复评')).content);
    expect(list).toContain('可评分的申报人 **1** 人');
    expect(list).toContain('自评 83 分');
  });

  it('no longer asks a post whose award was revoked', async () => {
    await say(bot, ADMIN, CHAT_A, '/申报 授牌 @_user_2', [{ openId: 'ou_a2', name: '张三' }]);
    const revoked = await say(bot, ADMIN, CHAT_A, '/申报 授牌 @_user_2 撤销', [{ openId: 'ou_a2', name: '张三' }]);
    expect(revoked.content).toEqual({ text: '已收回 张三 的「服务育人示范岗」称号，学期考核不再要求其自评。' });
    bot.clock.set(new Date(semester.opensAt.getTime() + 10 * HOUR));
    const mark = bot.fake.sent.length;
    await bot.tick();
    expect(pushed(bot, mark).filter((s) => s.startsWith('ou_'))).toEqual([]);
  });
});

describe('a semester phase in a campaign without declarations', () => {
  it('asks every member to self-assess against the rubric', async () => {
    await say(bot, ADMIN, CHAT_A, '/活动 新建 示范岗 2026-09-01');
    // The same rubric, but no declare phase: there are no awarded posts to narrow the semester to.
    await bot.db.update(campaignPhases).set({ kind: 'create', respond: null }).where(eq(campaignPhases.kind, 'declare'));
    const semester = await phaseOf('semester');
    bot.clock.set(new Date(semester.opensAt.getTime() + 10 * HOUR));
    await bot.tick();
    expect(
      pushed(bot)
        .filter((s) => s.includes('自评打分'))
        .map((s) => s.split(' ')[0]),
    ).toEqual(['ou_a1', 'ou_a2', 'ou_a3', 'ou_b1', 'ou_b2']);
    expect((await completeAssessment(bot, 'ou_a3', semester.id)).toast!.content).toBe('自评已提交');
    const list = JSON.stringify((await sayPrivately(bot, LEADER.openId, '/自评 复评')).content);
    expect(list).toContain('1. **李四**（后勤第一党支部·联系点）');
  });
});

describe('three-lights: the branch 五个好 self-check by secretaries', () => {
  let semester: PhaseRow;
  beforeEach(async () => {
    await say(bot, ADMIN, CHAT_A, '/活动 新建 三亮三比三评 2026-09-01');
    semester = await phaseOf('semester');
    bot.clock.set(new Date(semester.opensAt.getTime() + 10 * HOUR));
  });

  const GOOD: Json = {
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
    expect(pushed(bot).filter((s) => s.includes('支部自查'))).toEqual(['ou_a1 支部自查 · 后勤第一党支部', 'ou_b1 支部自查 · 后勤第二党支部']);
    const announce = bot.fake.sent.find((m) => m.receiveId === CHAT_A && headline(m) === '学期考核 阶段开始')!;
    expect(JSON.stringify(announce.content)).toContain('"content":"填写支部自查"');

    const form = await sayPrivately(bot, 'ou_a1', '/自评');
    expect(headline(form)).toBe('支部自查 · 后勤第一党支部');
    for (const name of ['领导班子好', '党员队伍好', '工作机制好', '工作业绩好', '师生员工反映好']) expect(JSON.stringify(form.content)).toContain(name);

    const submit = (from: string, values: Json) => press(bot, from, { a: 'assess.check', v: 1, p: String(semester.id), b: '1' }, values);
    const bad = await submit('ou_a1', { ...GOOD, grade_members: '', note_reputation: '' });
    expect(bad.toast).toEqual({ type: 'error', content: '有 2 处需要修改' });
    expect(JSON.stringify(bad.card!.data)).toContain('2. 党员队伍好·评定：请选择 好、较好、一般 或 差。');
    expect(JSON.stringify(bad.card!.data)).toContain('5. 师生员工反映好·完成情况：请填写。');
    const member = await submit('ou_a2', GOOD);
    expect(member.toast!.content).toBe('仅限本支部书记或管理员操作。');
    const other = await submit('ou_b1', GOOD);
    expect(other.toast!.content).toBe('只有本支部书记可以填写支部自查。');

    const ok = await submit('ou_a1', GOOD);
    expect(ok.toast).toEqual({ type: 'success', content: '支部自查已提交' });
    expect(JSON.stringify(ok.card!.data)).toContain('5. **师生员工反映好**：一般');
    const [row] = await bot.db.select().from(criteriaChecks);
    expect(row).toMatchObject({ kind: 'branch', ownerKey: 'branch:1', criteriaId: 'three-lights/criteria.branch', criteriaVersion: 1, revision: 1 });
    expect(await bot.db.select().from(phaseResponses).where(eq(phaseResponses.phaseId, semester.id))).toHaveLength(1);
    const status = JSON.stringify((await sayPrivately(bot, 'ou_a1', '/自评 进度')).content);
    expect(status).toContain('- 王书记（支部自查第 1 版）');

    bot.clock.set(new Date(semester.closesAt.getTime() + HOUR));
    const late = await submit('ou_a1', GOOD);
    expect(late).toEqual({ toast: { type: 'error', content: '「学期考核」已结束，无法再提交支部自查。' } });
  });
});

describe('rubric versions', () => {
  it('scores against the rubric frozen in the campaign, and every answer records its version', async () => {
    await say(bot, ADMIN, CHAT_A, '/活动 新建 示范岗 2026-09-01');
    // A campaign started on another version of the rubric (here: item 1 worth 3 points, version 2).
    const [c] = await bot.db.select().from(campaigns);
    const template = structuredClone(c!.template);
    template.rubric!.version = 2;
    template.rubric!.categories[0]!.items[0]!.max = 3;
    await bot.db.update(campaigns).set({ template }).where(eq(campaigns.id, c!.id));
    const declarePhase = await phaseOf('declare');
    bot.clock.set(new Date(declarePhase.opensAt.getTime() + 10 * HOUR));
    await declare(bot, 'ou_a2', declarePhase.id);
    const page = JSON.stringify((await sayPrivately(bot, 'ou_a2', '/自评')).content);
    expect(page).toContain('**第1项**（满分 3 分）');
    expect(page).toContain('本类共 4 项、9 分');
    const form = { score_1: '4', score_2: '2', score_3: '2', score_4: '2' };
    const bad = await press(bot, 'ou_a2', { a: 'assess.page', v: 1, p: String(declarePhase.id), pg: 'atmosphere' }, form);
    expect(JSON.stringify(bad.card!.data)).toContain('第1项：最高 3 分，填写了 4 分。');
    await press(bot, 'ou_a2', { a: 'assess.page', v: 1, p: String(declarePhase.id), pg: 'atmosphere' }, { ...form, score_1: '3' });
    const [row] = await bot.db.select().from(assessments);
    expect(row).toMatchObject({ rubricId: 'model-post-rubric', rubricVersion: 2 });
  });
});
