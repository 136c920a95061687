// The committee's dashboard of a campaign (/活动 总览): completion per branch and phase, the spread of
// self-assessment totals and peer grades, and each branch's satisfaction against the bar. Pure.
import type { Block, CardModel } from './model.js';
import { md, tone } from './text.js';

export interface OverviewInput {
  campaignNo: number;
  title: string;
  asOf: string;
  /** Phases that have opened and ask for answers, with each branch's done/expected. */
  phases: Array<{ title: string; state: string; branches: Array<{ name: string; done: number; expected: number; excused?: unknown[] }> }>;
  /** Self-assessment totals in bands (申报自评, latest submission each). */
  scoreBands: Array<{ label: string; count: number }>;
  /** Peer grades of closed rounds, of members past the round's threshold (counts only). */
  peerGrades: Array<{ label: string; count: number }>;
  satisfaction: Array<{ branch: string; line: string; met: boolean | null }>;
}

const pct = (done: number, expected: number): string => (expected ? `${Math.round((done / expected) * 100)}%` : '—');

export function campaignOverviewCard(o: OverviewInput): CardModel {
  const blocks: Block[] = [];
  if (o.phases.length) {
    const lines = o.phases.map((p) => {
      const per = p.branches
        .map((b) => `${md(b.name)} ${b.done}/${b.expected}（${pct(b.done, b.expected)}${b.excused?.length ? `，请假/免评 ${b.excused.length} 人` : ''}）`)
        .join('；');
      return `**${md(p.title)}**（${p.state}）：${per || tone('grey', '无')}`;
    });
    blocks.push({ type: 'markdown', text: `**各阶段完成情况**\n${lines.join('\n')}` });
    const latest = o.phases.at(-1)!;
    if (latest.branches.length >= 2) {
      blocks.push({
        type: 'chart',
        title: `${latest.title} 完成率（%）`,
        bars: latest.branches.map((b) => ({ label: b.name, value: b.expected ? Math.round((b.done / b.expected) * 100) : 0 })),
      });
    }
  } else {
    blocks.push({ type: 'markdown', text: tone('grey', '还没有需要作答的阶段开始。') });
  }
  if (o.scoreBands.some((b) => b.count > 0)) {
    blocks.push({ type: 'divider' }, { type: 'chart', title: '自评总分分布（人）', bars: o.scoreBands.map((b) => ({ label: b.label, value: b.count })) });
  }
  if (o.peerGrades.some((g) => g.count > 0)) {
    blocks.push({ type: 'divider' }, { type: 'chart', title: '党员互评等次分布（票）', bars: o.peerGrades.map((g) => ({ label: g.label, value: g.count })) });
  }
  blocks.push({ type: 'divider' });
  blocks.push({
    type: 'markdown',
    text: o.satisfaction.length
      ? `**满意度测评**\n${o.satisfaction.map((s) => `${md(s.branch)}：${s.met === null ? tone('grey', md(s.line)) : s.met ? tone('green', md(s.line)) : tone('red', md(s.line))}`).join('\n')}`
      : `**满意度测评**：${tone('grey', '未开展')}`,
  });
  blocks.push({ type: 'note', text: `数据截至 ${o.asOf}。互评只统计已结束、票数达到公布门槛的等次票数，不涉及任何人的评价对象。` });
  return { title: `活动总览：${o.title}`, subtitle: `活动 #${o.campaignNo}`, tone: 'blue', blocks };
}
