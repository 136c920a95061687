// Peer-review (党员互评) and leader-review (领导点评) cards: ballots, results, the leader's form.
import type { Block, CardModel, FormField } from './model.js';
import { formErrors, md } from './text.js';
import { ballotField, COMMENT_MAX, LEADER_TEXT_MAX, LEADER_TEXTS, leaderField } from '../handlers/review/fields.js';

export const REVIEW_ACTIONS = {
  open: { id: 'review.open', v: 1 },
  ballot: { id: 'review.ballot', v: 1 },
  leaderOpen: { id: 'review.leader.open', v: 1 },
  leaderSubmit: { id: 'review.leader', v: 1 },
} as const;

export const GRADE_LABELS = { excellent: '优秀', qualified: '合格', basic: '基本合格', unqualified: '不合格' } as const;
export type GradeKey = keyof typeof GRADE_LABELS;
export const BALLOT_PAGE_SIZE = 5;
export { COMMENT_MAX, LEADER_TEXT_MAX };

export interface RateeView {
  id: number;
  name: string;
  grade?: string;
  stars?: Array<string | undefined>;
  comment?: string;
}

export interface BallotView {
  roundId: number;
  branchName: string;
  criteria: string[];
  page: number;
  pages: number;
  ratees: RateeView[];
  /** Changing a submitted ballot: each page leads to the next, not back to the "done" card. */
  editing?: boolean;
}

const STAR_OPTIONS = [1, 2, 3, 4, 5].map((n) => ({ label: '★'.repeat(n), value: String(n) }));

export function ballotCard(b: BallotView, errors: string[] = []): CardModel {
  const gradeOptions = (Object.keys(GRADE_LABELS) as GradeKey[]).map((g) => ({ label: GRADE_LABELS[g], value: g }));
  const sections = b.ratees.map((r) => {
    const fields: FormField[] = [
      { kind: 'select', name: ballotField.grade(r.id), placeholder: '评定等次（必选）', options: gradeOptions, value: r.grade },
      ...b.criteria.map(
        (c, i): FormField => ({ kind: 'select', name: ballotField.star(i + 1, r.id), placeholder: `${c}（选填）`, options: STAR_OPTIONS, value: r.stars?.[i] }),
      ),
      {
        kind: 'text',
        name: ballotField.comment(r.id),
        placeholder: `意见建议（选填，匿名展示，不超过 ${COMMENT_MAX} 字）`,
        value: r.comment,
        maxLength: COMMENT_MAX,
      },
    ];
    return { heading: `**${md(r.name)}**`, fields };
  });
  const last = b.page === b.pages - 1;
  return {
    title: `党员互评 · ${b.branchName}`,
    subtitle: `第 ${b.page + 1}/${b.pages} 页`,
    sensitive: true,
    tone: errors.length ? 'orange' : 'purple',
    blocks: [
      { type: 'markdown', text: '评议为**匿名**：任何人（包括书记和管理员）都看不到您给谁打了什么分，只公布汇总结果。' },
      ...formErrors(errors),
      {
        type: 'form',
        name: 'ballot_form',
        sections,
        submit: {
          label: last ? '提交评议' : '保存并下一页',
          style: 'primary',
          action: { ...REVIEW_ACTIONS.ballot, args: { r: String(b.roundId), page: String(b.page), ...(b.editing ? { edit: '1' } : {}) } },
        },
      },
    ],
  };
}

export function ballotDoneCard(roundId: number, branchName: string, rated: number): CardModel {
  return {
    title: `党员互评已提交 · ${branchName}`,
    tone: 'green',
    blocks: [
      { type: 'markdown', text: `您已完成对 ${rated} 位同志的评议，谢谢！本轮结束前可以修改，修改后以最后一次为准。` },
      { type: 'actions', buttons: [{ label: '修改评议', action: { ...REVIEW_ACTIONS.open, args: { r: String(roundId), edit: '1' } } }] },
    ],
  };
}

export function ballotInviteCard(roundId: number, branchName: string, count: number, closes: string | null): CardModel {
  return {
    title: `请参加党员互评 · ${branchName}`,
    tone: 'purple',
    blocks: [
      { type: 'markdown', text: `本轮需要评议本支部 ${count} 位同志${closes ? `，${closes} 截止` : ''}。评议匿名，只公布汇总结果。` },
      { type: 'actions', buttons: [{ label: '开始评议', style: 'primary', action: { ...REVIEW_ACTIONS.open, args: { r: String(roundId) } } }] },
    ],
  };
}

export interface MemberResult {
  name: string;
  ballots: number;
  grades: Record<GradeKey, number>;
  stars: Array<number | null>;
  comments: string[];
}

function gradeLine(r: MemberResult): string {
  return (Object.keys(GRADE_LABELS) as GradeKey[]).map((g) => `${GRADE_LABELS[g]} ${r.grades[g]}`).join(' · ');
}

function starLine(criteria: string[], stars: Array<number | null>): string {
  return criteria
    .map((c, i) => (stars[i] === null || stars[i] === undefined ? null : `${c} ${stars[i]!.toFixed(1)}`))
    .filter(Boolean)
    .join('；');
}

export function resultsCard(branchName: string, criteria: string[], minBallots: number, voted: number, roster: number, results: MemberResult[]): CardModel {
  const shown = results.filter((r) => r.ballots >= minBallots);
  const lines = results.map((r) =>
    r.ballots >= minBallots
      ? `- **${md(r.name)}**（${r.ballots} 份）：${gradeLine(r)}${criteria.length ? `\n  ${starLine(criteria, r.stars)}` : ''}`
      : `- **${md(r.name)}**：评价不足 ${minBallots} 份，不显示结果`,
  );
  const totals = (Object.keys(GRADE_LABELS) as GradeKey[]).map((g) => ({ label: GRADE_LABELS[g], value: shown.reduce((s, r) => s + r.grades[g], 0) }));
  return {
    title: `党员互评结果 · ${branchName}`,
    subtitle: `参评 ${voted}/${roster} 人`,
    tone: 'purple',
    blocks: [
      { type: 'chart', title: '全支部等次分布', bars: totals },
      { type: 'markdown', text: lines.join('\n') || '没有结果。' },
      { type: 'note', text: '结果为匿名汇总，不含任何人的单张评议。' },
    ],
  };
}

