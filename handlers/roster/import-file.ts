// Reading the committee's roster file: an xlsx (first sheet) or a CSV (UTF-8, or GB18030 as Excel saves it
// on Chinese Windows) into rows of the columns we know, named by their Chinese headers.
import { InputError } from '../../bot/errors.js';
import { excel } from '../ledger/xlsx.js';

export const IMPORT_COLUMNS = ['name', 'employeeNo', 'mobile', 'branch', 'status', 'joinedOn', 'title'] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];
export type ImportRow = Partial<Record<ImportColumn, string>> & { line: number };

export const COLUMN_LABELS: Record<ImportColumn, string> = {
  name: '姓名',
  employeeNo: '工号',
  mobile: '手机',
  branch: '支部',
  status: '政治面貌',
  joinedOn: '入党日期',
  title: '职务',
};

const HEADERS: Record<string, ImportColumn> = {
  姓名: 'name',
  工号: 'employeeNo',
  职工号: 'employeeNo',
  员工号: 'employeeNo',
  手机: 'mobile',
  手机号: 'mobile',
  手机号码: 'mobile',
  联系电话: 'mobile',
  支部: 'branch',
  党支部: 'branch',
  所在支部: 'branch',
  所在党支部: 'branch',
  政治面貌: 'status',
  入党日期: 'joinedOn',
  入党时间: 'joinedOn',
  职务: 'title',
  党内职务: 'title',
};

export const MAX_IMPORT_BYTES = 2 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 5_000;

const bad = (text: string) => new InputError('文件', text);

function headerOf(cell: string): ImportColumn | undefined {
  return HEADERS[cell.replace(/[\s*＊:：]/g, '')];
}

/** Cells of a table → rows; the header row is the first with 姓名 in it (a title row above is allowed). */
function rowsOf(table: string[][]): ImportRow[] {
  const at = table.findIndex((cells) => cells.some((c) => headerOf(c) === 'name'));
  if (at < 0)
    throw bad(
      `没有找到表头：第一行需包含「姓名」，以及${IMPORT_COLUMNS.slice(1)
        .map((c) => COLUMN_LABELS[c])
        .join('、')}等列。`,
    );
  const columns = table[at]!.map(headerOf);
  const rows: ImportRow[] = [];
  for (let i = at + 1; i < table.length; i++) {
    const cells = table[i]!;
    if (cells.every((c) => !c.trim())) continue;
    const row: ImportRow = { line: i + 1 };
    columns.forEach((col, j) => {
      const v = cells[j]?.trim();
      if (col && v) row[col] = v;
    });
    rows.push(row);
  }
  if (!rows.length) throw bad('表格中没有成员数据。');
  if (rows.length > MAX_IMPORT_ROWS) throw bad(`一次最多导入 ${MAX_IMPORT_ROWS} 行，本文件有 ${rows.length} 行，请分批导入。`);
  return rows;
}

/** RFC 4180: quoted fields may hold commas, quotes ("") and line breaks. */
export function parseCsv(text: string): string[][] {
  const table: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      table.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length) {
    row.push(field);
    table.push(row);
  }
  return table;
}

function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A cell as the text a person sees: dates as YYYY-MM-DD (Excel stores them as dates), numbers without ".0". */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return `${value.getUTCFullYear()}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}`;
  if (typeof value === 'object') {
    const v = value as { text?: unknown; result?: unknown; richText?: Array<{ text: string }> };
    if (v.richText) return v.richText.map((r) => r.text).join('');
    if (v.result !== undefined) return cellText(v.result);
    if (v.text !== undefined) return cellText(v.text);
    return '';
  }
  return String(value);
}

async function xlsxTable(bytes: Uint8Array): Promise<string[][]> {
  const ExcelJS = await excel().catch(() => {
    throw bad('此部署无法读取 Excel 文件，请另存为 CSV（UTF-8）后上传。');
  });
  const book = new ExcelJS.Workbook();
  try {
    await book.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw bad('无法读取该 Excel 文件：文件可能已损坏，或不是 .xlsx 格式（旧版 .xls 请另存为 .xlsx 或 CSV）。');
  }
  const sheet = book.worksheets[0];
  if (!sheet) throw bad('Excel 文件中没有工作表。');
  const table: string[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row, n) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      cells[col - 1] = cellText(cell.value);
    });
    table[n - 1] = Array.from(cells, (c) => c ?? '');
  });
  return Array.from(table, (r) => r ?? []);
}

const ZIP = [0x50, 0x4b, 0x03, 0x04];

/** The rows of an uploaded file; refuses what it cannot read with a Chinese reason. */
export async function readRosterFile(fileName: string, bytes: Uint8Array): Promise<ImportRow[]> {
  if (!bytes.length) throw bad('上传的文件是空的。');
  if (bytes.length > MAX_IMPORT_BYTES) throw bad('文件超过 2 MB，请删去无关的工作表或分批导入。');
  const isZip = ZIP.every((b, i) => bytes[i] === b);
  if (/\.xls$/i.test(fileName) && !isZip) throw bad('暂不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx 或 CSV 后上传。');
  if (isZip) return rowsOf(await xlsxTable(bytes));
  if (!/\.(csv|txt)$/i.test(fileName)) throw bad('请上传 Excel（.xlsx）或 CSV 文件。');
  return rowsOf(parseCsv(decodeText(bytes)));
}
