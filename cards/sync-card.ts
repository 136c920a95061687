// The /sync outcome: how the branch roster changed.
import type { CardModel } from './model.js';
import type { PendingPerson } from './roster-cards.js';
import { md } from './text.js';

export interface SyncSummary {
  branchName: string;
  added: string[];
  /** People of the imported list now found in the chat. */
  linked: string[];
  kept: number;
  left: string[];
  elsewhere: string[];
  total: number;
  /** Everyone of the branch still waiting for their 政治面貌 to be confirmed. */
  pending: PendingPerson[];
  /** The branch has a secretary, who was sent the confirmation card. */
  secretaryTold: boolean;
}

function names(list: string[], limit = 20): string {
  const shown = list.slice(0, limit).map(md).join('、');
  return list.length > limit ? `${shown} 等 ${list.length} 人` : shown;
}

export function syncResultCard(s: SyncSummary): CardModel {
  const lines = [`**${s.branchName}** 名册已与本群成员同步，现有 **${s.total}** 人。`];
  lines.push(`新增 ${s.added.length} 人${s.added.length ? `：${names(s.added)}` : ''}`);
  if (s.linked.length) lines.push(`与导入名册对应 ${s.linked.length} 人：${names(s.linked)}`);
  lines.push(`保持 ${s.kept} 人`);
  if (s.left.length) lines.push(`已不在群内，移出名册 ${s.left.length} 人：${names(s.left)}`);
  if (s.pending.length) {
    const who = s.secretaryTold ? '确认卡片已私信发送给本支部书记' : '本支部尚未设置书记，请管理员设置后由书记发送 /名册 确认';
    lines.push(`**待确认政治面貌 ${s.pending.length} 人**：${names(s.pending.map((p) => p.name))}（${who}；确认前不进入活动名册）`);
  }
  if (s.elsewhere.length) {
    lines.push(`属于其他支部、未调整 ${s.elsewhere.length} 人：${names(s.elsewhere)}`);
  }
  return {
    title: '成员同步完成',
    tone: s.pending.length ? 'orange' : 'green',
    blocks: [
      { type: 'markdown', text: lines.join('\n') },
      { type: 'note', text: '党委委员不会被并入支部名册。设置身份：/角色 @某人 书记|委员|党员' },
    ],
  };
}
