// Campaign rows in and out of the database: creating one from a template, loading scheduler state.
import { and, eq, gte, inArray, isNull, isNotNull, like, lt, or, sql, type SQL } from 'drizzle-orm';
import { runBatch, type Db } from '../../db/client.js';
import {
  memberExemptions,
  branches,
  campaignPhases,
  campaignRoster,
  campaigns,
  members,
  outbox,
  phaseResponses,
  pledges,
  postDeclarations,
  type PledgeItem,
} from '../../db/schema.js';
import { DEFAULT_PLEDGE_AREAS } from '../campaign/pledge-areas.js';
import { inPlay } from './due-jobs.js';
import type { Config } from '../config.js';
import type { PlatformId } from '../types.js';
import { addDays, zonedTime } from '../time.js';
import { linkCheckPhases, respondedKey, type CampaignState, type PhaseState, type RosterEntry } from '../campaign/state.js';
import { type CampaignTemplate, onCommittee, type PhaseKind, type Responder } from '../campaign/template.js';

export type CampaignRow = typeof campaigns.$inferSelect;
const CHUNK = 400;
const ROUND_NAMES: Record<number, string> = { 1: '一', 2: '二', 3: '三', 4: '四', 5: '五' };

function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export interface NewCampaign {
  platform: PlatformId;
  tenantKey: string;
  template: CampaignTemplate;
  startsOn: string;
  timezone: string;
  createdBy: string;
  now: Date;
}

/** Creates the campaign, its dated phases and its frozen roster (active members of every branch + leaders). */
export async function createCampaign(db: Db, n: NewCampaign): Promise<{ campaign: CampaignRow; rosterSize: number; leaders: number }> {
  const [campaign] = await db
    .insert(campaigns)
    .values({
      platform: n.platform,
      tenantKey: n.tenantKey,
      templateId: n.template.id,
      templateVersion: n.template.version,
      template: n.template,
      title: n.template.title,
      startsOn: n.startsOn,
      timezone: n.timezone,
      createdBy: n.createdBy,
      createdAt: n.now,
    })
    .returning();
  const phaseRows = n.template.phases.map((p, seq) => ({
    campaignId: campaign!.id,
    seq,
    kind: p.kind,
    title: p.round ? `${p.title}（第${ROUND_NAMES[p.round] ?? p.round}轮）` : p.title,
    task: p.task,
    respond: p.respond,
    round: p.round ?? null,
    opensAt: zonedTime(addDays(n.startsOn, p.startDay), 0, n.timezone),
    closesAt: zonedTime(addDays(n.startsOn, p.startDay + p.days), 0, n.timezone),
  }));
  const people = await db
    .select({ id: members.id, branchId: members.branchId, role: members.role, committee: members.committee, status: members.politicalStatus })
    .from(members)
    .where(and(eq(members.platform, n.platform), eq(members.tenantKey, n.tenantKey), eq(members.active, true)));
  // Committee members review whatever their 政治面貌; branch people take part as the template says.
  const roster = people
    .filter((m) => m.role === 'leader' || (m.branchId !== null && n.template.participants.includes(m.status)))
    .map((m) => ({ campaignId: campaign!.id, memberId: m.id, branchId: m.branchId, role: m.role, committee: m.committee, addedAt: n.now }));
  await runBatch(db, [db.insert(campaignPhases).values(phaseRows), ...chunks(roster).map((rows) => db.insert(campaignRoster).values(rows))]);
  return { campaign: campaign!, rosterSize: roster.length, leaders: roster.filter(onCommittee).length };
}

export async function activeCampaigns(db: Db, where?: { platform: PlatformId; tenantKey: string }): Promise<CampaignRow[]> {
  return db
    .select()
    .from(campaigns)
    .where(
      where
        ? and(eq(campaigns.status, 'active'), eq(campaigns.platform, where.platform), eq(campaigns.tenantKey, where.tenantKey))
        : eq(campaigns.status, 'active'),
    );
}

function fromRow(p: typeof campaignPhases.$inferSelect): Omit<PhaseState, 'pledgePhaseId' | 'scoresDeclarePhaseId'> {
  return {
    id: p.id,
    seq: p.seq,
    kind: p.kind as PhaseKind,
    title: p.title,
    task: p.task,
    respond: (p.respond as Responder | null) ?? null,
    round: p.round,
    opensAt: p.opensAt,
    closesAt: p.closesAt,
  };
}

export async function phasesOf(db: Db, campaignId: number): Promise<PhaseState[]> {
  const rows = await db.select().from(campaignPhases).where(eq(campaignPhases.campaignId, campaignId)).orderBy(campaignPhases.seq);
  return linkCheckPhases(rows.map(fromRow));
}

