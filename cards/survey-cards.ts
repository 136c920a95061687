// Cards of the satisfaction survey (师生评议 / 群众评议): opened, the secretary's print sheet, the result.
import { COMMENT_MAX, RATING_LABELS } from '../handlers/survey/fields.js';
import { percent, type SurveyResult } from '../handlers/survey/results.js';
import type { Block, CardModel } from './model.js';
import { md, tone } from './text.js';

export interface SurveyView {
  id: number;
  branchName: string;
  title: string;
  mode: 'open' | 'coded';
  url: string;
}

const MODE_LABEL = { open: '开放链接（每个浏览器一次，同一网络限速）', coded: '评价码（每个码只能用一次）' } as const;

export function surveyOpenedCard(s: SurveyView, closes: string | null): CardModel {
  return {
    title: `满意度测评已开启 · ${s.branchName}`,
    subtitle: s.title,
    tone: 'green',
    blocks: [
      { type: 'markdown', text: '坚持以师生满意为第一标准：请服务对象（师生、职工）扫码或打开链接，匿名评价本支部的服务。' },
      { type: 'fields', fields: [{ label: '方式', value: MODE_LABEL[s.mode] }, ...(closes ? [{ label: '截止', value: closes }] : [])] },
      { type: 'links', links: [{ label: '打开评价页面', url: s.url }] },
      { type: 'note', text: '评价匿名：不记录评价人的身份、IP 或设备。结果只发给支部书记和党委。' },
    ],
  };
}

export function surveyPrintCard(s: SurveyView, printUrl: string, codes: number): CardModel {
  return {
    title: `打印二维码 · ${s.branchName}`,
    subtitle: s.title,
    tone: 'blue',
    blocks: [
      {
        type: 'markdown',
        text:
          s.mode === 'coded'
            ? `已生成 **${codes}** 个评价码。打印后剪成小条，在座谈会或服务窗口发给服务对象，每个码只能评价一次。`
            : '打印二维码，张贴在服务窗口或岗位标牌旁。',
      },
      { type: 'links', links: [{ label: s.mode === 'coded' ? '打印评价码' : '打印二维码', url: printUrl }] },
      { type: 'note', text: '此链接仅发给您本人，请勿转发（评价码页面含全部评价码）。' },
    ],
  };
}

const VERDICT = {
  met: (r: SurveyResult) => tone('green', `**达到要求**：满意率 ${percent(r.rate)}，不低于 ${r.threshold}%`),
  missed: (r: SurveyResult) => tone('red', `**未达到要求**：满意率 ${percent(r.rate)}，低于 ${r.threshold}%`),
  'too-few': (r: SurveyResult) => tone('orange', `**样本不足（${r.n}/${r.minSample}）**：满 ${r.minSample} 份后给出结论`),
};

export function surveyResultCard(s: SurveyView & { status: 'open' | 'closed' }, r: SurveyResult, comments: string[]): CardModel {
  const blocks: Block[] = [
    { type: 'markdown', text: VERDICT[r.verdict](r) },
    {
      type: 'fields',
      fields: [
        { label: '有效评价', value: `${r.n} 份` },
        { label: '满意率', value: `${percent(r.rate)}（满意 + 基本满意）/ 评价数` },
        { label: '95% 置信下限', value: percent(r.lowerBound) },
        { label: '方式', value: MODE_LABEL[s.mode] },
      ],
    },
    { type: 'chart', title: '评价分布', bars: (['satisfied', 'basic', 'unsatisfied'] as const).map((k) => ({ label: RATING_LABELS[k], value: r.counts[k] })) },
  ];
  if (r.criteria.some((c) => c.n > 0)) {
    blocks.push({ type: 'markdown', text: r.criteria.map((c) => `- ${md(c.name)}：${percent(c.rate)}（${c.n} 份）`).join('\n') });
  }
  if (comments.length) {
    blocks.push({
      type: 'markdown',
      text: `**意见建议（最近 ${comments.length} 条）**\n${comments.map((c) => `- ${md(c.slice(0, COMMENT_MAX))}`).join('\n')}`,
    });
  }
  blocks.push({ type: 'links', links: [{ label: '打开评价页面', url: s.url }] });
  blocks.push({ type: 'note', text: s.status === 'open' ? '测评进行中，结果随评价更新。' : '测评已结束。' });
  return {
    title: `满意度测评结果 · ${s.branchName}`,
    subtitle: s.title,
    tone: r.verdict === 'met' ? 'green' : r.verdict === 'missed' ? 'red' : 'orange',
    blocks,
  };
}
