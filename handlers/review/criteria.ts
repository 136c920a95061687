// What reviews are measured against: the campaign template's criteria, else 五带头 / 五个好 (seeds 002, 003).
import type { CampaignTemplate } from '../../bot/campaign/template.js';

export const FIVE_LEADS = ['带头学习提高', '带头争创佳绩', '带头服务师生员工', '带头遵纪守法', '带头弘扬正气'];

export const FIVE_GOODS = [
  { id: 'leadership', name: '领导班子好' },
  { id: 'members', name: '党员队伍好' },
  { id: 'mechanism', name: '工作机制好' },
  { id: 'performance', name: '工作业绩好' },
  { id: 'feedback', name: '师生员工反映好' },
];

/** Star criteria of a peer review (a ballot has room for five). */
export function memberCriteria(template: CampaignTemplate | undefined): string[] {
  const own = template?.criteria.member.map((c) => c.name) ?? [];
  return (own.length ? own : FIVE_LEADS).slice(0, 5);
}

/** The 五个好 a leader grades a branch against. */
export function branchCriteria(template: CampaignTemplate): Array<{ id: string; name: string }> {
  const own = template.criteria.branch;
  return own.length ? own.map(({ id, name }) => ({ id, name })) : FIVE_GOODS;
}
