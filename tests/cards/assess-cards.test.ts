// Assessment card JSON: snapshots of the whole Feishu rendering, and exact checks on field names, action
// values, limits (size, components) and the values a card comes back with.
import { describe, expect, it } from 'vitest';
import { emptyAnswers, rubricPages, type AnswerSet } from '../../bot/campaign/rubric.js';
import { findTemplate } from '../../bot/campaign/templates/index.js';
import { checkFormCard } from '../../cards/assess-admin-cards.js';
import { assessPageCard, type AssessCardContext } from '../../cards/assess-cards.js';
import { declareFormCard } from '../../cards/assess-declare-cards.js';
import { assessSummaryCard } from '../../cards/assess-summary-cards.js';
import { phaseOpenCard } from '../../cards/campaign-cards.js';
import { phaseAnswer, type PhaseState } from '../../bot/campaign/state.js';
import { defaultRegistry } from '../../handlers/index.js';
import { renderFeishuCard } from '../../bot/platforms/feishu/render.js';

type Json = Record<string, unknown>;
const template = findTemplate('示范岗')!.template;
const rubric = template.rubric!;
const phase = { id: 7, campaignTitle: '创建“党员示范岗”活动', phaseTitle: '申报与自评打分', closes: '2027-05-18 00:00' };
const selfCtx: AssessCardContext = { phase, rubric, postKind: '服务育人示范岗', subject: null, pagesDone: [] };
const reviewCtx: AssessCardContext = { ...selfCtx, subject: { memberId: 3, name: '张三', branch: '后勤第一党支部' } };

function formOf(card: Json): Json {
  return (card.body as { elements: Json[] }).elements.find((e) => e.tag === 'form')!;
}
function names(card: Json): unknown[] {
  return (formOf(card).elements as Json[]).filter((e) => e.name).map((e) => e.name);
}
function submitValue(card: Json): unknown {
  return ((formOf(card).elements as Json[]).at(-1)!.behaviors as Json[])[0]!.value;
}
/** Every tagged element of the card, nested ones included. */
function components(node: unknown): number {
  if (Array.isArray(node)) return node.reduce((n: number, x) => n + components(x), 0);
  if (node && typeof node === 'object') {
    const o = node as Json;
    return (typeof o.tag === 'string' ? 1 : 0) + Object.values(o).reduce((n: number, v) => n + components(v), 0);
  }
  return 0;
}

function selfAnswers(): AnswerSet {
  const a = emptyAnswers();
  for (const c of rubric.categories) for (const it of c.items) a.items.set(it.no, { score: it.max, note: `第${it.no}项依据` });
  a.bonus.set(18, { points: null, note: '市级先进集体' });
  rubric.veto.conditions.forEach((_, i) => a.veto.set(i + 1, false));
  return a;
}

