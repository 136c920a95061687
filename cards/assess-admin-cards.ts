// Secretary's progress card, the reviewers' list of applicants, and the branch criteria self-check (五个好).
import type { Criterion } from '../bot/campaign/template.js';
import { ASSESS_ACTIONS, NOTE_MAX, type AssessPhaseView, type FormValues } from './assess-cards.js';
import type { Block, Button, CardModel } from './model.js';
import { formErrors } from './text.js';
import { checkField } from '../handlers/assess/fields.js';

export type AssessState = 'submitted' | 'draft' | 'none';

export interface AssessStatusRow {
  name: string;
  state: AssessState;
  /** e.g. 服务育人示范岗，自评 85 分 / 已填 2/5 页 / 未申报 */
  detail: string;
}

const STATE_LABELS: Record<AssessState, string> = { submitted: '已提交', draft: '草稿', none: '未开始' };

export function assessStatusCard(branch: string, phase: AssessPhaseView, rows: AssessStatusRow[], extra: string[]): CardModel {
  const groups = (['submitted', 'draft', 'none'] as const).map((s) => ({ s, rows: rows.filter((r) => r.state === s) }));
  return {
    title: `自评进度 · ${branch}`,
    subtitle: `${phase.campaignTitle} · ${phase.phaseTitle}`,
    tone: 'blue',
    blocks: [
      {
        type: 'markdown',
        text: `${groups.map((g) => `${STATE_LABELS[g.s]} **${g.rows.length}** 人`).join(' · ')}（共 ${rows.length} 人，${phase.closes} 截止）`,
      },
      {
        type: 'markdown',
        text:
          groups
            .filter((g) => g.rows.length)
            .map((g) => `**${STATE_LABELS[g.s]}**\n${g.rows.map((r) => `- ${r.name}${r.detail ? `（${r.detail}）` : ''}`).join('\n')}`)
            .join('\n') || '名单为空。',
      },
      ...extra.map((text): Block => ({ type: 'markdown', text })),
      { type: 'note', text: '截止前 3 天和 1 天，我会私信提醒尚未提交的同志。' },
    ],
  };
}

export interface ReviewEntry {
  memberId: number;
  name: string;
  branch: string;
  postKind: string;
  /** The self-assessment result: "85 分" or "一票否决". */
  self: string;
  /** What the committee has so far, never who: "2 人评分，平均 80 分". */
  aggregate: string;
  mine: AssessState;
  /** In a branch the reviewer links (联系点). */
  linked: boolean;
}

export const REVIEW_PAGE_SIZE = 10;

export function reviewListCard(phase: AssessPhaseView, windowTitle: string, entries: ReviewEntry[], page: number): CardModel {
  const pages = Math.max(1, Math.ceil(entries.length / REVIEW_PAGE_SIZE));
  const current = Math.min(Math.max(page, 0), pages - 1);
  const shown = entries.slice(current * REVIEW_PAGE_SIZE, (current + 1) * REVIEW_PAGE_SIZE);
  const done = entries.filter((e) => e.mine === 'submitted').length;
  const mineLabel = { submitted: '✔ 我已评', draft: '我的评分未提交', none: '我未评' } as const;
  const blocks: Block[] = [
    { type: 'markdown', text: `可评分的申报人 **${entries.length}** 人，我已评 **${done}** 人。` },
    {
      type: 'markdown',
      text:
        shown
          .map(
            (e, i) =>
              `${current * REVIEW_PAGE_SIZE + i + 1}. **${e.name}**（${e.branch}${e.linked ? '·联系点' : ''}）${e.postKind}\n   自评 ${e.self}｜${e.aggregate}｜${mineLabel[e.mine]}`,
          )
          .join('\n') || '暂无可评分的申报人：支部书记确认名单且申报人提交自评后才会出现在这里。',
    },
  ];
  const buttons: Button[] = shown.map((e) => ({
    label: `${e.mine === 'submitted' ? '修改' : '评分'}：${e.name}`,
    style: e.mine === 'submitted' ? 'default' : 'primary',
    action: { ...ASSESS_ACTIONS.open, args: { p: String(phase.id), m: String(e.memberId) } },
  }));
  if (buttons.length) blocks.push({ type: 'actions', buttons });
  if (pages > 1) {
    const nav = (p: number) => ({ ...ASSESS_ACTIONS.reviews, args: { p: String(phase.id), page: String(p) } });
    blocks.push({
      type: 'actions',
      buttons: [
        ...(current > 0 ? [{ label: '上一页', action: nav(current - 1) }] : []),
        ...(current < pages - 1 ? [{ label: '下一页', action: nav(current + 1) }] : []),
      ],
    });
    blocks.push({ type: 'note', text: `第 ${current + 1}/${pages} 页` });
  }
  blocks.push({ type: 'note', text: '评分只有党委考核组可见；申请人看不到评分人，也看不到单个评分。' });
  return { title: `考核打分 · ${windowTitle}`, subtitle: `${phase.campaignTitle} · 自评来自「${phase.phaseTitle}」`, tone: 'purple', blocks };
}

