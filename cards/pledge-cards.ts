// Pledge cards (亮承诺 / 践诺): the form, the submitted pledge, the branch wall, progress reports.
import type { Block, CardModel, FormField } from './model.js';
import { formErrors, md } from './text.js';
import { NOTE_MAX, PLEDGE_SLOTS, PROMISE_MAX, pledgeField, progressField } from '../handlers/pledge/fields.js';

export const PLEDGE_ACTIONS = {
  open: { id: 'pledge.open', v: 1 },
  submit: { id: 'pledge.submit', v: 1 },
  edit: { id: 'pledge.edit', v: 1 },
  report: { id: 'pledge.report', v: 1 },
  progress: { id: 'pledge.progress', v: 1 },
  wallPage: { id: 'pledge.wall', v: 1 },
} as const;

export { NOTE_MAX, PLEDGE_SLOTS, PROMISE_MAX };

export interface PledgeItemView {
  area: string;
  promise: string;
  due: string;
}

/** What the form held: by slot, as typed (possibly invalid). */
export interface PledgeDraft {
  items: Array<Partial<PledgeItemView>>;
}

export interface PledgeOwnerView {
  /** 'member' pledges for oneself; 'branch' for the branch (secretary). */
  kind: 'member' | 'branch';
  branchId?: number;
  label: string;
}

interface PhaseView {
  id: number;
  campaignTitle: string;
  phaseTitle: string;
  closes: string;
}

function ownerArgs(phase: PhaseView, owner: PledgeOwnerView): Record<string, string> {
  return { p: String(phase.id), o: owner.kind, ...(owner.branchId ? { b: String(owner.branchId) } : {}) };
}

export function pledgeFormCard(phase: PhaseView, owner: PledgeOwnerView, areas: string[], draft: PledgeDraft, errors: string[] = []): CardModel {
  const sections = Array.from({ length: PLEDGE_SLOTS }, (_, i) => {
    const item = draft.items[i] ?? {};
    const n = i + 1;
    const fields: FormField[] = [
      { kind: 'select', name: pledgeField.area(n), placeholder: '选择承诺类别', options: areas.map((a) => ({ label: a, value: a })), value: item.area },
      { kind: 'text', name: pledgeField.promise(n), placeholder: `承诺内容（不超过 ${PROMISE_MAX} 字）`, value: item.promise, maxLength: PROMISE_MAX },
      { kind: 'date', name: pledgeField.due(n), placeholder: '计划完成日期', value: item.due },
    ];
    return { heading: `**第${n}项承诺**${n === 1 ? '（必填）' : '（选填）'}`, fields };
  });
  return {
    title: owner.kind === 'branch' ? `支部承诺：${owner.label}` : '亮承诺：填写我的承诺',
    subtitle: `${phase.campaignTitle} · ${phase.phaseTitle}`,
    tone: errors.length ? 'orange' : 'red',
    blocks: [
      {
        type: 'markdown',
        text: `请对照岗位职责，写下本年度的公开承诺。提交后将在支部群“承诺墙”公示，${phase.closes} 前可修改。`,
      },
      ...formErrors(errors),
      {
        type: 'form',
        name: 'pledge_form',
        sections,
        submit: { label: '提交承诺', style: 'primary', action: { ...PLEDGE_ACTIONS.submit, args: ownerArgs(phase, owner) } },
      },
    ],
  };
}

function itemLines(items: PledgeItemView[]): string {
  return items.map((it, i) => `${i + 1}. 【${md(it.area)}】${md(it.promise)}（计划 ${it.due} 前完成）`).join('\n');
}