describe('self-assessment pages', () => {
  it('render as snapshots (a category page and the bonus + veto page)', () => {
    expect(renderFeishuCard(assessPageCard(selfCtx, 'quality', {}))).toMatchSnapshot();
    expect(
      renderFeishuCard(
        assessPageCard(
          {
            ...selfCtx,
            pagesDone: rubricPages(rubric)
              .slice(0, 4)
              .map((p) => p.id),
          },
          'extra',
          {},
        ),
      ),
    ).toMatchSnapshot();
  });

  it('name a score and an evidence field per item, and submit with the phase and page', () => {
    const quality = renderFeishuCard(assessPageCard(selfCtx, 'quality', {}));
    expect(names(quality)).toEqual(['score_5', 'note_5', 'score_6', 'note_6', 'score_7', 'note_7', 'score_8', 'note_8', 'score_9', 'note_9', 'submit']);
    expect(submitValue(quality)).toEqual({ p: '7', pg: 'quality', a: 'assess.page', v: 1 });
    expect((formOf(quality).elements as Json[]).at(-1)!.form_action_type).toBe('submit');
    const extra = renderFeishuCard(assessPageCard(selfCtx, 'extra', {}));
    expect(names(extra)).toEqual(['claim_18', 'claim_19', 'claim_20', 'veto_1', 'veto_2', 'veto_3', 'submit']);
    const veto = (formOf(extra).elements as Json[]).find((e) => e.name === 'veto_1')!;
    expect((veto.options as Json[]).map((o) => o.value)).toEqual(['no', 'yes']);
    expect(submitValue(extra)).toEqual({ p: '7', pg: 'extra', a: 'assess.page', v: 1 });
  });

  it('come back with what was typed and each problem named', () => {
    const again = renderFeishuCard(assessPageCard(selfCtx, 'quality', { score_6: '6.5', note_6: '骨干' }, ['第6项：最高 6 分，填写了 6.5 分。']));
    const elements = formOf(again).elements as Json[];
    expect(elements.find((e) => e.name === 'score_6')!.default_value).toBe('6.5');
    expect(elements.find((e) => e.name === 'note_6')!.default_value).toBe('骨干');
    expect(JSON.stringify(again)).toContain('- 第6项：最高 6 分，填写了 6.5 分。');
    expect((again.header as Json).template).toBe('orange');
    const extra = renderFeishuCard(assessPageCard(selfCtx, 'extra', { veto_2: 'yes' }));
    expect((formOf(extra).elements as Json[]).find((e) => e.name === 'veto_2')!.initial_option).toBe('yes');
  });

  it('stay well under 30 KB and 50 components per card, even when filled with long notes and errors', () => {
    const long = Object.fromEntries(rubric.categories.flatMap((c) => c.items.map((it) => [`note_${it.no}`, '依'.repeat(200)])));
    const errors = rubric.categories.flatMap((c) => c.items.map((it) => `第${it.no}项：最高 ${it.max} 分，填写了 99 分。`));
    for (const page of rubricPages(rubric)) {
      for (const self of [null, selfAnswers()]) {
        const ctx = self ? reviewCtx : selfCtx;
        const card = renderFeishuCard(assessPageCard(ctx, page.id, long, errors, self, self));
        expect(new TextEncoder().encode(JSON.stringify(card)).length).toBeLessThan(20 * 1024);
        expect(components(card)).toBeLessThan(50);
      }
    }
  });
});

describe('second-scoring pages', () => {
  it('show the self-score beside the reviewer’s field, flag a large gap, and carry the applicant', () => {
    const mine = selfAnswers();
    mine.items.set(6, { score: 3, note: '' });
    const card = renderFeishuCard(assessPageCard(reviewCtx, 'quality', { score_6: '3' }, [], selfAnswers(), mine));
    expect(card).toMatchSnapshot();
    const text = JSON.stringify(card);
    expect(text).toContain("自评：**6** 分｜依据：第6项依据　<font color='red'>⚠ 与您的评分相差较大</font>");
    expect(text).not.toContain('自评：**5** 分｜依据：第5项依据　<font');
    expect(submitValue(card)).toEqual({ p: '7', m: '3', pg: 'quality', a: 'assess.page', v: 1 });
    const extra = renderFeishuCard(assessPageCard(reviewCtx, 'extra', {}, [], selfAnswers(), null));
    expect(names(extra)).toEqual([
      'bonus_18',
      'bonus_note_18',
      'bonus_19',
      'bonus_note_19',
      'bonus_20',
      'bonus_note_20',
      'veto_1',
      'veto_2',
      'veto_3',
      'submit',
    ]);
    expect(JSON.stringify(extra)).toContain('申请人：已申请｜证明：市级先进集体');
  });
});

