// What a ledger sheet is: a name, Chinese column headers with widths, and an async source of rows.
// The ledger is a list of these; another part adds a sheet by adding a spec (see sheets.ts).
import type { CampaignRow } from '../../bot/engine/store.js';
import type { PhaseState } from '../../bot/campaign/state.js';
import type { Db } from '../../db/client.js';
import type { Config } from '../../bot/config.js';

export type Cell = string | number | null;

export interface Column {
  header: string;
  /** Width in characters (a CJK character counts about two). */
  width: number;
}

/** What every sheet reads from: the campaign, the scope, and lookups loaded once. */
export interface LedgerSource {
  db: Db;
  /** The bot's settings (the results need the ballot key to tell who voted); null in tools without them. */
  config: Config | null;
  /** When the ledger is made (results are computed as of then). */
  now: Date;
  campaign: CampaignRow;
  phases: PhaseState[];
  /** The branches in scope (a secretary: their own; an admin: every branch of the campaign). */
  branchIds: number[];
  /** The whole committee (admin) rather than one branch. */
  whole: boolean;
  branchName(id: number | null): string;
  memberName(id: number | null): string;
  phaseTitle(id: number | null): string;
  /** A platform user's name (who checked, who scored, who acted), else the id. */
  userName(userId: string): string;
  /** A time in the campaign's zone, "2026-09-01 08:00"; empty for none. */
  time(at: Date | null): string;
}

export interface SheetSpec {
  /** The tab name (at most 31 characters, no []:*?/\). */
  name: string;
  columns: Column[];
  rows(src: LedgerSource): AsyncIterable<Cell[]>;
}

/** Rows produced by one query, yielded in pages so a large table is never all in memory twice. */
export async function* paged<T>(fetch: (offset: number, limit: number) => Promise<T[]>, map: (row: T) => Cell[][], pageSize = 2_000): AsyncIterable<Cell[]> {
  for (let offset = 0; ; offset += pageSize) {
    const page = await fetch(offset, pageSize);
    for (const row of page) yield* map(row);
    if (page.length < pageSize) return;
  }
}
