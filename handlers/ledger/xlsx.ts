// Writes sheets as an xlsx with exceljs's streaming writer: rows are committed as they come, so a
// large ledger is written in bounded memory. Chinese headers in bold, widths, a frozen header row,
// A4 landscape fitted to the page width, the header repeated on every printed page.
import type { Writable } from 'node:stream';
import type ExcelJS from 'exceljs';
import type { LedgerSource, SheetSpec } from './sheet.js';

/**
 * exceljs is loaded on first use: only Node serves downloads, and the Worker bundle must not pull
 * in a library built on Node streams for a route it does not serve.
 */
let loaded: Promise<typeof ExcelJS> | null = null;
export function excel(): Promise<typeof ExcelJS> {
  const name = 'exceljs';
  loaded ??= import(/* @vite-ignore */ name).then((m: { default?: typeof ExcelJS } & typeof ExcelJS) => m.default ?? m);
  return loaded;
}

export async function writeXlsx(out: Writable, sheets: SheetSpec[], src: LedgerSource, meta: { title: string }): Promise<void> {
  const { stream } = await excel();
  const book = new stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  book.creator = '党建助手';
  book.title = meta.title;
  for (const spec of sheets) {
    const sheet = book.addWorksheet(spec.name, {
      views: [{ state: 'frozen', ySplit: 1, xSplit: 0 }],
      pageSetup: {
        paperSize: 9,
        orientation: 'landscape',
        fitToPage: true,
        fitToWidth: 1,
        fitToHeight: 0,
        printTitlesRow: '1:1',
        margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
      },
      headerFooter: { oddFooter: `${meta.title} · ${spec.name} · 第 &P 页 / 共 &N 页`, oddHeader: '' },
    });
    sheet.columns = spec.columns.map((c) => ({ header: c.header, width: c.width }));
    const header = sheet.getRow(1);
    header.font = { bold: true };
    header.alignment = { vertical: 'middle', wrapText: true };
    header.commit();
    for await (const cells of spec.rows(src)) sheet.addRow(cells).commit();
    sheet.commit();
  }
  await book.commit();
}