describe('the summary', () => {
  const done = { ...selfCtx, pagesDone: rubricPages(rubric).map((p) => p.id) };

  it('renders as a snapshot with the bot’s totals, the subtotal warning, the submit and edit buttons', () => {
    const card = renderFeishuCard(assessSummaryCard(done, selfAnswers(), null, { revision: 0, dirty: true, open: true }, 'summary'));
    expect(card).toMatchSnapshot();
    const text = JSON.stringify(card);
    expect(text).toContain('**自评总分：100/100 分**（加分项待认定，不计入）');
    expect(text).toContain('"value":{"p":"7","a":"assess.submit","v":1}');
    expect(text).toContain('"confirm":{"title":{"tag":"plain_text","content":"确认提交"}');
    for (const p of rubricPages(rubric)) expect(text).toContain(`"value":{"p":"7","pg":"${p.id}","a":"assess.goto","v":1}`);
  });

  it('offers no submit until every page is saved, and no buttons once closed', () => {
    const partial = JSON.stringify(
      renderFeishuCard(assessSummaryCard({ ...selfCtx, pagesDone: ['atmosphere'] }, selfAnswers(), null, { revision: 0, dirty: true, open: true }, 'summary')),
    );
    expect(partial).not.toContain('assess.submit');
    expect(partial).toContain('尚未填写：人员素质高、工作绩效优、社会反响好、加分项与一票否决');
    const closed = JSON.stringify(renderFeishuCard(assessSummaryCard(done, selfAnswers(), null, { revision: 1, dirty: false, open: false }, 'submitted')));
    expect(closed).not.toContain('"behaviors"');
    expect(closed).toContain('已提交第 1 版自评。已截止，不能再修改。');
  });
});

describe('declaration and self-check forms', () => {
  it('declaration: a post kind and a length-limited statement', () => {
    const card = renderFeishuCard(declareFormCard(phase, template.postKinds, {}));
    expect(names(card)).toEqual(['post_kind', 'statement', 'submit']);
    expect(submitValue(card)).toEqual({ p: '7', a: 'declare.submit', v: 1 });
    const elements = formOf(card).elements as Json[];
    expect((elements.find((e) => e.name === 'post_kind')!.options as Json[]).map((o) => o.value)).toEqual(['管理育人示范岗', '服务育人示范岗']);
    expect(elements.find((e) => e.name === 'statement')!.max_length).toBe(300);
  });

  it('branch self-check: a grade and a note per criterion', () => {
    const criteria = findTemplate('三亮三比三评')!.template.criteria.branch;
    const card = renderFeishuCard(checkFormCard(phase, { branchId: 1, label: '后勤第一党支部' }, criteria, {}));
    expect(names(card)).toEqual([...criteria.flatMap((c) => [`grade_${c.id}`, `note_${c.id}`]), 'submit']);
    expect(submitValue(card)).toEqual({ p: '7', b: '1', a: 'assess.check', v: 1 });
  });
});

describe('phase cards', () => {
  const base = { task: '任务', pledgePhaseId: null, scoresDeclarePhaseId: null, seq: 1, round: null, opensAt: new Date(0), closesAt: new Date(1) };
  it('open the declaration or self-assessment instead of a plain “done” (the button comes from the capability owning the answer)', () => {
    const cases = [
      [{ id: 7, kind: 'declare', title: '申报与自评打分', respond: 'member' as const }, '申报并自评'],
      [{ id: 8, kind: 'semester', title: '每学期考核', respond: 'member' as const }, '填写学期自评'],
      [{ id: 9, kind: 'semester', title: '学期考核', respond: 'secretary' as const }, '填写支部自查'],
    ] as const;
    for (const [p, label] of cases) {
      const phase = { ...base, ...p } as PhaseState;
      const button = defaultRegistry.engine!.phaseButton(phase, phaseAnswer(phase));
      const text = JSON.stringify(renderFeishuCard(phaseOpenCard({ title: 'c' }, phase, 'a', 'b', button)));
      expect(text).toContain(`"content":"${label}"`);
      expect(text).toContain(`"value":{"p":"${p.id}","a":"assess.open","v":1}`);
      expect(text).not.toContain('phase.done');
    }
  });
});
