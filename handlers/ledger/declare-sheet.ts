// 申报与自评: each application for a model post (授牌 and 撤销 with its reason), and each submitted
// revision of the applicant's self-assessment (total, veto) — semester re-checks' included — as frozen at submission.
import { and, asc, eq, inArray } from 'drizzle-orm';
import { assessmentSubmissions, assessments, postDeclarations } from '../../db/schema.js';
import type { Cell, SheetSpec } from './sheet.js';

export const yesNo = (v: boolean): string => (v ? '是' : '否');

/** 授牌, and a later 撤销 with its reason. */
function awardCell(d: { awardedAt: Date | null; revokedAt: Date | null; revokeReason: string | null }, time: (at: Date) => string): string {
  if (!d.awardedAt) return '';
  const awarded = `已授牌（${time(d.awardedAt)}）`;
  return d.revokedAt ? `${awarded}；已撤销（${time(d.revokedAt)}）：${d.revokeReason ?? ''}` : awarded;
}

export const declareSheet: SheetSpec = {
  name: '申报与自评',
  columns: [
    { header: '支部', width: 22 },
    { header: '申报人', width: 12 },
    { header: '阶段', width: 18 },
    { header: '岗位类别', width: 18 },
    { header: '申报说明', width: 36 },
    { header: '申报版本', width: 8 },
    { header: '申报更新', width: 18 },
    { header: '授牌', width: 18 },
    { header: '自评版本', width: 8 },
    { header: '评分标准', width: 18 },
    { header: '自评总分', width: 10 },
    { header: '一票否决', width: 10 },
    { header: '自评提交时间', width: 18 },
  ],
  async *rows(src) {
    if (!src.branchIds.length) return;
    const declarations = await src.db
      .select()
      .from(postDeclarations)
      .where(and(eq(postDeclarations.campaignId, src.campaign.id), inArray(postDeclarations.branchId, src.branchIds)))
      .orderBy(asc(postDeclarations.branchId), asc(postDeclarations.memberId));
    const submissions = await src.db
      .select({ a: assessments, s: assessmentSubmissions })
      .from(assessmentSubmissions)
      .innerJoin(assessments, eq(assessments.id, assessmentSubmissions.assessmentId))
      .where(and(eq(assessments.campaignId, src.campaign.id), eq(assessments.rater, 'self'), inArray(assessments.branchId, src.branchIds)))
      .orderBy(asc(assessments.branchId), asc(assessments.memberId), asc(assessments.phaseId), asc(assessmentSubmissions.revision));
    const byMember = new Map<string, typeof submissions>();
    for (const row of submissions) {
      const key = `${row.a.memberId}`;
      if (!byMember.has(key)) byMember.set(key, []);
      byMember.get(key)!.push(row);
    }
    const declared = new Set<number>();
    const selfCells = (row: (typeof submissions)[number] | undefined): Cell[] =>
      row ? [row.s.revision, `${row.s.rubricId} v${row.s.rubricVersion}`, row.s.total, yesNo(row.s.vetoed), src.time(row.s.submittedAt)] : ['', '', '', '', ''];
    for (const d of declarations) {
      declared.add(d.memberId);
      // A semester re-check's self-assessment is listed under its own phase.
      const head = (phaseId: number): Cell[] => [
        src.branchName(d.branchId),
        src.memberName(d.memberId),
        src.phaseTitle(phaseId),
        d.postKind,
        d.statement,
        d.revision,
        src.time(d.updatedAt),
        awardCell(d, src.time),
      ];
      const own = byMember.get(`${d.memberId}`) ?? [];
      if (!own.length) yield [...head(d.phaseId), ...selfCells(undefined)];
      for (const row of own) yield [...head(row.a.phaseId), ...selfCells(row)];
    }
    // Self-assessments without a declaration (a semester re-check of a post held from before).
    for (const row of submissions) {
      if (declared.has(row.a.memberId)) continue;
      yield [src.branchName(row.a.branchId), src.memberName(row.a.memberId), src.phaseTitle(row.a.phaseId), '', '', '', '', '', ...selfCells(row)];
    }
  },
};
