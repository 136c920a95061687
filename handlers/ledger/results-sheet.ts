// 结果与表彰: each title's ranking by the campaign's formula (as computed now, with missing parts named)
// and the committee's decisions on it (nominated, approved, rejected, awarded, withdrawn with reason).
import { eq, inArray } from 'drizzle-orm';
import { parseConfig } from '../../bot/config.js';
import { commendations, commendNominees } from '../../db/schema.js';
import { computeResults } from '../results/compute.js';
import type { SheetSpec } from './sheet.js';

const STATUS: Record<string, string> = { nominated: '已提名', approved: '表决通过（公示）', rejected: '表决未通过', awarded: '已表彰', withdrawn: '已撤回' };

export const resultsSheet: SheetSpec = {
  name: '结果与表彰',
  columns: [
    { header: '轮次', width: 6 },
    { header: '称号', width: 22 },
    { header: '支部', width: 22 },
    { header: '对象', width: 16 },
    { header: '得分', width: 8 },
    { header: '名次', width: 8 },
    { header: '评选状态', width: 16 },
    { header: '说明', width: 48 },
  ],
  async *rows(src) {
    const { db, campaign } = src;
    const rounds = await db.select().from(commendations).where(eq(commendations.campaignId, campaign.id));
    const nominees = rounds.length
      ? await db
          .select()
          .from(commendNominees)
          .where(
            inArray(
              commendNominees.commendationId,
              rounds.map((r) => r.id),
            ),
          )
      : [];
    const roundOf = new Map(rounds.map((r) => [r.id, r.round]));
    const inScope = (branch: string) => src.whole || src.branchIds.some((id) => src.branchName(id) === branch);
    const roundsToShow = rounds.length ? rounds.map((r) => r.round) : [1];
    for (const round of roundsToShow) {
      const results = await computeResults(db, src.config ?? parseConfig({}), campaign, src.now, round);
      for (const t of results?.titles ?? []) {
        for (const g of t.groups) {
          for (const e of g.entries) {
            if (!inScope(e.candidate.branch)) continue;
            const decided = nominees.find((n) => roundOf.get(n.commendationId) === round && n.titleId === t.title.id && n.subjectId === e.candidate.subjectId);
            yield [
              round,
              t.title.name + (g.postKind ? `·${g.postKind}` : ''),
              e.candidate.branch,
              e.candidate.name,
              e.total,
              e.rank === null ? null : e.tied ? `并列${e.rank}` : e.rank,
              decided ? `${STATUS[decided.status] ?? decided.status}${decided.reason ? `（${decided.reason}）` : ''}` : '',
              e.note ?? '',
            ];
          }
        }
      }
    }
  },
};
