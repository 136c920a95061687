// Roster cards: people /同步 brought in who wait for their 政治面貌 (待确认), with one-tap choices.
import { CONFIRMABLE, STATUS_LABELS } from '../bot/political-status.js';
import type { ActionRef, Block, CardModel } from './model.js';
import { md } from './text.js';

export const ROSTER_CONFIRM = { id: 'roster.confirm', v: 1 } as const;
export const ROSTER_CONFIRM_ALL = { id: 'roster.confirmAll', v: 1 } as const;

/** People shown with buttons on one card; the rest come on the next card once these are confirmed. */
export const PENDING_SHOWN = 10;

export interface PendingPerson {
  memberId: number;
  name: string;
}

const confirm = (memberId: number, status: string): ActionRef => ({ ...ROSTER_CONFIRM, args: { m: String(memberId), s: status } });

/** The 待确认 part of a card: each person with a button per 政治面貌; empty when nobody waits. */
export function pendingBlocks(branchId: number, pending: PendingPerson[]): Block[] {
  if (!pending.length) return [];
  const shown = pending.slice(0, PENDING_SHOWN);
  const blocks: Block[] = [
    {
      type: 'markdown',
      text: `**待确认政治面貌 ${pending.length} 人**：确认前不会进入承诺、互评等活动名册。请逐一选择：`,
    },
  ];
  for (const p of shown) {
    blocks.push({ type: 'markdown', text: md(p.name) });
    blocks.push({
      type: 'actions',
      buttons: CONFIRMABLE.map((s) => ({ label: STATUS_LABELS[s], action: confirm(p.memberId, s), style: s === 'full' ? 'primary' : 'default' })),
    });
  }
  blocks.push({
    type: 'actions',
    buttons: [
      {
        label: `以上 ${shown.length} 人均为正式党员`,
        action: { ...ROSTER_CONFIRM_ALL, args: { b: String(branchId), m: shown.map((p) => p.memberId).join(',') } },
        confirm: { title: '全部确认为正式党员', text: `确认 ${shown.map((p) => p.name).join('、')} 均为正式党员？` },
      },
    ],
  });
  if (pending.length > shown.length) blocks.push({ type: 'note', text: `还有 ${pending.length - shown.length} 人，确认以上人员后发送 /名册 待确认 继续。` });
  return blocks;
}

export function pendingCard(branchName: string, branchId: number, pending: PendingPerson[], done?: string): CardModel {
  const head = done ? `${done}\n` : '';
  return {
    title: `${branchName} 名册确认`,
    tone: pending.length ? 'orange' : 'green',
    blocks: pending.length
      ? [{ type: 'markdown', text: `${head}新加入本群的成员需由书记确认政治面貌。` }, ...pendingBlocks(branchId, pending)]
      : [{ type: 'markdown', text: `${head}本支部没有待确认的成员。` }],
  };
}

export function rosterImportCard(v: { scope: string; url: string; expires: string }): CardModel {
  return {
    title: '名册导入',
    tone: 'blue',
    blocks: [
      {
        type: 'markdown',
        text: `导入范围：**${md(v.scope)}**\n上传党委已有的名册（Excel .xlsx 或 CSV），列为：姓名、工号或手机、支部、政治面貌、入党日期、职务。上传后先预览变更，确认后一次性导入；任何一行有误都不会导入。`,
      },
      { type: 'links', links: [{ label: '打开名册导入页面', url: v.url }] },
      { type: 'note', text: `链接仅限本人使用，${v.expires} 前有效。` },
    ],
  };
}
