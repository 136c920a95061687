// runTick: the one thing node-cron and Workers' scheduled() call, once a minute.
import { and, eq, inArray, isNotNull, lt, ne, sql } from 'drizzle-orm';
import { runBatch, type Db } from '../db/client.js';
import { campaigns, members, outbox, processedEvents } from '../db/schema.js';
import { anniversaryDays, anniversaryJobs } from './engine/anniversary.js';
import { CATCH_UP_MS, plannedJobs, type Job } from './engine/due-jobs.js';
import { activeCampaigns, loadCampaignState, type CampaignRow, type ResponseSource } from './engine/store.js';
import type { CampaignState } from './campaign/state.js';
import type { Config } from './config.js';
import type { Instance } from './instance.js';
import type { Logger } from './log.js';
import type { FileSource } from './files.js';
import { drainOutbox, enqueueMany, type DrainOptions, type DrainResult } from './outbox.js';
import type { PublicPages } from './platform.js';
import type { EngineParts } from './registry.js';
import type { PlatformApi, PlatformId } from './types.js';
import { yieldToEventLoop } from './yield.js';

/** Delivery ids are kept well past Feishu's last retry (~7 h) and the signature freshness window. */
export const EVENT_RETENTION_MS = 7 * 24 * 60 * 60_000;
const ENQUEUE_CHUNK = 200;

export interface TickDeps {
  db: Db;
  log: Logger;
  /** One per platform that can send; campaigns of other platforms are not scheduled. */
  apis: PlatformApi[];
  /** Builds file messages at send time. */
  files?: FileSource;
  instance?: Instance;
  config: Config;
  /** Time zone for things not tied to a campaign (anniversaries). */
  timezone: string;
  /** Capability-specific scheduled work (e.g. review rounds that follow campaign phases). */
  hooks?: TickHook[];
  /** Answers derived rather than stored (see ResponseSource). */
  responseSources?: ResponseSource[];
  /** What capabilities add to the engine: their phase buttons and phase jobs. */
  engine?: EngineParts;
  /** Where public web pages are, for hooks that announce them. */
  pages?: PublicPages | null;
  drain?: DrainOptions;
  /**
   * Wakes the process's own outbox sender (Node) to send what the tick wrote, instead of a drain inside
   * the tick: a tick's drain stops at its budget and the rest waited for the next minute's tick.
   */
  kick?: () => void;
}

/** The campaigns this tick scheduled, with the state it loaded for them (hooks reuse it). */
export interface TickCampaign {
  campaign: CampaignRow;
  state: CampaignState;
}

export type TickHook = (deps: TickDeps, now: Date, campaigns: TickCampaign[]) => Promise<void>;

export interface TickResult {
  purgedEvents: number;
  enqueued: number;
  dropped: number;
  outbox: DrainResult | null;
}

/** A job to write, its message built only when its chunk is written. */
interface PlatformJob {
  platform: string;
  build(): Job | Omit<Job, 'campaignId'> | Promise<Job>;
}

/** Builds and writes a chunk at a time, so a fan-out to 10,000 members never holds 10,000 messages. */
async function write(deps: TickDeps, jobs: PlatformJob[]) {
  let enqueued = 0;
  let dropped = 0;
  for (let i = 0; i < jobs.length; i += ENQUEUE_CHUNK) {
    const chunk = jobs.slice(i, i + ENQUEUE_CHUNK);
    const built = await Promise.all(chunk.map((j) => j.build()));
    const rows = await enqueueMany(
      deps.db,
      built.map((job, k) => ({ ...job, platform: chunk[k]!.platform as PlatformId, campaignId: 'campaignId' in job ? job.campaignId : null })),
    );
    await yieldToEventLoop();
    for (const row of rows) {
      if (row.status === 'dropped') {
        dropped++;
        deps.log.info('stale reminder dropped', { key: row.key });
      } else enqueued++;
    }
  }
  return { enqueued, dropped };
}