export const CHECK_GRADES = [
  { value: 'good', label: '好' },
  { value: 'fair', label: '较好' },
  { value: 'average', label: '一般' },
  { value: 'poor', label: '差' },
] as const;

export function gradeLabel(value: string): string {
  return CHECK_GRADES.find((g) => g.value === value)?.label ?? value;
}

export interface CheckOwnerView {
  branchId: number;
  label: string;
}

/** The branch's semester self-check: one grade and one note per criterion (五个好). */
export function checkFormCard(phase: AssessPhaseView, owner: CheckOwnerView, criteria: Criterion[], values: FormValues, errors: string[] = []): CardModel {
  return {
    title: `支部自查 · ${owner.label}`,
    subtitle: `${phase.campaignTitle} · ${phase.phaseTitle}`,
    tone: errors.length ? 'orange' : 'red',
    blocks: [
      { type: 'markdown', text: `请对照下列 ${criteria.length} 项标准，逐项评定本支部本学期的情况并写明依据；${phase.closes} 截止，截止前可修改。` },
      ...formErrors(errors, '保存'),
      {
        type: 'form',
        name: 'check_form',
        sections: criteria.map((c, i) => ({
          heading: `**${i + 1}. ${c.name}**${c.description ? `\n${c.description}` : ''}`,
          fields: [
            {
              kind: 'select' as const,
              name: checkField.grade(c.id),
              placeholder: '评定',
              options: CHECK_GRADES.map((g) => ({ label: g.label, value: g.value })),
              value: values[`grade_${c.id}`],
            },
            {
              kind: 'text' as const,
              name: checkField.note(c.id),
              placeholder: `完成情况与依据（必填，不超过 ${NOTE_MAX} 字）`,
              value: values[`note_${c.id}`],
              maxLength: NOTE_MAX,
            },
          ],
        })),
        submit: { label: '提交自查', style: 'primary', action: { ...ASSESS_ACTIONS.check, args: { p: String(phase.id), b: String(owner.branchId) } } },
      },
    ],
  };
}

export function checkSubmittedCard(
  phase: AssessPhaseView,
  owner: CheckOwnerView,
  answers: Array<{ name: string; grade: string; note: string }>,
  revision: number,
  open: boolean,
): CardModel {
  return {
    title: `支部自查已提交 · ${owner.label}`,
    subtitle: `${phase.campaignTitle} · ${phase.phaseTitle}`,
    tone: 'green',
    blocks: [
      { type: 'markdown', text: answers.map((a, i) => `${i + 1}. **${a.name}**：${gradeLabel(a.grade)}\n   ${a.note}`).join('\n') },
      ...(open
        ? [{ type: 'actions' as const, buttons: [{ label: '修改自查', action: { ...ASSESS_ACTIONS.open, args: { p: String(phase.id), edit: '1' } } }] }]
        : []),
      { type: 'note', text: open ? `第 ${revision} 版。${phase.closes} 前可修改。` : `第 ${revision} 版。已截止。` },
    ],
  };
}

/** Sent to each leader when second scoring opens: a button to the live list of applicants. */
export function reviewInviteCard(assessPhase: AssessPhaseView, windowTitle: string, closes: string): CardModel {
  return {
    title: `考核打分：${windowTitle}`,
    subtitle: assessPhase.campaignTitle,
    tone: 'purple',
    blocks: [
      {
        type: 'markdown',
        text: `请对照考核细则，为各支部报送的申报人逐项打分。您会看到申报人的自评分，差距较大的项会标出；${closes} 截止。`,
      },
      {
        type: 'actions',
        buttons: [{ label: '查看申报人并打分', style: 'primary', action: { ...ASSESS_ACTIONS.reviews, args: { p: String(assessPhase.id), page: '0' } } }],
      },
      { type: 'note', text: '也可发送 /自评 复评 查看，或在支部群中发送 /自评 复评 @某人。' },
    ],
  };
}
