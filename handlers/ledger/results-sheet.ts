// 结果与表彰: the slot for the campaign's results and awards. Its rows are filled by handlers/results
// (which sets `resultRows`); until then the sheet carries its headers and no rows.
import type { Cell, LedgerSource, SheetSpec } from './sheet.js';

/** Rows of the results sheet: filled by handlers/results. */
export type ResultRows = (src: LedgerSource) => AsyncIterable<Cell[]>;

const none: ResultRows = async function* () {};

export const resultsHook: { rows: ResultRows } = { rows: none };

export const resultsSheet: SheetSpec = {
  name: '结果与表彰',
  columns: [
    { header: '支部', width: 22 },
    { header: '对象', width: 16 },
    { header: '称号', width: 18 },
    { header: '得分', width: 8 },
    { header: '名次', width: 6 },
    { header: '状态', width: 16 },
    { header: '说明', width: 36 },
  ],
  rows: (src) => resultsHook.rows(src),
};
