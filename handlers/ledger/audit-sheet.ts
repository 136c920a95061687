// 审计日志: who changed what during the campaign (from its creation on), in the campaign's zone.
// A secretary sees the rows their branch's people made or that name their branch.
import { and, asc, eq, gte } from 'drizzle-orm';
import { auditLog, members } from '../../db/schema.js';
import type { SheetSpec } from './sheet.js';

const ACTIONS: Record<string, string> = {
  'campaign.new': '新建活动',
  'campaign.phase': '调整阶段',
  'campaign.dates': '调整日期',
  'campaign.blackout': '设置假期',
  'campaign.stop': '停止活动',
  'campaign.roster.add': '名册增补',
  'campaign.roster.remove': '名册移出',
  'branch.bind': '绑定支部',
  'branch.sync': '同步成员',
  'member.role': '设置角色',
  'review.start': '发起互评',
  'review.close': '结束互评',
  'declare.confirm': '确认申报名单',
  'declare.award': '授牌',
  'declare.revoke': '撤销授牌',
  'declare.skip': '本次不申报',
  'post.revoke': '撤销示范岗',
  'semester.set': '设置学期',
  'pledge.check': '核实践诺',
  'exemption.leave': '请假',
  'exemption.exempt': '免评',
  'exemption.revoke': '撤销请假/免评',
  'pledge.public.on': '公开承诺',
  'pledge.public.off': '取消公开承诺',
  'commend.nominate': '提名',
  'commend.withdraw': '撤回提名',
  'commend.voting': '发起表决',
  'commend.publicity': '进入公示',
  'commend.confirm': '确认表彰名单',
  'ledger.export': '导出台账',
};

export const auditSheet: SheetSpec = {
  name: '审计日志',
  columns: [
    { header: '时间', width: 18 },
    { header: '操作人', width: 12 },
    { header: '操作', width: 14 },
    { header: '对象', width: 24 },
    { header: '详情', width: 60 },
  ],
  async *rows(src) {
    const c = src.campaign;
    let own: { ids: Set<string>; names: Set<string> } | null = null;
    if (!src.whole) {
      const people = src.branchIds.length
        ? await src.db
            .select({ userId: members.userId, branchId: members.branchId })
            .from(members)
            .where(and(eq(members.platform, c.platform), eq(members.tenantKey, c.tenantKey)))
        : [];
      own = {
        ids: new Set(people.filter((p) => p.branchId !== null && src.branchIds.includes(p.branchId)).map((p) => p.userId)),
        names: new Set(src.branchIds.map((id) => src.branchName(id))),
      };
    }
    const mine = (row: { actorId: string; target: string; detail: Record<string, unknown> | null }): boolean => {
      // Another campaign's own rows (targets "#<id>…") belong to its ledger.
      if (/^#\d+/.test(row.target) && !new RegExp(`^#${c.id}(?!\\d)`).test(row.target)) return false;
      if (!own) return true;
      if (own.ids.has(row.actorId)) return true;
      if (src.branchIds.some((id) => row.target === `branch:${id}` || row.target.endsWith(`/branch:${id}`))) return true;
      return own.names.has(row.target) || (typeof row.detail?.branch === 'string' && own.names.has(row.detail.branch));
    };
    for (let offset = 0; ; offset += 2_000) {
      const page = await src.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.platform, c.platform), eq(auditLog.tenantKey, c.tenantKey), gte(auditLog.at, c.createdAt)))
        .orderBy(asc(auditLog.at), asc(auditLog.id))
        .limit(2_000)
        .offset(offset);
      for (const row of page) {
        if (!mine(row)) continue;
        yield [src.time(row.at), src.userName(row.actorId), ACTIONS[row.action] ?? row.action, row.target, row.detail ? JSON.stringify(row.detail) : ''];
      }
      if (page.length < 2_000) return;
    }
  },
};
