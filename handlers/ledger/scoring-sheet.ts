// 考核打分: the committee's second scoring of each applicant. These are named committee scores,
// not peer ballots: who scored is part of the record.
import { and, asc, eq, inArray } from 'drizzle-orm';
import { assessmentSubmissions, assessments } from '../../db/schema.js';
import { yesNo } from './declare-sheet.js';
import type { SheetSpec } from './sheet.js';

export const scoringSheet: SheetSpec = {
  name: '考核打分',
  columns: [
    { header: '支部', width: 22 },
    { header: '申报人', width: 12 },
    { header: '阶段', width: 18 },
    { header: '评分人', width: 12 },
    { header: '版本', width: 6 },
    { header: '评分标准', width: 18 },
    { header: '总分', width: 8 },
    { header: '一票否决', width: 10 },
    { header: '提交时间', width: 18 },
  ],
  async *rows(src) {
    if (!src.branchIds.length) return;
    const rows = await src.db
      .select({ a: assessments, s: assessmentSubmissions })
      .from(assessmentSubmissions)
      .innerJoin(assessments, eq(assessments.id, assessmentSubmissions.assessmentId))
      .where(and(eq(assessments.campaignId, src.campaign.id), eq(assessments.rater, 'review'), inArray(assessments.branchId, src.branchIds)))
      .orderBy(asc(assessments.branchId), asc(assessments.memberId), asc(assessments.raterId), asc(assessmentSubmissions.revision));
    for (const { a, s } of rows) {
      yield [
        src.branchName(a.branchId),
        src.memberName(a.memberId),
        src.phaseTitle(a.phaseId),
        src.userName(a.raterId),
        s.revision,
        `${s.rubricId} v${s.rubricVersion}`,
        s.total,
        yesNo(s.vetoed),
        src.time(s.submittedAt),
      ];
    }
  },
};
