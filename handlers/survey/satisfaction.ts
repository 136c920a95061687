// What a member's post survey says, in one line, for the rubric item that asks for a satisfaction rate
// (示范岗 item 17: 满意度测评满意率达90%以上): shown to the member and to those who score them.
import { desc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { surveys } from '../../db/schema.js';
import { percent, surveyResult } from './results.js';
import { tallyOf } from './store.js';

export async function satisfactionLine(db: Db, memberId: number): Promise<string | null> {
  const [survey] = await db.select().from(surveys).where(eq(surveys.memberId, memberId)).orderBy(desc(surveys.id)).limit(1);
  if (!survey) return null;
  const r = surveyResult(await tallyOf(db, survey.id), survey.threshold, survey.minSample, survey.criteria);
  const verdict = r.verdict === 'too-few' ? `样本不足（${r.n}/${r.minSample}）` : r.verdict === 'met' ? `达到 ${r.threshold}%` : `未达到 ${r.threshold}%`;
  return `师生评议（${survey.status === 'open' ? '进行中' : '已结束'}）：满意率 ${percent(r.rate)}，${r.n} 份，${verdict}`;
}
