// What capabilities offer the edges beyond commands and cards: the services behind public web pages
// (a survey answered by people on no chat platform, a ledger download). The web adapter renders;
// the capability decides.
import type { Writable } from 'node:stream';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Db } from '../db/client.js';
import type { PlatformId } from './types.js';

export interface PortDeps {
  db: Db;
  config: Config;
  clock: Clock;
}

export interface SurveyPageView {
  id: number;
  title: string;
  branchName: string;
  mode: 'open' | 'coded';
  open: boolean;
  criteria: string[];
  commentMax: number;
  ratings: Array<{ value: string; label: string }>;
  /** A post's survey: its holder and post, as the plaque shows them (null: the branch's survey). */
  subject: { name: string; post: string } | null;
  /** The branch's public pledges (its own and its members', unnamed), shown above the form. */
  pledges: { branch: string[] | null; members: string[][] } | null;
}

export type SurveyOutcome = 'ok' | 'closed' | 'duplicate' | 'code-used' | 'code-unknown' | 'invalid';

export interface SurveyPort {
  view(deps: PortDeps, surveyId: number): Promise<SurveyPageView | null>;
  answered(deps: PortDeps, surveyId: number, browserId: string): Promise<boolean>;
  /** Validates and stores one answer; `errors` name each wrong field in Chinese. */
  answer(
    deps: PortDeps,
    surveyId: number,
    form: Record<string, string>,
    who: { browserId: string } | { code: string },
  ): Promise<{ outcome: SurveyOutcome; errors: string[] }>;
  /** The printable codes of a coded survey (derived from the key; never stored). */
  codes(deps: PortDeps, surveyId: number): Promise<string[]>;
}

export interface PublicPledgesView {
  branchName: string;
  branch: string[] | null;
  members: string[][];
}

export interface PledgesPort {
  /** The branch's public pledges, or null when the secretary has not made them public. */
  view(deps: PortDeps, branchId: number): Promise<PublicPledgesView | null>;
}

/** What a signed download link grants: one person's ledger of one campaign (a branch or the whole committee), until when. */
export interface LedgerGrant {
  platform: PlatformId;
  tenantKey: string;
  userId: string;
  campaignId: number;
  /** null: the whole committee (an admin's ledger). */
  branchId: number | null;
  /** One sheet as CSV, or null for the whole workbook. */
  sheet: string | null;
  expiresAt: Date;
}

/** A file built when it is fetched: its name, type, and how to write it. */
export interface DownloadFile {
  fileName: string;
  contentType: string;
  write(out: Writable): Promise<void>;
}

export interface LedgerPort {
  /** The file a grant names, checked again at download (the person still may); null when not. */
  file(deps: PortDeps, grant: LedgerGrant): Promise<DownloadFile | null>;
}

export interface PublicityView {
  campaignTitle: string;
  stage: 'publicity' | 'final';
  /** 公示期, formatted in the campaign's zone. */
  from: string;
  to: string;
  /** Objections are taken now. */
  open: boolean;
  entries: Array<{ id: number; title: string; name: string; branch: string }>;
}

export interface CertificateView {
  /** 荣誉证书 for a title, 标牌 for a 党员示范岗. */
  kind: 'certificate' | 'plaque';
  title: string;
  name: string;
  branch: string;
  campaignTitle: string;
  /** The date of the decision, e.g. 2027年7月1日. */
  date: string;
  /** Who signs it (COMMITTEE_NAME). */
  issuer: string;
  commendationId: number;
}

/** The 公示 page's objection form: field names and limits shared by the page and the port. */
export const OBJECTION_FIELDS = { nominee: 'nominee', text: 'text', name: 'name', contact: 'contact' } as const;
export const OBJECTION_LIMITS = { text: 500, name: 40, contact: 60 } as const;

export interface CommendPort {
  /** The list in 公示 or the final list; null before 公示 or for an unknown id. */
  publicity(deps: PortDeps, commendationId: number): Promise<PublicityView | null>;
  /** Takes one objection (named or anonymous); `errors` name each wrong field in Chinese. */
  object(deps: PortDeps, commendationId: number, form: Record<string, string>): Promise<{ ok: boolean; errors: string[] }>;
  /** A winner's certificate, once the list is final. */
  certificate(deps: PortDeps, nomineeId: number): Promise<CertificateView | null>;
}

/** What a signed roster-import link grants: one person importing one branch's roster (null: every branch), until when. */
export interface RosterImportGrant {
  platform: PlatformId;
  tenantKey: string;
  userId: string;
  branchId: number | null;
  expiresAt: Date;
}

export interface RosterImportRowView {
  line: number;
  kind: 'add' | 'update' | 'same';
  name: string;
  branch: string;
  status: string;
  /** "政治面貌：待确认 → 正式党员", one per changed field. */
  changes: string[];
}

export interface RosterImportView {
  /** The branch the link may change, or 全部支部. */
  scope: string;
  /** The uploaded file being previewed (null: nothing uploaded yet). */
  upload: { id: number; fileName: string; applied: boolean } | null;
  rows: RosterImportRowView[];
  errors: Array<{ line: number; text: string }>;
  /** A file that cannot be read at all (not a table, too big): nothing to preview. */
  fileError: string | null;
}

export interface RosterImportPort {
  /** The page before an upload; null when the link's holder may no longer import. */
  start(deps: PortDeps, grant: RosterImportGrant): Promise<RosterImportView | null>;
  /** Reads and keeps an uploaded file, and previews what it would change. */
  upload(deps: PortDeps, grant: RosterImportGrant, file: { name: string; bytes: Uint8Array }): Promise<RosterImportView | null>;
  /** Applies a previewed upload, all rows or none (planned again against the roster as it is now). */
  apply(deps: PortDeps, grant: RosterImportGrant, uploadId: number): Promise<RosterImportView | null>;
}

export interface Ports {
  survey?: SurveyPort;
  pledges?: PledgesPort;
  ledger?: LedgerPort;
  commend?: CommendPort;
  rosterImport?: RosterImportPort;
}