export function pledgeSubmittedCard(phase: PhaseView, owner: PledgeOwnerView, items: PledgeItemView[], revision: number, editable: boolean): CardModel {
  return {
    title: owner.kind === 'branch' ? `支部承诺已提交：${owner.label}` : '我的承诺已提交',
    subtitle: `${phase.campaignTitle} · ${phase.phaseTitle}`,
    tone: 'green',
    blocks: [
      { type: 'markdown', text: itemLines(items) },
      {
        type: 'note',
        text: editable ? `第 ${revision} 版。已在支部承诺墙公示，${phase.closes} 前可修改。` : `第 ${revision} 版。承诺阶段已结束，不能再修改。`,
      },
      ...(editable ? [{ type: 'actions' as const, buttons: [{ label: '修改承诺', action: { ...PLEDGE_ACTIONS.edit, args: ownerArgs(phase, owner) } }] }] : []),
    ],
  };
}

export interface WallEntry {
  name: string;
  items: PledgeItemView[];
}

/** Entries of a wall page take at most two thirds of the platform's card size (the rest is frame and buttons). */
export const wallPageBytes = (cardBytes: number): number => Math.floor((cardBytes * 2) / 3);
/** Feishu's 30 KB card limit: the default page size. */
export const WALL_PAGE_BYTES = wallPageBytes(30_000);

function entryText(e: WallEntry): string {
  return `**${md(e.name)}**\n${itemLines(e.items)}`;
}

/** Splits wall entries into pages by their rendered size. */
export function paginateWall(entries: WallEntry[], maxBytes = WALL_PAGE_BYTES): WallEntry[][] {
  const pages: WallEntry[][] = [[]];
  let size = 0;
  for (const e of entries) {
    const bytes = new TextEncoder().encode(entryText(e)).length + 2;
    if (size + bytes > maxBytes && pages.at(-1)!.length > 0) {
      pages.push([]);
      size = 0;
    }
    pages.at(-1)!.push(e);
    size += bytes;
  }
  return pages;
}

export function pledgeWallCard(
  c: { phaseId: number; branchId: number; branchName: string; campaignTitle: string; phaseTitle: string },
  branchPledge: WallEntry | null,
  pages: WallEntry[][],
  page: number,
  counts: { pledged: number; expected: number },
): CardModel {
  const current = Math.min(Math.max(page, 0), pages.length - 1);
  const entries = pages[current] ?? [];
  const blocks: Block[] = [{ type: 'markdown', text: `已亮承诺 **${counts.pledged}/${counts.expected}** 人` }];
  if (branchPledge && current === 0) blocks.push({ type: 'markdown', text: `**支部承诺**\n${itemLines(branchPledge.items)}` }, { type: 'divider' });
  blocks.push({ type: 'markdown', text: entries.length ? entries.map(entryText).join('\n\n') : '还没有同志亮出承诺，快来第一个亮承诺吧！' });
  if (pages.length > 1) {
    const args = (p: number) => ({ p: String(c.phaseId), b: String(c.branchId), page: String(p) });
    blocks.push({
      type: 'actions',
      buttons: [
        ...(current > 0 ? [{ label: '上一页', action: { ...PLEDGE_ACTIONS.wallPage, args: args(current - 1) } }] : []),
        ...(current < pages.length - 1 ? [{ label: '下一页', action: { ...PLEDGE_ACTIONS.wallPage, args: args(current + 1) } }] : []),
      ],
    });
    blocks.push({ type: 'note', text: `第 ${current + 1}/${pages.length} 页` });
  }
  blocks.push({ type: 'note', text: '私信我发送 /承诺 填写或修改自己的承诺。' });
  return { title: `承诺墙 · ${c.branchName}`, subtitle: `${c.campaignTitle} · ${c.phaseTitle}`, tone: 'red', updatable: true, blocks };
}

export const PROGRESS_LABELS = { todo: '未开始', doing: '进行中', done: '已完成' } as const;
export type ProgressKey = keyof typeof PROGRESS_LABELS;

export interface ProgressDraft {
  status?: string;
  note?: string;
}

