// Self-assessment (自评) and second-scoring (考核打分) form pages: one card per rubric category, then bonus + veto.
import { BONUS_CAP, EXTRA_PAGE, formatScore, largeGap, rubricPages, categorySum, type AnswerSet, type AssessPage } from '../bot/campaign/rubric.js';
import type { Rubric } from '../bot/campaign/template.js';
import type { Block, Button, CardModel, FormBlock, FormField } from './model.js';
import { formErrors, tone } from './text.js';
import { assessField, NOTE_MAX } from '../handlers/assess/fields.js';

export const ASSESS_ACTIONS = {
  /** Open (resume) an assessment: args p (phase), m (member, when a reviewer scores them). */
  open: { id: 'assess.open', v: 1 },
  /** Save one page: args p, pg (page id), m. */
  page: { id: 'assess.page', v: 1 },
  /** Show one page, or pg=summary, without saving. */
  goto: { id: 'assess.goto', v: 1 },
  /** Final submit: args p, m. */
  submit: { id: 'assess.submit', v: 1 },
  /** Page through the applicants a reviewer may score: args p, page. */
  reviews: { id: 'assess.reviews', v: 1 },
  /** Submit a criteria self-check (五个好): args p, b. */
  check: { id: 'assess.check', v: 1 },
} as const;

export const SUMMARY_PAGE = 'summary';
export { NOTE_MAX };

export interface AssessPhaseView {
  id: number;
  campaignTitle: string;
  phaseTitle: string;
  closes: string;
}

/** Who is scored when a reviewer scores; absent for a self-assessment. */
export interface SubjectView {
  memberId: number;
  name: string;
  branch: string;
}

export interface AssessCardContext {
  phase: AssessPhaseView;
  rubric: Rubric;
  postKind: string | null;
  subject: SubjectView | null;
  pagesDone: string[];
  /** The post survey's result in a line, shown under the item that asks for a satisfaction rate. */
  satisfaction?: string | null;
}

/** What a form held, by field name, as typed (possibly invalid). */
export type FormValues = Record<string, string>;

export function assessArgs(c: Pick<AssessCardContext, 'phase' | 'subject'>, extra: Record<string, string> = {}): Record<string, string> {
  return { p: String(c.phase.id), ...(c.subject ? { m: String(c.subject.memberId) } : {}), ...extra };
}

function progressBar(pages: AssessPage[], done: string[], current: string): string {
  return pages.map((p) => (p.id === current ? '◆' : done.includes(p.id) ? '■' : '□')).join('');
}

function headerBlock(c: AssessCardContext, page: AssessPage, index: number, pages: AssessPage[]): Block {
  const kind = page.category ? `第${index + 1}/${pages.length - 1}类 ${page.title}` : page.title;
  const lines = [
    `**第 ${index + 1}/${pages.length} 页 · ${kind}**　${progressBar(pages, c.pagesDone, page.id)}　已保存 ${c.pagesDone.length}/${pages.length} 页`,
  ];
  if (c.subject) lines.push(`申报人：**${c.subject.name}**（${c.subject.branch}）`);
  if (c.postKind) lines.push(`申报岗位：${c.postKind}`);
  return { type: 'markdown', text: lines.join('\n') };
}

function categoryIntro(c: AssessCardContext, page: AssessPage): Block[] {
  const cat = page.category!;
  const sum = categorySum(cat);
  const lines = [`本类共 ${cat.items.length} 项、${sum} 分。每项得分填 0 到该项满分之间、${formatScore(c.rubric.step)} 分的整数倍，合计由系统计算。`];
  if (sum !== cat.stated) lines.push(tone('orange', `原文标注本类 ${cat.stated} 分，与各项合计 ${sum} 分不一致，按各项分值计分。`));
  return [{ type: 'markdown', text: lines.join('\n') }];
}

function selfLine(self: AnswerSet, no: number, max: number, mine: AnswerSet | null): string {
  const s = self.items.get(no);
  if (!s) return '\n自评：未填写';
  const gap = largeGap(max, s.score, mine?.items.get(no)?.score) ? `　${tone('red', '⚠ 与您的评分相差较大')}` : '';
  return `\n自评：**${formatScore(s.score)}** 分${s.note ? `｜依据：${s.note}` : ''}${gap}`;
}

function categorySections(c: AssessCardContext, page: AssessPage, values: FormValues, self: AnswerSet | null, mine: AnswerSet | null) {
  return page.category!.items.map((it) => ({
    heading: `**第${it.no}项**（满分 ${formatScore(it.max)} 分）${it.text}${self ? selfLine(self, it.no, it.max, mine) : ''}${c.satisfaction && it.text.includes('满意') ? `\n${tone('grey', c.satisfaction)}` : ''}`,
    fields: [
      {
        kind: 'text',
        name: assessField.score(it.no),
        placeholder: `${c.subject ? '评分' : '得分'}（0–${formatScore(it.max)}）`,
        value: values[`score_${it.no}`],
        maxLength: 10,
      },
      {
        kind: 'text',
        name: assessField.note(it.no),
        placeholder: c.subject ? `评分说明（选填，不超过 ${NOTE_MAX} 字）` : `依据或证明材料（选填，不超过 ${NOTE_MAX} 字）`,
        value: values[`note_${it.no}`],
        maxLength: NOTE_MAX,
      },
    ] satisfies FormField[],
  }));
}

