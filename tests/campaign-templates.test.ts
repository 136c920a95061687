import { describe, expect, it } from 'vitest';
import { loadTemplate, PHASE_KINDS, TemplateError, type CampaignTemplate } from '../bot/campaign/template.js';
import { findTemplate, rawTemplates, registerTemplates, templates } from '../bot/campaign/templates/index.js';

function raw(id: string): Record<string, any> {
  const r = rawTemplates.find((t) => (t as { id: string }).id === id);
  if (!r) throw new Error(`no raw template ${id}`);
  return structuredClone(r) as Record<string, any>;
}

function loaded(id: string): CampaignTemplate {
  const t = templates.find((l) => l.template.id === id);
  if (!t) throw new Error(`no template ${id}`);
  return t.template;
}

function expectTemplateError(data: unknown, path: string): TemplateError {
  let caught: unknown;
  try {
    loadTemplate(data);
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(TemplateError);
  const err = caught as TemplateError;
  expect(err.path).toBe(path);
  expect(err.message.startsWith(`${path}: `)).toBe(true);
  return err;
}

describe('built-in campaign templates', () => {
  it('registers the three templates, each of which loads', () => {
    expect(templates.map((t) => t.template.id)).toEqual(['model-post', 'excellence', 'three-lights']);
    for (const r of rawTemplates) expect(() => loadTemplate(structuredClone(r))).not.toThrow();
  });

  it.each(['model-post', 'excellence', 'three-lights'])('%s: phases in startDay order, dated and worded', (id) => {
    const t = loaded(id);
    expect(t.version).toBe(1);
    expect(t.nudgeDaysBefore).toEqual([3, 1]);
    expect(t.phases.length).toBeGreaterThan(0);
    const starts = t.phases.map((p) => p.startDay);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    for (const p of t.phases) {
      expect(PHASE_KINDS).toContain(p.kind);
      expect(p.days).toBeGreaterThanOrEqual(1);
      expect(p.task).toMatch(/[\u4e00-\u9fff]/);
      expect(p.title).toMatch(/[\u4e00-\u9fff]/);
      // A nudge 3 days before the deadline must fall inside the phase.
      if (p.respond) expect(p.days).toBeGreaterThan(Math.max(...t.nudgeDaysBefore));
    }
    expect(t.description).toMatch(/[\u4e00-\u9fff]/);
  });

  it('model-post: seed 001 standards, post kinds and timeline', () => {
    const t = loaded('model-post');
    expect(t.source).toBe('后集委发〔2010〕14号');
    expect(t.aliases).toEqual(expect.arrayContaining(['示范岗', '党员示范岗']));
    expect(t.postKinds).toEqual(['管理育人示范岗', '服务育人示范岗']);
    expect(t.criteria.member.map((c) => c.name)).toEqual(['政治思想先进', '工作业绩突出', '作风纪律过硬', '群众反映良好']);
    expect(t.phases.map((p) => [p.kind, p.respond])).toEqual([
      ['mobilize', null],
      ['create', null],
      ['declare', 'member'],
      ['review', 'leader'],
      ['commend', null],
      ['semester', 'member'],
    ]);
    const review = t.phases.find((p) => p.kind === 'review')!;
    expect(review.actors).toEqual(expect.arrayContaining(['committee', 'leader']));
  });

  it('model-post rubric: 17 scored items summing to 100, 3 bonus items, a veto with 3 conditions', () => {
    const r = loaded('model-post').rubric!;
    expect(r).not.toBeNull();
    expect(r.id).toBe('model-post-rubric');
    expect(r.version).toBe(1);
    expect(r.total).toBe(100);
    expect(r.step).toBe(0.5);
    expect(r.categories.map((c) => [c.name, c.stated])).toEqual([
      ['创建氛围浓', 10],
      ['人员素质高', 30],
      ['工作绩效优', 30],
      ['社会反响好', 30],
    ]);
    const items = r.categories.flatMap((c) => c.items);
    expect(items.map((i) => i.no)).toEqual(Array.from({ length: 17 }, (_, i) => i + 1));
    expect(items.map((i) => i.max)).toEqual([5, 2, 2, 2, 5, 6, 6, 6, 6, 8, 8, 6, 8, 5, 8, 2, 15]);
    expect(items.reduce((s, i) => s + i.max, 0)).toBe(100);
    for (const i of items) expect([...i.text].length).toBeLessThanOrEqual(60);
    expect(items.find((i) => i.no === 17)!.text).toContain('90%');
    expect(r.bonus.map((b) => b.no)).toEqual([18, 19, 20]);
    expect(r.veto.no).toBe(21);
    expect(r.veto.conditions).toHaveLength(3);
    // Stated subtotals agree with the total even though two categories' items do not.
    expect(r.categories.reduce((s, c) => s + c.stated, 0)).toBe(r.total);
  });

  it('model-post: warns exactly about the two subtotal mismatches, not about the total', () => {
    const { warnings } = loadTemplate(raw('model-post'));
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain('创建氛围浓');
    expect(warnings[0]).toContain('11');
    expect(warnings[0]).toContain('10');
    expect(warnings[1]).toContain('人员素质高');
    expect(warnings[1]).toContain('29');
    expect(warnings[1]).toContain('30');
    expect(warnings.some((w) => w.includes('总分'))).toBe(false);
    expect(templates.find((t) => t.template.id === 'model-post')!.warnings).toEqual(warnings);
  });

  it('excellence and three-lights load without warnings', () => {
    for (const id of ['excellence', 'three-lights']) {
      expect(templates.find((t) => t.template.id === id)!.warnings).toEqual([]);
    }
  });

  it('excellence: two yearly rounds over 2010-06-20 .. 2012-07, five goods and five leads', () => {
    const t = loaded('excellence');
    expect(t.rubric).toBeNull();
    expect(t.criteria.branch.map((c) => c.name)).toEqual(['领导班子好', '党员队伍好', '工作机制好', '工作业绩好', '师生员工反映好']);
    expect(t.criteria.member.map((c) => c.name)).toEqual(['带头学习提高', '带头争创佳绩', '带头服务师生员工', '带头遵纪守法', '带头弘扬正气']);
    expect(t.pledgeAreas).toEqual(['管理育人', '服务师生', '爱岗敬业', '为人师表', '关爱学生', '廉政勤政', '遵纪守法']);
    const kindsOf = (round: number) => t.phases.filter((p) => p.round === round).map((p) => p.kind);
    const expected = ['mobilize', 'pledge', 'create', 'review', 'review', 'commend'];
    expect(kindsOf(1)).toEqual(expected);
    expect(kindsOf(2)).toEqual(expected);
    expect(t.phases.every((p) => p.round === 1 || p.round === 2)).toBe(true);
    const day = (p: { startDay: number }) => new Date(Date.UTC(2010, 5, 20) + p.startDay * 86_400_000).toISOString().slice(0, 10);
    const commends = t.phases.filter((p) => p.kind === 'commend');
    // Each round's commendation spans 1 July (七一表彰).
    for (const [p, year] of [
      [commends[0]!, 2011],
      [commends[1]!, 2012],
    ] as const) {
      const july1 = (Date.UTC(year, 6, 1) - Date.UTC(2010, 5, 20)) / 86_400_000;
      expect(p.startDay).toBeLessThanOrEqual(july1);
      expect(p.startDay + p.days).toBeGreaterThan(july1);
    }
    expect(day(t.phases[0]!)).toBe('2010-07-01');
    const last = t.phases.at(-1)!;
    expect(day({ startDay: last.startDay + last.days - 1 }).startsWith('2012-07')).toBe(true);
    const leaderReviews = t.phases.filter((p) => p.kind === 'review' && p.respond === 'leader');
    expect(leaderReviews).toHaveLength(2);
    for (const p of leaderReviews) expect(p.actors).toContain('leader');
  });

  it('three-lights: semester campaign ending with a branch assessment by secretaries', () => {
    const t = loaded('three-lights');
    expect(t.rubric).toBeNull();
    expect(t.criteria.branch).toHaveLength(5);
    expect(t.criteria.member).toHaveLength(5);
    expect(t.phases.map((p) => [p.kind, p.title, p.respond])).toEqual([
      ['mobilize', expect.any(String), null],
      ['pledge', '亮承诺', 'member'],
      ['create', expect.stringContaining('比技能'), 'member'],
      ['review', '领导点评', 'leader'],
      ['review', '党员互评', 'member'],
      ['review', '师生评议', null],
      ['semester', '学期考核', 'secretary'],
    ]);
    expect(t.phases.find((p) => p.title === '师生评议')!.actors).toEqual(['respondent']);
    expect(t.phases.at(-1)!.task).toContain('五个好');
  });
});

describe('findTemplate', () => {
  it('finds by Chinese alias and by id, ids case-insensitively', () => {
    expect(findTemplate('示范岗')?.template.id).toBe('model-post');
    expect(findTemplate('党员示范岗')?.template.id).toBe('model-post');
    expect(findTemplate('excellence')?.template.id).toBe('excellence');
    expect(findTemplate('Excellence')?.template.id).toBe('excellence');
    expect(findTemplate('创先争优')?.template.id).toBe('excellence');
    expect(findTemplate('三亮三比三评')?.template.id).toBe('three-lights');
    expect(findTemplate('示范区')?.template.id).toBe('three-lights');
    expect(findTemplate(' 示范岗 ')?.template.id).toBe('model-post');
  });

  it('the registry refuses an alias that names two templates', () => {
    const copy = raw('three-lights');
    copy.aliases = ['三亮三比三评', '示范岗'];
    expect(() => registerTemplates([raw('model-post'), copy])).toThrow(TemplateError);
    expect(() => registerTemplates([raw('model-post'), copy])).toThrow(/templates\[1\]\.aliases\[1\]/);
  });

  it('returns undefined for unknown or empty names', () => {
    expect(findTemplate('示范')).toBeUndefined();
    expect(findTemplate('')).toBeUndefined();
    expect(findTemplate('   ')).toBeUndefined();
  });
});

describe('loadTemplate rejects broken copies, naming the path', () => {
  it('a phase of 0 days', () => {
    const t = raw('model-post');
    t.phases[2].days = 0;
    expectTemplateError(t, 'phases[2].days');
  });

  it('an unknown phase kind', () => {
    const t = raw('excellence');
    t.phases[1].kind = 'vote';
    expectTemplateError(t, 'phases[1].kind');
  });

  it('an unknown responder', () => {
    const t = raw('three-lights');
    t.phases[5].respond = 'respondent';
    expectTemplateError(t, 'phases[5].respond');
  });

  it('a duplicated rubric item number', () => {
    const t = raw('model-post');
    t.rubric.categories[1].items[0].no = 4;
    const err = expectTemplateError(t, 'rubric');
    expect(err.message).toContain('4');
  });

  it('a missing title', () => {
    const t = raw('model-post');
    delete t.title;
    expectTemplateError(t, 'title');
  });

  it('a missing rubric item text', () => {
    const t = raw('model-post');
    t.rubric.categories[3].items[3].text = '  ';
    expectTemplateError(t, 'rubric.categories[3].items[3].text');
  });

  it('phases out of order', () => {
    const t = raw('three-lights');
    [t.phases[0], t.phases[2]] = [t.phases[2], t.phases[0]];
    expectTemplateError(t, 'phases[1].startDay');
  });
});

describe('results formulas in templates', () => {
  it('every built-in template defines its titles, versioned', () => {
    expect(loaded('excellence').results).toMatchObject({ id: 'excellence-results', version: 1, publicityDays: 5 });
    expect(loaded('excellence').results!.titles.map((t) => t.name)).toEqual(['优秀共产党员', '先进党支部', '优秀党务工作者']);
    expect(loaded('model-post').results!.titles[0]).toMatchObject({ name: '党员示范岗', byPostKind: true, award: 'plaque' });
  });

  it('refuses a part that cannot be read for the title, an unknown source and a bad share', () => {
    const branchPeer = raw('excellence');
    branchPeer.results.titles[1].parts[0].source = 'peer-grades';
    expectTemplateError(branchPeer, 'results.titles[1].parts[0].source');
    const unknown = raw('excellence');
    unknown.results.titles[0].parts[0].source = 'gut-feeling';
    expectTemplateError(unknown, 'results.titles[0].parts[0].source');
    const share = raw('excellence');
    share.results.titles[0].quota.share = 1.5;
    expectTemplateError(share, 'results.titles[0].quota.share');
  });
});