export function myResultCard(branchName: string, criteria: string[], minBallots: number, r: MemberResult): CardModel {
  if (r.ballots < minBallots) {
    return {
      title: `我的互评结果 · ${branchName}`,
      tone: 'grey',
      blocks: [{ type: 'markdown', text: `本轮对您的评价不足 ${minBallots} 份，为保护评议人匿名，不显示结果。` }],
    };
  }
  const blocks: Block[] = [
    { type: 'chart', title: '等次分布', bars: (Object.keys(GRADE_LABELS) as GradeKey[]).map((g) => ({ label: GRADE_LABELS[g], value: r.grades[g] })) },
    { type: 'markdown', text: `共 ${r.ballots} 份评价：${gradeLine(r)}` },
  ];
  if (criteria.length) blocks.push({ type: 'markdown', text: `五带头平均星级：${starLine(criteria, r.stars) || '无'}` });
  if (r.comments.length) blocks.push({ type: 'markdown', text: `**意见建议（匿名，顺序已打乱）**\n${r.comments.map((c) => `- ${md(c)}`).join('\n')}` });
  return { title: `我的互评结果 · ${branchName}`, tone: 'purple', blocks };
}

export function branchSummaryCard(branchName: string, voted: number, roster: number, totals: Record<GradeKey, number>): CardModel {
  if (voted === 0) {
    // Nobody voted: no results went out, and an empty chart says nothing.
    return {
      title: `党员互评结束 · ${branchName}`,
      tone: 'grey',
      blocks: [{ type: 'markdown', text: `参评 **0/${roster}** 人：本轮没有同志提交评议，没有评议结果。` }],
    };
  }
  return {
    title: `党员互评结束 · ${branchName}`,
    tone: 'green',
    blocks: [
      { type: 'markdown', text: `参评 **${voted}/${roster}** 人。各位同志的个人结果已私信发送。` },
      { type: 'chart', title: '全支部等次分布', bars: (Object.keys(GRADE_LABELS) as GradeKey[]).map((g) => ({ label: GRADE_LABELS[g], value: totals[g] })) },
    ],
  };
}

export const BRANCH_GRADES = { good: '好', fair: '较好', average: '一般', poor: '差' } as const;

export interface LeaderReviewDraft {
  grades: Record<string, string | undefined>;
  strengths?: string;
  problems?: string;
  direction?: string;
}

export function leaderReviewFormCard(
  c: { phaseId: number; phaseTitle: string; branchId: number; branchName: string; criteria: Array<{ id: string; name: string }> },
  draft: LeaderReviewDraft,
  errors: string[] = [],
): CardModel {
  const options = (Object.keys(BRANCH_GRADES) as Array<keyof typeof BRANCH_GRADES>).map((g) => ({ label: BRANCH_GRADES[g], value: g }));
  return {
    title: `领导点评 · ${c.branchName}`,
    subtitle: c.phaseTitle,
    tone: errors.length ? 'orange' : 'red',
    blocks: [
      { type: 'markdown', text: '请对照“五个好”逐项评价，并写明优点、问题和努力方向。点评将发给支部书记并记入台账。' },
      ...formErrors(errors),
      {
        type: 'form',
        name: 'leader_review_form',
        sections: [
          {
            heading: '**五个好**',
            fields: c.criteria.map(
              (cr): FormField => ({ kind: 'select', name: leaderField.grade(cr.id), placeholder: cr.name, options, value: draft.grades[cr.id] }),
            ),
          },
          {
            heading: '**点评意见**（均必填）',
            fields: [
              ...LEADER_TEXTS.map((t): FormField => ({ kind: 'text', name: t.name, placeholder: t.label, value: draft[t.name], maxLength: LEADER_TEXT_MAX })),
            ],
          },
        ],
        submit: { label: '提交点评', style: 'primary', action: { ...REVIEW_ACTIONS.leaderSubmit, args: { p: String(c.phaseId), b: String(c.branchId) } } },
      },
    ],
  };
}

export function leaderReviewCard(
  c: { leaderName: string; branchName: string; phaseTitle: string; criteria: Array<{ id: string; name: string }> },
  review: { grades: Record<string, string>; strengths: string; problems: string; direction: string },
  editable?: { phaseId: number; branchId: number },
): CardModel {
  const grades = c.criteria.map((cr) => `${cr.name}：${BRANCH_GRADES[review.grades[cr.id] as keyof typeof BRANCH_GRADES] ?? '—'}`).join('；');
  return {
    title: `领导点评 · ${c.branchName}`,
    subtitle: `${c.phaseTitle} · ${c.leaderName}`,
    tone: 'red',
    blocks: [
      { type: 'markdown', text: grades },
      {
        type: 'fields',
        fields: [
          { label: '主要优点', value: md(review.strengths) },
          { label: '存在问题', value: md(review.problems) },
          { label: '努力方向', value: md(review.direction) },
        ],
      },
      ...(editable
        ? [
            {
              type: 'actions' as const,
              buttons: [{ label: '修改点评', action: { ...REVIEW_ACTIONS.leaderOpen, args: { p: String(editable.phaseId), b: String(editable.branchId) } } }],
            },
          ]
        : []),
    ],
  };
}
