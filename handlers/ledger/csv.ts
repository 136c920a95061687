// One sheet as CSV (RFC 4180, UTF-8 with a BOM so Excel opens the Chinese right), written as it is read.
import type { Writable } from 'node:stream';
import type { Cell, LedgerSource, SheetSpec } from './sheet.js';

function field(cell: Cell): string {
  if (cell === null) return '';
  let s = String(cell);
  // A cell starting like a formula is kept as text (CSV injection).
  if (/^[=+\-@\t\r]/.test(s) && typeof cell === 'string') s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const line = (cells: Cell[]) => `${cells.map(field).join(',')}\r\n`;

function write(out: Writable, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (out.write(text)) resolve();
    else {
      out.once('drain', resolve);
      out.once('error', reject);
    }
  });
}

export async function writeCsv(out: Writable, spec: SheetSpec, src: LedgerSource): Promise<void> {
  let chunk = `\uFEFF${line(spec.columns.map((c) => c.header))}`;
  for await (const cells of spec.rows(src)) {
    chunk += line(cells);
    if (chunk.length > 64_000) {
      await write(out, chunk);
      chunk = '';
    }
  }
  await write(out, chunk);
  out.end();
}
