// Where each member's own assessment stands (submitted, draft, not started), for lists and status cards.
import { formatScore, rubricPages } from '../../bot/campaign/rubric.js';
import type { Rubric } from '../../bot/campaign/template.js';
import type { AssessState } from '../../cards/assess-admin-cards.js';
import type { Db } from '../../db/client.js';
import { currentSubmissions, phaseAssessments } from './store.js';

export interface SelfState {
  state: AssessState;
  /** 自评已提交 85 分 / 自评草稿（已保存 2/5 页） / 未自评 */
  text: string;
  total: number | null;
  vetoed: boolean;
}

const NONE: SelfState = { state: 'none', text: '未自评', total: null, vetoed: false };

export async function selfStates(db: Db, phaseId: number, rubric: Rubric | null): Promise<(memberId: number) => SelfState> {
  if (!rubric) return () => ({ ...NONE, text: '无需自评' });
  const pages = rubricPages(rubric).length;
  const rows = new Map((await phaseAssessments(db, phaseId, 'self')).map((a) => [a.memberId, a]));
  const subs = new Map((await currentSubmissions(db, phaseId, 'self')).map((s) => [s.assessment.memberId, s.submission]));
  return (memberId) => {
    const a = rows.get(memberId);
    if (!a) return NONE;
    const sub = subs.get(memberId);
    if (a.revision > 0 && sub) {
      const result = sub.vetoed ? '自评已提交（一票否决）' : `自评已提交 ${formatScore(sub.total)} 分`;
      return { state: 'submitted', text: `${result}${a.dirty ? '，有未提交的修改' : ''}`, total: sub.total, vetoed: sub.vetoed };
    }
    if (a.pagesDone.length) return { state: 'draft', text: `自评草稿（已保存 ${a.pagesDone.length}/${pages} 页）`, total: null, vetoed: false };
    return NONE;
  };
}