/** Writes what is due to the outbox; a unique key per (job, recipient, window) makes a repeated tick harmless. */
export async function scheduleJobs(deps: TickDeps, now: Date): Promise<{ enqueued: number; dropped: number; campaigns: TickCampaign[] }> {
  const platforms = new Set(deps.apis.map((a) => a.platform));
  if (!platforms.size) return { enqueued: 0, dropped: 0, campaigns: [] };
  const jobs: PlatformJob[] = [];
  const finished: number[] = [];
  const loaded: TickCampaign[] = [];
  for (const c of await activeCampaigns(deps.db)) {
    if (!platforms.has(c.platform)) continue;
    const state = await loadCampaignState(deps.db, c, { config: deps.config, sources: deps.responseSources ?? [], keys: { at: now } });
    loaded.push({ campaign: c, state });
    await yieldToEventLoop();
    for (const job of plannedJobs(state, now, deps.engine)) jobs.push({ platform: c.platform, build: job.build });
    const lastClose = Math.max(...state.phases.map((p) => p.closesAt.getTime()));
    if (now.getTime() - lastClose > CATCH_UP_MS) finished.push(c.id);
  }
  // Only members whose joining day is today are read (none before the morning hour).
  const days = anniversaryDays(now, deps.timezone);
  const people = days.length
    ? await deps.db
        .select({ memberId: members.id, platform: members.platform, userId: members.userId, name: members.name, joinedPartyOn: members.joinedPartyOn })
        .from(members)
        .where(
          and(
            inArray(members.platform, [...platforms]),
            eq(members.active, true),
            eq(members.anniversaryOptOut, false),
            isNotNull(members.joinedPartyOn),
            inArray(sql`substr(${members.joinedPartyOn}, 6)`, days),
          ),
        )
    : [];
  for (const platform of platforms) {
    const theirs = people.filter((p) => p.platform === platform) as Array<{ memberId: number; userId: string; name: string; joinedPartyOn: string }>;
    for (const job of anniversaryJobs(theirs, now, deps.timezone)) jobs.push({ platform, build: () => job });
  }
  const counts = await write(deps, jobs);
  await runBatch(
    deps.db,
    finished.map((id) => deps.db.update(campaigns).set({ status: 'finished' }).where(eq(campaigns.id, id))),
  );
  return { ...counts, campaigns: loaded };
}

export async function runTick(deps: TickDeps, now: Date): Promise<TickResult> {
  const purged = await deps.db
    .delete(processedEvents)
    .where(and(lt(processedEvents.receivedAt, new Date(now.getTime() - EVENT_RETENTION_MS)), ne(processedEvents.status, 'pending')))
    .returning({ eventId: processedEvents.eventId });
  const { enqueued, dropped, campaigns: scheduled } = await scheduleJobs(deps, now);
  for (const hook of deps.hooks ?? []) {
    try {
      await hook(deps, now, scheduled);
    } catch (err) {
      deps.log.error('tick hook failed', { error: err });
    }
  }
  let drained: DrainResult | null = null;
  if (deps.kick) deps.kick();
  else if (deps.apis.length) {
    drained = await drainOutbox({ db: deps.db, log: deps.log, apis: deps.apis, instance: deps.instance, files: deps.files }, now, deps.drain);
  }
  const result = { purgedEvents: purged.length, enqueued, dropped, outbox: drained };
  if (purged.length || enqueued || dropped || (drained && drained.sent + drained.retried + drained.dead + drained.expired > 0)) {
    deps.log.info('tick', { ...result });
  }
  return result;
}

/** Pending messages of a stopped campaign are cancelled, not sent. */
export function cancelCampaignOutbox(db: Db, campaignId: number) {
  return db
    .update(outbox)
    .set({ status: 'cancelled' })
    .where(and(eq(outbox.campaignId, campaignId), eq(outbox.status, 'pending')));
}
