// 名册: the campaign's frozen roster, with later amendments (removed people stay, marked) and who
// was excused (请假 / 免评) from what, revoked ones marked.
import { and, asc, eq, inArray, isNull, or } from 'drizzle-orm';
import { campaignRoster, memberExemptions, members } from '../../db/schema.js';
import { STATUS_LABELS } from '../../bot/political-status.js';
import type { SheetSpec } from './sheet.js';

export const ROLE_LABELS: Record<string, string> = { member: '党员', secretary: '支部书记', leader: '党委委员' };

export const rosterSheet: SheetSpec = {
  name: '名册',
  columns: [
    { header: '支部', width: 22 },
    { header: '姓名', width: 12 },
    { header: '角色', width: 18 },
    { header: '政治面貌', width: 12 },
    { header: '工号', width: 12 },
    { header: '职务', width: 16 },
    { header: '入党日期', width: 12 },
    { header: '加入名册', width: 18 },
    { header: '名册状态', width: 24 },
    { header: '请假/免评', width: 40 },
  ],
  async *rows(src) {
    const inScope = src.whole
      ? or(isNull(campaignRoster.branchId), inArray(campaignRoster.branchId, src.branchIds.length ? src.branchIds : [-1]))
      : inArray(campaignRoster.branchId, src.branchIds);
    const rows = await src.db
      .select({
        memberId: campaignRoster.memberId,
        branchId: campaignRoster.branchId,
        name: members.name,
        role: campaignRoster.role,
        committee: campaignRoster.committee,
        status: members.politicalStatus,
        employeeNo: members.employeeNo,
        title: members.title,
        joined: members.joinedPartyOn,
        addedAt: campaignRoster.addedAt,
        removedAt: campaignRoster.removedAt,
      })
      .from(campaignRoster)
      .innerJoin(members, eq(members.id, campaignRoster.memberId))
      .where(and(eq(campaignRoster.campaignId, src.campaign.id), inScope))
      .orderBy(asc(campaignRoster.branchId), asc(members.id));
    const excused = new Map<number, string[]>();
    const exemptions = await src.db.select().from(memberExemptions).where(eq(memberExemptions.campaignId, src.campaign.id)).orderBy(asc(memberExemptions.id));
    for (const e of exemptions) {
      const when = e.phaseId ? src.phaseTitle(e.phaseId) : `${e.fromDate ?? ''} 至 ${e.toDate ?? ''}`;
      const line = `${e.kind === 'leave' ? '请假' : '免评'}（${when}）：${e.reason}${e.revokedAt ? '（已撤销）' : ''}`;
      excused.set(e.memberId, [...(excused.get(e.memberId) ?? []), line]);
    }
    for (const r of rows) {
      yield [
        src.branchName(r.branchId),
        r.name,
        r.committee && r.role !== 'leader' ? `${ROLE_LABELS[r.role] ?? r.role}、党委委员` : (ROLE_LABELS[r.role] ?? r.role),
        r.role === 'leader' ? '' : STATUS_LABELS[r.status],
        r.employeeNo ?? '',
        r.title ?? '',
        r.joined ?? '',
        src.time(r.addedAt),
        r.removedAt ? `已移出（${src.time(r.removedAt)}）` : '在册',
        (excused.get(r.memberId) ?? []).join('；'),
      ];
    }
  },
};