export function progressFormCard(phase: PhaseView, pledgeId: number, items: PledgeItemView[], draft: ProgressDraft[], errors: string[] = []): CardModel {
  const options = (Object.keys(PROGRESS_LABELS) as ProgressKey[]).map((k) => ({ label: PROGRESS_LABELS[k], value: k }));
  return {
    title: '践诺：报告承诺进度',
    subtitle: `${phase.campaignTitle} · ${phase.phaseTitle}`,
    tone: errors.length ? 'orange' : 'blue',
    blocks: [
      { type: 'markdown', text: `请逐项报告承诺的完成情况，${phase.closes} 前可修改。` },
      ...formErrors(errors),
      {
        type: 'form',
        name: 'progress_form',
        sections: items.map((it, i) => ({
          heading: `**第${i + 1}项**【${md(it.area)}】${md(it.promise)}`,
          fields: [
            { kind: 'select' as const, name: progressField.status(i + 1), placeholder: '完成情况', options, value: draft[i]?.status },
            {
              kind: 'text' as const,
              name: progressField.note(i + 1),
              placeholder: `进展说明（选填，不超过 ${NOTE_MAX} 字）`,
              value: draft[i]?.note,
              maxLength: NOTE_MAX,
            },
          ],
        })),
        submit: { label: '提交进度', style: 'primary', action: { ...PLEDGE_ACTIONS.progress, args: { p: String(phase.id), pl: String(pledgeId) } } },
      },
    ],
  };
}

export function progressSubmittedCard(
  phase: PhaseView,
  pledgeId: number,
  items: PledgeItemView[],
  report: Array<{ status: ProgressKey; note: string }>,
): CardModel {
  const lines = items.map((it, i) => {
    const r = report[i];
    return `${i + 1}. 【${md(it.area)}】${md(it.promise)}\n   ${r ? `**${PROGRESS_LABELS[r.status]}**${r.note ? `：${md(r.note)}` : ''}` : '未报告'}`;
  });
  return {
    title: '践诺进度已提交',
    subtitle: `${phase.campaignTitle} · ${phase.phaseTitle}`,
    tone: 'green',
    blocks: [
      { type: 'markdown', text: lines.join('\n') },
      { type: 'note', text: `支部书记会查看并核实。${phase.closes} 前可修改。` },
      { type: 'actions', buttons: [{ label: '修改进度', action: { ...PLEDGE_ACTIONS.report, args: { p: String(phase.id), pl: String(pledgeId) } } }] },
    ],
  };
}

export interface MemberPledgeStatus {
  name: string;
  pledged: boolean;
  items: Array<{ no: number; area: string; status: ProgressKey | null; checked: boolean; comment: string | null }>;
}

export function pledgeStatusCard(branchName: string, phaseTitle: string, checkTitle: string | null, rows: MemberPledgeStatus[]): CardModel {
  const pledged = rows.filter((r) => r.pledged).length;
  const lines = rows.map((r) => {
    if (!r.pledged) return `- ${md(r.name)}：**未承诺**`;
    const parts = r.items.map(
      (it) =>
        `${it.no}.${md(it.area)} ${it.status ? PROGRESS_LABELS[it.status] : '未报告'}${it.checked ? ' ✔已核实' : ''}${it.comment ? `（${md(it.comment)}）` : ''}`,
    );
    return `- ${md(r.name)}：${parts.join('；')}`;
  });
  return {
    title: `承诺进度 · ${branchName}`,
    subtitle: checkTitle ? `${phaseTitle} → ${checkTitle}` : phaseTitle,
    tone: 'blue',
    blocks: [
      { type: 'markdown', text: `已承诺 **${pledged}/${rows.length}** 人` },
      { type: 'markdown', text: lines.join('\n') || '名册为空。' },
      { type: 'note', text: '核实某项：/承诺 核实 @某人 <项号> <评语>' },
    ],
  };
}

/** The old wall message once a newer one is posted (a message can be updated only for so long). */
export function wallSupersededCard(title: string): CardModel {
  return {
    title,
    tone: 'grey',
    blocks: [{ type: 'markdown', text: '此承诺墙已停止更新，最新的承诺墙已重新发送到本群，请查看下方新消息。' }],
  };
}
