// The ledger's sheets in workbook order. Adding a sheet is adding its spec here.
import { auditSheet } from './audit-sheet.js';
import { declareSheet } from './declare-sheet.js';
import { leaderSheet } from './leader-sheet.js';
import { peerSheet } from './peer-sheet.js';
import { pledgeSheet } from './pledge-sheet.js';
import { resultsSheet } from './results-sheet.js';
import { rosterSheet } from './roster-sheet.js';
import { scoringSheet } from './scoring-sheet.js';
import type { SheetSpec } from './sheet.js';
import { surveySheet } from './survey-sheet.js';

export const ledgerSheets: SheetSpec[] = [rosterSheet, pledgeSheet, declareSheet, scoringSheet, peerSheet, leaderSheet, surveySheet, resultsSheet, auditSheet];

/** A sheet by its name, ignoring spaces and "/" (so "师生/群众评议" finds 师生群众评议). */
export function findSheet(name: string): SheetSpec | undefined {
  const key = name.replace(/[\s/／]/gu, '');
  return ledgerSheets.find((s) => s.name === key) ?? ledgerSheets.find((s) => s.name.startsWith(key) && key.length >= 2);
}