/** One phase with its campaign, as card callbacks need it. */
export async function phaseWithCampaign(db: Db, phaseId: number): Promise<{ phase: PhaseState; campaign: CampaignRow } | null> {
  const [row] = await db
    .select({ phase: campaignPhases, campaign: campaigns })
    .from(campaignPhases)
    .innerJoin(campaigns, eq(campaigns.id, campaignPhases.campaignId))
    .where(eq(campaignPhases.id, phaseId));
  if (!row) return null;
  const phase = (await phasesOf(db, row.campaign.id)).find((p) => p.id === phaseId)!;
  return { phase, campaign: row.campaign };
}

/**
 * Answers that are not stored as phase_responses rows but derived (anonymous peer review: who has
 * voted is recomputed from keyed hashes, so no table records it).
 */
export type ResponseSource = (db: Db, config: Config, campaign: CampaignRow, phases: PhaseState[]) => Promise<Array<{ phaseId: number; memberId: number }>>;

/**
 * Many rows as one JSON value (an array of arrays, in the order of `columns`). libSQL's client builds
 * an object per row, which at 10,000 members costs far more than the query; one string parses fast.
 */
function packed(columns: SQL[]) {
  return sql<string>`coalesce(json_group_array(json_array(${sql.join(columns, sql`, `)})), '[]')`;
}

async function unpack<T>(rows: Promise<Array<{ rows: string }>>): Promise<T[]> {
  const [row] = await rows;
  return row ? (JSON.parse(row.rows) as T[]) : [];
}

/** Outbox keys as one newline-separated string (keys are made of ids and dates: no newlines). */
const joinedKeys = sql<string | null>`group_concat(${outbox.dedupeKey}, char(10))`;

async function keyList(rows: Promise<Array<{ keys: string | null }>>): Promise<string[]> {
  const [row] = await rows;
  return row?.keys ? row.keys.split('\n') : [];
}

type ItemsWaiter = { resolve: (items: PledgeItem[]) => void; reject: (err: unknown) => void };

/**
 * Pledge items by pledge id, read when progress forms are built: the ids asked for in one turn of the
 * event loop (a chunk of a fan-out) go in one query. The scheduler never holds every pledge's text.
 */
function pledgeItemsLoader(db: Db): (pledgeId: number) => Promise<PledgeItem[]> {
  let waiting: Map<number, ItemsWaiter[]> | null = null;
  const flush = async (batch: Map<number, ItemsWaiter[]>) => {
    try {
      const found = new Map<number, PledgeItem[]>();
      for (const ids of chunks([...batch.keys()])) {
        for (const row of await db.select({ id: pledges.id, items: pledges.items }).from(pledges).where(inArray(pledges.id, ids))) found.set(row.id, row.items);
      }
      for (const [id, callers] of batch) for (const c of callers) c.resolve(found.get(id) ?? []);
    } catch (err) {
      for (const callers of batch.values()) for (const c of callers) c.reject(err);
    }
  };
  return (pledgeId) =>
    new Promise((resolve, reject) => {
      if (!waiting) {
        const batch = new Map<number, ItemsWaiter[]>();
        waiting = batch;
        queueMicrotask(() => {
          waiting = null;
          void flush(batch);
        });
      }
      const callers = waiting.get(pledgeId) ?? [];
      callers.push({ resolve, reject });
      waiting.set(pledgeId, callers);
    });
}

/** The outbox keys a state needs: all, or (the scheduler at `at`) those its jobs could still be checked against. */
function keysWanted(c: CampaignRow, phases: PhaseState[], at: Date | undefined): SQL | undefined {
  const playing = at ? phases.filter((p) => inPlay(p, at)) : phases;
  if (playing.length === phases.length) return undefined;
  // Engine and capability jobs are keyed c<campaign>:p<phase>:…, every key of that form in ['c0', 'c:').
  return or(
    lt(outbox.dedupeKey, 'c0'),
    gte(outbox.dedupeKey, 'c:'),
    ...playing.map((p) => and(gte(outbox.dedupeKey, `c${c.id}:p${p.id}:`), lt(outbox.dedupeKey, `c${c.id}:p${p.id};`))),
  );
}

export interface StateOptions {
  config: Config;
  sources: ResponseSource[];
  /**
   * Which outbox keys (and sent nudges) to read: every key of the campaign (default); those the
   * scheduler at an instant can still check its jobs against (phases long over are left out, see
   * inPlay); or none, for status cards and results, which read roster and answers only.
   */
  keys?: { at: Date } | 'none';
}

