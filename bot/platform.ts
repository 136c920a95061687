// The contract every platform adapter fulfils: the core holds a list of these and looks up
// `event.platform`; it never imports a platform. Adding one is a folder and a line in runtime.ts.
import type { Context, Hono } from 'hono';
import type { Defer } from './background.js';
import type { HttpTransport } from './http-transport.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { DispatchDeps } from './dispatch.js';
import type { Logger } from './log.js';
import type { LedgerGrant, Ports, RosterImportGrant } from './ports.js';
import type { PlatformApi, PlatformId } from './types.js';
import type { Db } from '../db/client.js';

export interface PlatformLimits {
  /** The largest card the platform accepts, in bytes of its wire JSON (builders page long lists under it). */
  cardBytes: number;
  /** How long after sending a message can still be updated (Feishu: 14 days); absent: no limit. */
  updateWindowMs?: number;
}

/** What an adapter's routes get from the core. */
export interface AdapterHost {
  config: Config;
  db: Db;
  clock: Clock;
  log: Logger;
  /** The one dispatch of this process (null when no adapter can send). */
  dispatch: DispatchDeps | null;
  /** Keeps work alive after the response (Workers: the request's waitUntil). */
  defer(c: Context): Defer;
  /** This process is the sandbox (no production platform, or SANDBOX=1): its own database, a demo organisation. */
  sandbox: boolean;
  /** What capabilities offer public pages (a survey's answers). */
  ports: Ports;
  /** One scheduler tick now (resume unfinished events, due jobs, drain). */
  tick(): Promise<unknown>;
  /** Waits (at most `ms`) until background work and due sends have settled. */
  idle(ms: number): Promise<void>;
}

export interface PlatformAdapter {
  readonly id: PlatformId;
  /** Its name as users know it: 飞书, 钉钉, 网页. */
  readonly label: string;
  /** Outbound calls; null while not configured (its routes answer 503 and nothing is sent to it). */
  readonly api: PlatformApi | null;
  /** Variables still unset (shown by /healthz and at start). */
  readonly missing: string[];
  /** A card callback is answered within this; a later answer goes through the late handle. */
  readonly ackBudgetMs: number;
  /** How long an event's `lateHandle` stays usable after the click. */
  readonly lateHandleTtlMs: number;
  readonly limits: PlatformLimits;
  /** A token of a command line that stands for a mentioned person (Feishu: "@_user_1"). */
  readonly mentionToken: RegExp;
  /** Mounts its routes (webhooks, pages) on the app. */
  mount(app: Hono, host: AdapterHost): void;
  /** Start-up lines for the operator (missing or weak settings). */
  warnings(): string[];
  /** Whether it counts as a production platform (the sandbox does not). */
  readonly production: boolean;
  /** The public pages it serves, if any. */
  readonly pages?: PublicPages;
}

/** A platform as the composition root lists it: whether its section is configured, and how to build it. */
export interface PlatformPlugin {
  id: PlatformId;
  /** Its credentials are set: a real platform is served (the sandbox is then off by default). */
  production(config: Config): boolean;
  create(config: Config, env: { clock: Clock; db: Db; http?: HttpTransport }): PlatformAdapter;
}

/** Web pages people open from a card: a survey, its printable QR sheet (served by the web adapter). */
export interface PublicPages {
  surveyUrl(surveyId: number): string;
  surveyPrintUrl(surveyId: number): string;
  /** A branch's public pledge page (shown only while the secretary keeps it public). */
  pledgesUrl(branchId: number): string;
  /** A signed, expiring download link of a ledger (absent when the adapter serves no downloads). */
  ledgerUrl?(grant: LedgerGrant): string;
  /** A signed, expiring link to the roster import page (absent when the adapter serves no uploads). */
  rosterImportUrl?(grant: RosterImportGrant): string;
  /** 评选表彰's public page: the list in 公示 with its objection form, later the final list. */
  publicityUrl(commendationId: number): string;
  /** A winner's printable certificate (荣誉证书) or plaque (标牌). */
  certificateUrl(nomineeId: number): string;
}

export type Adapters = ReadonlyMap<PlatformId, PlatformAdapter>;

/** The public pages of whichever adapter serves them (null: none does, e.g. no link key). */
export function publicPagesOf(adapters: Adapters): PublicPages | null {
  for (const a of adapters.values()) if (a.pages) return a.pages;
  return null;
}

export function adapterMap(list: PlatformAdapter[]): Adapters {
  return new Map(list.map((a) => [a.id, a]));
}

/** Adapters that can send, in the order given. */
export function sendingApis(adapters: Adapters): PlatformApi[] {
  return [...adapters.values()].flatMap((a) => (a.api ? [a.api] : []));
}
