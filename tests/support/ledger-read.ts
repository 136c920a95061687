// Reading a ledger back with a second, independent reader (SheetJS), and fetching one through a
// download link's grant: what the ledger tests assert on.
import { PassThrough } from 'node:stream';
import * as XLSX from 'xlsx';
import type { LedgerPort, PortDeps } from '../../bot/ports.js';
import { readLedgerToken } from '../../bot/platforms/web/ledger-routes.js';

export interface ReadBook {
  names: string[];
  /** Rows per sheet, the header first, every cell as text. */
  sheets: Record<string, string[][]>;
  /** The raw XML of each worksheet part, by sheet name. */
  xml: Record<string, string>;
}

export function readXlsx(bytes: Buffer): ReadBook {
  const book = XLSX.read(bytes, { type: 'buffer', bookFiles: true });
  const sheets: Record<string, string[][]> = {};
  for (const name of book.SheetNames) {
    sheets[name] = XLSX.utils.sheet_to_json<unknown[]>(book.Sheets[name]!, { header: 1, defval: '', raw: false }).map((r) => r.map((c) => String(c)));
  }
  const files = (book as unknown as { files: Record<string, { content?: Uint8Array; asNodeBuffer?: () => Buffer }> }).files ?? {};
  const xml: Record<string, string> = {};
  book.SheetNames.forEach((name, i) => {
    const file = files[`xl/worksheets/sheet${i + 1}.xml`];
    if (file?.content) xml[name] = Buffer.from(file.content).toString('utf8');
    else if (file?.asNodeBuffer) xml[name] = file.asNodeBuffer().toString('utf8');
  });
  return { names: book.SheetNames, sheets, xml };
}

export async function collect(write: (out: PassThrough) => Promise<void>): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  await write(out);
  await ended;
  return Buffer.concat(chunks);
}

/** The file a download link names, fetched through the ledger port as the web route does. */
export async function fetchLink(deps: PortDeps, port: LedgerPort, secret: string, url: string): Promise<{ fileName: string; bytes: Buffer } | null> {
  const token = url.slice(url.indexOf('/dl/') + 4);
  const check = readLedgerToken(secret, token, deps.clock.now());
  if (!check.ok) throw new Error(`link refused: ${check.reason}`);
  const file = await port.file(deps, check.grant);
  if (!file) return null;
  return { fileName: file.fileName, bytes: await collect((out) => file.write(out)) };
}
