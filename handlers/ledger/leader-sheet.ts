// 领导点评: each committee member's review of a branch they link, with grades per criterion (五个好).
import { and, asc, eq, inArray } from 'drizzle-orm';
import { leaderReviews, members } from '../../db/schema.js';
import type { SheetSpec } from './sheet.js';

export const leaderSheet: SheetSpec = {
  name: '领导点评',
  columns: [
    { header: '支部', width: 22 },
    { header: '点评委员', width: 12 },
    { header: '阶段', width: 18 },
    { header: '评定', width: 40 },
    { header: '主要成绩', width: 36 },
    { header: '存在问题', width: 36 },
    { header: '努力方向', width: 36 },
    { header: '版本', width: 6 },
    { header: '更新时间', width: 18 },
  ],
  async *rows(src) {
    const phaseIds = src.phases.map((p) => p.id);
    if (!src.branchIds.length || !phaseIds.length) return;
    const criteria = new Map(src.campaign.template.criteria.branch.map((c) => [c.id, c.name]));
    const rows = await src.db
      .select({ r: leaderReviews, leader: members.name })
      .from(leaderReviews)
      .innerJoin(members, eq(members.id, leaderReviews.leaderId))
      .where(and(inArray(leaderReviews.phaseId, phaseIds), inArray(leaderReviews.branchId, src.branchIds)))
      .orderBy(asc(leaderReviews.branchId), asc(leaderReviews.phaseId), asc(leaderReviews.leaderId));
    for (const { r, leader } of rows) {
      const grades = Object.entries(r.grades)
        .map(([id, grade]) => `${criteria.get(id) ?? id}：${grade}`)
        .join('；');
      yield [src.branchName(r.branchId), leader, src.phaseTitle(r.phaseId), grades, r.strengths, r.problems, r.direction, r.revision, src.time(r.updatedAt)];
    }
  },
};
