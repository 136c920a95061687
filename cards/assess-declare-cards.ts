// Declaration cards (申报, "一人一报"): the form, the submitted declaration, the branch list and the committee's copy.
import { ASSESS_ACTIONS, type AssessPhaseView, type FormValues } from './assess-cards.js';
import type { Block, CardModel } from './model.js';
import { formErrors, tone } from './text.js';
import { declareField, STATEMENT_MAX } from '../handlers/assess/fields.js';

export const DECLARE_ACTIONS = {
  submit: { id: 'declare.submit', v: 1 },
  edit: { id: 'declare.edit', v: 1 },
  /** 本次不申报: the member answers the phase without applying. */
  skip: { id: 'declare.skip', v: 1 },
  /** The secretary confirms the branch list shown: args p, b, h (a digest of the list shown). */
  confirm: { id: 'declare.confirm', v: 1 },
} as const;

export { STATEMENT_MAX };

export function declareFormCard(phase: AssessPhaseView, postKinds: string[], values: FormValues, errors: string[] = []): CardModel {
  return {
    title: '岗位申报（一人一报）',
    subtitle: `${phase.campaignTitle} · ${phase.phaseTitle}`,
    tone: errors.length ? 'orange' : 'red',
    blocks: [
      {
        type: 'markdown',
        text: `请选择申报的岗位类别，并简要写明申报理由（岗位职责、主要业绩等，不超过 ${STATEMENT_MAX} 字）。提交后请对照考核细则自评打分；${phase.closes} 截止，截止前可修改。`,
      },
      ...formErrors(errors),
      {
        type: 'form',
        name: 'declare_form',
        sections: [
          {
            heading: '**申报岗位**（必选）',
            fields: [
              {
                kind: 'select',
                name: declareField.postKind,
                placeholder: '选择岗位类别',
                options: postKinds.map((k) => ({ label: k, value: k })),
                value: values.post_kind,
              },
            ],
          },
          {
            heading: '**申报说明**（必填）',
            fields: [
              {
                kind: 'text',
                name: declareField.statement,
                placeholder: `申报理由（不超过 ${STATEMENT_MAX} 字）`,
                value: values.statement,
                maxLength: STATEMENT_MAX,
              },
            ],
          },
        ],
        submit: { label: '提交申报', style: 'primary', action: { ...DECLARE_ACTIONS.submit, args: { p: String(phase.id) } } },
      },
      {
        type: 'actions',
        buttons: [
          {
            label: '本次不申报',
            action: { ...DECLARE_ACTIONS.skip, args: { p: String(phase.id) } },
            confirm: { title: '本次不申报', text: '确定本次不申报示范岗吗？截止前仍可改为申报。' },
          },
        ],
      },
    ],
  };
}

/** The answer of a member who does not apply this time: no longer reminded, and free to apply until the deadline. */
export function declareSkippedCard(phase: AssessPhaseView, open: boolean): CardModel {
  return {
    title: '已登记：本次不申报',
    subtitle: `${phase.campaignTitle} · ${phase.phaseTitle}`,
    tone: 'grey',
    blocks: [
      {
        type: 'markdown',
        text: open ? `您本次不申报示范岗，不会再收到申报提醒。${phase.closes} 前如改变主意，仍可申报。` : '您本次没有申报示范岗。申报已截止。',
      },
      ...(open ? [{ type: 'actions' as const, buttons: [{ label: '改为申报', action: { ...DECLARE_ACTIONS.edit, args: { p: String(phase.id) } } }] }] : []),
    ],
  };
}

export interface DeclarationView {
  postKind: string;
  statement: string;
  revision: number;
}

export function declareSubmittedCard(phase: AssessPhaseView, d: DeclarationView, assessState: string, open: boolean): CardModel {
  const args = { p: String(phase.id) };
  return {
    title: `申报已提交：${d.postKind}`,
    subtitle: `${phase.campaignTitle} · ${phase.phaseTitle}`,
    tone: 'green',
    blocks: [
      { type: 'markdown', text: `**申报说明**\n${d.statement}` },
      { type: 'fields', fields: [{ label: '对照细则自评', value: assessState }] },
      ...(open
        ? [
            {
              type: 'actions' as const,
              buttons: [
                { label: '自评打分', style: 'primary' as const, action: { ...ASSESS_ACTIONS.open, args } },
                { label: '修改申报', action: { ...DECLARE_ACTIONS.edit, args } },
              ],
            },
          ]
        : []),
      { type: 'note', text: open ? `第 ${d.revision} 版。支部书记确认名单后报送集团党委；${phase.closes} 前可修改。` : `第 ${d.revision} 版。申报已截止。` },
    ],
  };
}

