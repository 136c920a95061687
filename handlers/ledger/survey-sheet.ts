// 师生/群众评议: each satisfaction survey of the campaign with its result (sample, rate, Wilson lower
// bound, verdict) as handlers/survey computes it; one row "未开展" when there was none.
import { and, asc, eq, inArray } from 'drizzle-orm';
import { surveys } from '../../db/schema.js';
import { percent, surveyResult } from '../survey/results.js';
import { tallyOf } from '../survey/store.js';
import type { SheetSpec } from './sheet.js';

const VERDICT = { met: '达标', missed: '未达标', 'too-few': '样本不足' } as const;

export const surveySheet: SheetSpec = {
  name: '师生群众评议',
  columns: [
    { header: '支部', width: 22 },
    { header: '评议对象', width: 24 },
    { header: '测评', width: 28 },
    { header: '状态', width: 8 },
    { header: '样本数', width: 8 },
    { header: '满意', width: 8 },
    { header: '基本满意', width: 10 },
    { header: '不满意', width: 8 },
    { header: '满意率', width: 10 },
    { header: '95%置信下限', width: 12 },
    { header: '达标线', width: 8 },
    { header: '结论', width: 16 },
  ],
  async *rows(src) {
    const rows = src.branchIds.length
      ? await src.db
          .select()
          .from(surveys)
          .where(and(eq(surveys.campaignId, src.campaign.id), inArray(surveys.branchId, src.branchIds)))
          .orderBy(asc(surveys.branchId), asc(surveys.id))
      : [];
    if (!rows.length) {
      yield ['', '未开展', '', '', '', '', '', '', '', '', '', ''];
      return;
    }
    for (const s of rows) {
      const r = surveyResult(await tallyOf(src.db, s.id), s.threshold, s.minSample, s.criteria);
      const subject = s.memberId ? `${src.memberName(s.memberId)}${s.postTitle ? `（${s.postTitle}）` : ''}` : '本支部';
      const verdict = r.verdict === 'too-few' ? `${VERDICT['too-few']}（${r.n}/${r.minSample}）` : VERDICT[r.verdict];
      yield [
        src.branchName(s.branchId),
        subject,
        s.title,
        s.status === 'open' ? '进行中' : '已结束',
        r.n,
        r.counts.satisfied,
        r.counts.basic,
        r.counts.unsatisfied,
        percent(r.rate),
        percent(r.lowerBound),
        `${s.threshold}%`,
        verdict,
      ];
    }
  },
};