export async function loadCampaignState(db: Db, c: CampaignRow, derived?: StateOptions): Promise<CampaignState> {
  const phases = await phasesOf(db, c.id);
  const roster = (
    await unpack<[number, number | null, RosterEntry['role'], number, string, string]>(
      db
        .select({
          rows: packed([
            sql`${campaignRoster.memberId}`,
            sql`${campaignRoster.branchId}`,
            sql`${campaignRoster.role}`,
            sql`${campaignRoster.committee}`,
            sql`${members.userId}`,
            sql`${members.name}`,
          ]),
        })
        .from(campaignRoster)
        .innerJoin(members, eq(members.id, campaignRoster.memberId))
        .where(and(eq(campaignRoster.campaignId, c.id), isNull(campaignRoster.removedAt))),
    )
  ).map(([memberId, branchId, role, committee, userId, name]) => ({ memberId, branchId, role, committee: committee === 1, userId, name }));
  const branchIds = [...new Set(roster.map((r) => r.branchId).filter((id): id is number => id !== null))];
  const branchRows = branchIds.length
    ? await db.select({ id: branches.id, name: branches.name, chatId: branches.chatId }).from(branches).where(inArray(branches.id, branchIds))
    : [];
  const phaseIds = phases.map((p) => p.id);
  const answers: Array<{ phaseId: number; memberId: number }> = phaseIds.length
    ? (
        await unpack<[number, number]>(
          db
            .select({ rows: packed([sql`${phaseResponses.phaseId}`, sql`${phaseResponses.memberId}`]) })
            .from(phaseResponses)
            .where(inArray(phaseResponses.phaseId, phaseIds)),
        )
      ).map(([phaseId, memberId]) => ({ phaseId, memberId }))
    : [];
  for (const source of derived?.sources ?? []) answers.push(...(await source(db, derived!.config, c, phases)));
  // Who pledged, without the items: only a progress form reads them (pledgeItems).
  const pledgeRows = await unpack<[number, number, number | null]>(
    db
      .select({ rows: packed([sql`${pledges.id}`, sql`${pledges.phaseId}`, sql`${pledges.memberId}`]) })
      .from(pledges)
      .where(and(eq(pledges.campaignId, c.id), eq(pledges.kind, 'member'))),
  );
  const byPhase = new Map<number, Map<number, { id: number }>>();
  for (const [id, phaseId, memberId] of pledgeRows) {
    if (memberId === null) continue;
    if (!byPhase.has(phaseId)) byPhase.set(phaseId, new Map());
    byPhase.get(phaseId)!.set(memberId, { id });
  }
  const wanted = derived?.keys ?? { at: undefined };
  const keysWhere = async (where: SQL | undefined) =>
    wanted === 'none'
      ? []
      : keyList(
          db
            .select({ keys: joinedKeys })
            .from(outbox)
            .where(and(eq(outbox.campaignId, c.id), where)),
        );
  const keys = await keysWhere(wanted === 'none' ? undefined : keysWanted(c, phases, wanted.at));
  const sentNudges = await keysWhere(and(eq(outbox.status, 'sent'), like(outbox.dedupeKey, `c${c.id}:p%:nudge%`)));
  const holders = phases.some((p) => p.kind === 'declare')
    ? await db
        .select({ memberId: postDeclarations.memberId })
        .from(postDeclarations)
        .where(and(eq(postDeclarations.campaignId, c.id), isNotNull(postDeclarations.awardedAt), isNull(postDeclarations.revokedAt)))
    : null;
  // Nudges that went out for phases the member has still not answered (key c<id>:p<phase>:nudge<n>:<member>).
  const responded = new Set(answers.map((a) => respondedKey(a.phaseId, a.memberId)));
  const ignoredNudges = new Map<number, number>();
  for (const key of sentNudges) {
    const m = /^c\d+:p(\d+):nudge\d+:(\d+)$/.exec(key);
    if (!m || responded.has(respondedKey(Number(m[1]), Number(m[2])))) continue;
    ignoredNudges.set(Number(m[2]), (ignoredNudges.get(Number(m[2])) ?? 0) + 1);
  }
  const exemptions = await db
    .select({
      memberId: memberExemptions.memberId,
      kind: memberExemptions.kind,
      phaseId: memberExemptions.phaseId,
      from: memberExemptions.fromDate,
      to: memberExemptions.toDate,
    })
    .from(memberExemptions)
    .where(and(eq(memberExemptions.campaignId, c.id), isNull(memberExemptions.revokedAt)));
  return {
    id: c.id,
    title: c.title,
    timezone: c.timezone,
    excused: exemptions,
    ignoredNudges,
    escalateAfter: c.template.escalateAfterNudges ?? 3,
    urgentEscalation: c.urgentEscalation,
    createdAt: c.createdAt,
    blackouts: c.blackouts,
    nudgeDaysBefore: c.template.nudgeDaysBefore,
    phases,
    branches: branchRows,
    roster,
    responded,
    existingKeys: new Set(keys),
    pledgeAreas: c.template.pledgeAreas.length ? c.template.pledgeAreas : DEFAULT_PLEDGE_AREAS,
    pledges: byPhase,
    pledgeItems: pledgeItemsLoader(db),
    template: c.template,
    ...(holders ? { postHolders: new Set(holders.map((h) => h.memberId)) } : {}),
  };
}