export interface ApplicantRow {
  name: string;
  postKind: string;
  statement: string;
  /** e.g. 自评已提交 85 分 / 自评草稿 2/5 页 / 未自评 */
  assess: string;
}

export interface ListConfirmation {
  revision: number;
  at: string;
  by: string;
  /** The confirmed list is the current one. */
  current: boolean;
}

function applicantLines(rows: ApplicantRow[], withStatement: boolean): string {
  return rows.map((r, i) => `${i + 1}. **${r.name}**｜${r.postKind}｜${r.assess}${withStatement ? `\n   ${r.statement}` : ''}`).join('\n');
}

/** The secretary's view of the branch's applicants, with the button that sends the list to the committee. */
export function declareListCard(
  phase: AssessPhaseView,
  branch: { id: number; name: string },
  rows: ApplicantRow[],
  notDeclared: string[],
  confirmed: ListConfirmation | null,
  digest: string | null,
): CardModel {
  const blocks: Block[] = [
    { type: 'markdown', text: rows.length ? `已申报 **${rows.length}** 人：\n${applicantLines(rows, false)}` : '本支部还没有党员申报。' },
  ];
  if (notDeclared.length) blocks.push({ type: 'markdown', text: `未申报（${notDeclared.length} 人）：${notDeclared.join('、')}` });
  if (confirmed) {
    blocks.push({
      type: 'markdown',
      text: confirmed.current
        ? `已于 ${confirmed.at} 由 ${confirmed.by} 确认第 ${confirmed.revision} 版名单并报送集团党委。`
        : tone('orange', `第 ${confirmed.revision} 版名单（${confirmed.at}）报送后申报有变化，请重新确认。`),
    });
  }
  if (digest && rows.length && !confirmed?.current) {
    blocks.push({
      type: 'actions',
      buttons: [
        {
          label: '确认名单并报送党委',
          style: 'primary',
          action: { ...DECLARE_ACTIONS.confirm, args: { p: String(phase.id), b: String(branch.id), h: digest } },
          confirm: { title: '确认申报名单', text: `确认将以上 ${rows.length} 人作为本支部参评人员报送集团党委？` },
        },
      ],
    });
  }
  blocks.push({ type: 'note', text: '名单确认后，申报人仍可在截止前修改申报；修改后需重新确认。' });
  return { title: `申报名单 · ${branch.name}`, subtitle: `${phase.campaignTitle} · ${phase.phaseTitle}`, tone: 'blue', blocks };
}

/** The copy of a confirmed list sent to the committee (bot admins). */
export function committeeListCard(
  phase: AssessPhaseView,
  branchName: string,
  c: { revision: number; at: string; by: string },
  rows: ApplicantRow[],
): CardModel {
  return {
    title: `参评名单报送：${branchName}`,
    subtitle: `${phase.campaignTitle} · ${phase.phaseTitle}`,
    tone: 'red',
    blocks: [
      { type: 'markdown', text: `${c.by} 于 ${c.at} 确认第 ${c.revision} 版名单，共 **${rows.length}** 人：\n${applicantLines(rows, true)}` },
      { type: 'note', text: '发送 /申报 名单 查看各支部报送情况；考核打分阶段发送 /自评 复评 为申报人评分。' },
    ],
  };
}

export interface BranchListView {
  branch: string;
  confirmation: ListConfirmation | null;
  rows: ApplicantRow[];
}

/** The committee's record: each branch's latest confirmed list. */
export function committeeOverviewCard(phase: AssessPhaseView, lists: BranchListView[]): CardModel {
  const sent = lists.filter((l) => l.confirmation);
  const lines = lists.map((l) =>
    l.confirmation
      ? `**${l.branch}**：第 ${l.confirmation.revision} 版，${l.confirmation.at} 由 ${l.confirmation.by} 报送${l.confirmation.current ? '' : '（之后有变化，待重新确认）'}\n${l.rows.map((r) => `${r.name}（${r.postKind}）`).join('、') || '（空）'}`
      : `**${l.branch}**：未报送`,
  );
  return {
    title: '各支部参评名单',
    subtitle: `${phase.campaignTitle} · ${phase.phaseTitle}`,
    tone: 'blue',
    blocks: [
      { type: 'markdown', text: `已报送 **${sent.length}/${lists.length}** 个支部，共 ${sent.reduce((s, l) => s + l.rows.length, 0)} 人。` },
      { type: 'markdown', text: lines.join('\n\n') || '暂无支部。' },
    ],
  };
}