const VETO_OPTIONS = {
  self: [
    { label: '否，不存在此情形', value: 'no' },
    { label: '是，存在此情形', value: 'yes' },
  ],
  review: [
    { label: '否，未发现此情形', value: 'no' },
    { label: '是，存在此情形（一票否决）', value: 'yes' },
  ],
};

function extraSections(c: AssessCardContext, values: FormValues, self: AnswerSet | null) {
  const r = c.rubric;
  const bonus = r.bonus.map((b) => {
    if (!self) {
      return {
        heading: `**第${b.no}项**（加分项）${b.text}`,
        fields: [
          {
            kind: 'text',
            name: assessField.claim(b.no),
            placeholder: `证明材料（申请加分时填写，不超过 ${NOTE_MAX} 字）`,
            value: values[`claim_${b.no}`],
            maxLength: NOTE_MAX,
          },
        ] satisfies FormField[],
      };
    }
    const claim = self.bonus.get(b.no)?.note;
    return {
      heading: `**第${b.no}项**（加分项）${b.text}\n申请人：${claim ? `已申请｜证明：${claim}` : '未申请'}`,
      fields: [
        {
          kind: 'text',
          name: assessField.bonus(b.no),
          placeholder: `认定加分（0–${BONUS_CAP}，不认可填 0 或留空）`,
          value: values[`bonus_${b.no}`],
          maxLength: 10,
        },
        {
          kind: 'text',
          name: assessField.bonusNote(b.no),
          placeholder: `认定说明（选填，不超过 ${NOTE_MAX} 字）`,
          value: values[`bonus_note_${b.no}`],
          maxLength: NOTE_MAX,
        },
      ] satisfies FormField[],
    };
  });
  const veto = r.veto.conditions.map((cond, i) => {
    const n = i + 1;
    const declared = self?.veto.get(n);
    return {
      heading: `${n === 1 ? `**第${r.veto.no}项 一票否决**：${r.veto.text}${self ? '请逐条判断：' : '请逐条如实声明（必答）：'}\n` : ''}${n}. ${cond}${self ? `\n申请人声明：${declared === undefined ? '未声明' : declared ? '**是**' : '否'}` : ''}`,
      fields: [
        {
          kind: 'select',
          name: assessField.veto(n),
          placeholder: '请选择',
          options: self ? VETO_OPTIONS.review : VETO_OPTIONS.self,
          value: values[`veto_${n}`],
        },
      ] satisfies FormField[],
    };
  });
  const intro = self
    ? '加分项由考核组认定后计分；一票否决任一条为“是”，结果即为一票否决。'
    : '**加分项**：如有下列情形，请填写证明材料申请加分，经考核组认定后才计分；不申请请留空。';
  return { intro, sections: [...bonus, ...veto] };
}

/** One page of the assessment form, filled with `values`; `self` (the submitted self-assessment) makes it a reviewer's page. */
export function assessPageCard(
  c: AssessCardContext,
  pageId: string,
  values: FormValues,
  errors: string[] = [],
  self: AnswerSet | null = null,
  mine: AnswerSet | null = null,
): CardModel {
  const pages = rubricPages(c.rubric);
  const index = Math.max(
    0,
    pages.findIndex((p) => p.id === pageId),
  );
  const page = pages[index]!;
  const last = index === pages.length - 1;
  const blocks: Block[] = [headerBlock(c, page, index, pages)];
  let sections: FormBlock['sections'];
  if (page.category) {
    blocks.push(...categoryIntro(c, page));
    sections = categorySections(c, page, values, self, mine);
  } else {
    const extra = extraSections(c, values, self);
    blocks.push({ type: 'markdown', text: extra.intro });
    sections = extra.sections;
  }
  blocks.push(...formErrors(errors, '保存'), {
    type: 'form',
    name: `assess_${page.id}`,
    sections,
    submit: { label: last ? '保存，查看汇总' : '保存，下一页', style: 'primary', action: { ...ASSESS_ACTIONS.page, args: assessArgs(c, { pg: page.id }) } },
  });
  blocks.push({
    type: 'note',
    text: c.subject
      ? `评分只有党委考核组可见，申请人看不到评分人。每页保存即存为草稿，${c.phase.closes} 前可修改。`
      : `每页保存即存为草稿，可随时发送 /自评 回来继续；${c.phase.closes} 截止。`,
  });
  return {
    title: c.subject ? `考核打分 · ${c.subject.name} · ${page.title}` : `自评打分 · ${page.title}`,
    subtitle: `${c.phase.campaignTitle} · ${c.phase.phaseTitle}`,
    tone: errors.length ? 'orange' : c.subject ? 'purple' : 'red',
    blocks,
  };
}

/** The answer button of declare and semester phase cards: it opens the form instead of a plain "done". */
export function assessAnswerButton(phase: { id: number; kind: string; respond: string | null }): Button | null {
  const action = { ...ASSESS_ACTIONS.open, args: { p: String(phase.id) } };
  if (phase.kind === 'declare') return { label: '申报并自评', style: 'primary', action };
  if (phase.kind === 'semester' && phase.respond === 'secretary') return { label: '填写支部自查', style: 'primary', action };
  if (phase.kind === 'semester' && phase.respond === 'member') return { label: '填写学期自评', style: 'primary', action };
  return null;
}

export { EXTRA_PAGE };
