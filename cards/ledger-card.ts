// The /台账 answer: which campaign and scope, what the file holds, the download link and until when.
import type { CardModel } from './model.js';

export interface LedgerCardView {
  /** "#3 党员示范岗创建活动（已结束）". */
  campaign: string;
  /** 全党委 or the branch's name. */
  scope: string;
  /** The one sheet of a CSV, or null for the workbook. */
  sheet: string | null;
  sheetNames: string[];
  url: string;
  /** Formatted in the campaign's zone. */
  expires: string;
}

export function ledgerCard(v: LedgerCardView): CardModel {
  return {
    title: '活动台账',
    subtitle: v.campaign,
    tone: 'blue',
    blocks: [
      {
        type: 'fields',
        fields: [
          { label: '范围', value: v.scope },
          { label: '内容', value: v.sheet ? `「${v.sheet}」CSV` : `Excel（${v.sheetNames.join('、')}）` },
          { label: '链接有效至', value: v.expires },
        ],
      },
      { type: 'links', links: [{ label: v.sheet ? `下载 ${v.sheet}.csv` : '下载台账', url: v.url }] },
      { type: 'note', text: '文件在下载时按最新数据生成。链接即凭证，请勿转发；过期后重新发送 /台账 即可。党员互评只含汇总，不足票数的不公布。' },
    ],
  };
}
