// 承诺与践诺: every item of every pledge (member and branch), with each progress report and the
// secretary's check of it; one row per item and report.
import { and, asc, eq, inArray } from 'drizzle-orm';
import { pledgeProgress, pledges } from '../../db/schema.js';
import type { Cell, SheetSpec } from './sheet.js';

const PROGRESS: Record<string, string> = { todo: '未开始', doing: '进行中', done: '已完成' };

export const pledgeSheet: SheetSpec = {
  name: '承诺与践诺',
  columns: [
    { header: '支部', width: 22 },
    { header: '承诺主体', width: 14 },
    { header: '承诺阶段', width: 18 },
    { header: '版本', width: 6 },
    { header: '序号', width: 6 },
    { header: '领域', width: 12 },
    { header: '承诺内容', width: 40 },
    { header: '完成时限', width: 12 },
    { header: '践诺阶段', width: 18 },
    { header: '进度', width: 8 },
    { header: '进度说明', width: 30 },
    { header: '报告时间', width: 18 },
    { header: '核实人', width: 10 },
    { header: '核实时间', width: 18 },
    { header: '核实意见', width: 24 },
  ],
  async *rows(src) {
    if (!src.branchIds.length) return;
    const rows = await src.db
      .select()
      .from(pledges)
      .where(and(eq(pledges.campaignId, src.campaign.id), inArray(pledges.branchId, src.branchIds)))
      .orderBy(asc(pledges.branchId), asc(pledges.kind), asc(pledges.id));
    for (let i = 0; i < rows.length; i += 500) {
      const page = rows.slice(i, i + 500);
      const progress = await src.db
        .select()
        .from(pledgeProgress)
        .where(
          inArray(
            pledgeProgress.pledgeId,
            page.map((p) => p.id),
          ),
        )
        .orderBy(asc(pledgeProgress.pledgeId), asc(pledgeProgress.itemNo), asc(pledgeProgress.reportedAt));
      const reports = new Map<string, typeof progress>();
      for (const p of progress) {
        const key = `${p.pledgeId}:${p.itemNo}`;
        if (!reports.has(key)) reports.set(key, []);
        reports.get(key)!.push(p);
      }
      for (const p of page) {
        const owner = p.kind === 'branch' ? `${src.branchName(p.branchId)}（支部）` : src.memberName(p.memberId);
        for (const [n, item] of p.items.entries()) {
          const head: Cell[] = [src.branchName(p.branchId), owner, src.phaseTitle(p.phaseId), p.revision, n + 1, item.area, item.promise, item.due];
          const list = reports.get(`${p.id}:${n + 1}`) ?? [];
          if (!list.length) yield [...head, '', '', '', '', '', '', ''];
          for (const r of list) {
            yield [
              ...head,
              src.phaseTitle(r.phaseId),
              PROGRESS[r.status] ?? r.status,
              r.note,
              src.time(r.reportedAt),
              r.checkedBy ? src.userName(r.checkedBy) : '',
              src.time(r.checkedAt),
              r.checkComment ?? '',
            ];
          }
        }
      }
    }
  },
};
