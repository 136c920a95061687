// Loads what every sheet shares: the campaign's phases, the branches in scope, and names of
// branches and members (one query each), so sheets join in memory rather than per row.
import { and, eq, inArray } from 'drizzle-orm';
import type { CampaignRow } from '../../bot/engine/store.js';
import { phasesOf } from '../../bot/engine/store.js';
import { formatLocal } from '../../bot/time.js';
import type { Db } from '../../db/client.js';
import { branches, campaignRoster, members } from '../../db/schema.js';
import type { LedgerSource } from './sheet.js';
import type { Config } from '../../bot/config.js';

/** `branchId` null: the whole committee; else one branch (a secretary's ledger). */
export async function ledgerSource(
  db: Db,
  campaign: CampaignRow,
  branchId: number | null,
  config: Config | null = null,
  now: Date = new Date(),
): Promise<LedgerSource> {
  const phases = await phasesOf(db, campaign.id);
  const rosterBranches = await db.selectDistinct({ id: campaignRoster.branchId }).from(campaignRoster).where(eq(campaignRoster.campaignId, campaign.id));
  const all = rosterBranches.map((r) => r.id).filter((id): id is number => id !== null);
  const branchIds = branchId === null ? all : [branchId];
  const branchRows =
    all.length || branchId !== null
      ? await db
          .select({ id: branches.id, name: branches.name })
          .from(branches)
          .where(inArray(branches.id, [...new Set([...all, ...branchIds])]))
      : [];
  const memberRows = await db
    .select({ id: members.id, name: members.name })
    .from(campaignRoster)
    .innerJoin(members, eq(members.id, campaignRoster.memberId))
    .where(eq(campaignRoster.campaignId, campaign.id));
  const people = await db
    .select({ userId: members.userId, name: members.name })
    .from(members)
    .where(and(eq(members.platform, campaign.platform), eq(members.tenantKey, campaign.tenantKey)));
  const userNames = new Map(people.map((p) => [p.userId, p.name]));
  const branchNames = new Map(branchRows.map((b) => [b.id, b.name]));
  const memberNames = new Map(memberRows.map((m) => [m.id, m.name]));
  const phaseTitles = new Map(phases.map((p) => [p.id, p.title]));
  return {
    db,
    config,
    now,
    campaign,
    phases,
    branchIds: branchIds.sort((a, b) => a - b),
    whole: branchId === null,
    branchName: (id) => (id === null ? '党委' : (branchNames.get(id) ?? `支部${id}`)),
    memberName: (id) => (id === null ? '' : (memberNames.get(id) ?? `成员${id}`)),
    phaseTitle: (id) => (id === null ? '' : (phaseTitles.get(id) ?? '')),
    userName: (userId) => userNames.get(userId) ?? userId,
    time: (at) => (at ? formatLocal(at, campaign.timezone) : ''),
  };
}
