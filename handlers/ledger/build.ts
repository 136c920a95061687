// A ledger file of one campaign and scope: the whole workbook, or one sheet as CSV, with its name
// ("台账-<活动>-<支部>-<日期>.xlsx"). Built when it is fetched; nothing is stored.
import { eq } from 'drizzle-orm';
import type { DownloadFile } from '../../bot/ports.js';
import { localDate } from '../../bot/time.js';
import type { CampaignRow } from '../../bot/engine/store.js';
import type { Db } from '../../db/client.js';
import { branches } from '../../db/schema.js';
import { writeCsv } from './csv.js';
import { findSheet, ledgerSheets } from './sheets.js';
import type { Config } from '../../bot/config.js';
import { ledgerSource } from './source.js';
import { excel, writeXlsx } from './xlsx.js';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const CSV_TYPE = 'text/csv; charset=utf-8';

const safe = (s: string) => s.replace(/[\\/:*?"<>|\s]+/gu, '_').slice(0, 60);

export async function ledgerFile(
  db: Db,
  campaign: CampaignRow,
  branchId: number | null,
  sheet: string | null,
  now: Date,
  config: Config | null = null,
): Promise<DownloadFile | null> {
  const spec = sheet === null ? null : findSheet(sheet);
  if (sheet !== null && !spec) return null;
  const [branch] = branchId === null ? [] : await db.select({ name: branches.name }).from(branches).where(eq(branches.id, branchId));
  if (branchId !== null && !branch) return null;
  const parts = ['台账', safe(campaign.title), ...(branch ? [safe(branch.name)] : []), ...(spec ? [spec.name] : []), localDate(now, campaign.timezone)];
  const title = `${campaign.title}${branch ? ` · ${branch.name}` : ''} 台账`;
  // Loaded before the first byte: a runtime without it fails here, not halfway through a download.
  if (!spec) await excel();
  return {
    fileName: `${parts.join('-')}.${spec ? 'csv' : 'xlsx'}`,
    contentType: spec ? CSV_TYPE : XLSX_TYPE,
    async write(out) {
      const src = await ledgerSource(db, campaign, branchId, config, now);
      if (spec) await writeCsv(out, spec, src);
      else await writeXlsx(out, ledgerSheets, src, { title });
    },
  };
}
