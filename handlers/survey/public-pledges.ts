// The pledges a branch has made public (公开亮出承诺，自觉接受服务对象监督), as the survey page shows them to
// the people served: the branch's own pledge and its members', from the latest pledge phase that has
// opened. Members are not named on the public page (no template asks for names there yet).
import { and, desc, eq, lte } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { campaignPhases, campaigns, pledges } from '../../db/schema.js';
/** Whose pledges: a branch (its own and its members'), or one member's post. */
export interface PledgeOwner {
  platform: string;
  tenantKey: string;
  branchId: number;
  memberId: number | null;
}

export interface PublicPledges {
  branch: string[] | null;
  members: string[][];
}

const line = (i: { area: string; promise: string; due: string }) => `【${i.area}】${i.promise}（计划 ${i.due} 前完成）`;

export async function publicPledges(db: Db, survey: PledgeOwner, now: Date): Promise<PublicPledges | null> {
  const [phase] = await db
    .select({ id: campaignPhases.id })
    .from(campaignPhases)
    .innerJoin(campaigns, eq(campaigns.id, campaignPhases.campaignId))
    .where(
      and(
        eq(campaigns.platform, survey.platform),
        eq(campaigns.tenantKey, survey.tenantKey),
        eq(campaigns.status, 'active'),
        eq(campaignPhases.kind, 'pledge'),
        lte(campaignPhases.opensAt, now),
      ),
    )
    .orderBy(desc(campaignPhases.opensAt))
    .limit(1);
  if (!phase) return null;
  const rows = await db
    .select({ kind: pledges.kind, items: pledges.items, memberId: pledges.memberId })
    .from(pledges)
    .where(and(eq(pledges.phaseId, phase.id), eq(pledges.branchId, survey.branchId)))
    .orderBy(pledges.id);
  if (survey.memberId !== null) {
    // A post's page is its holder's own: the plaque names them, and shows their pledge.
    const own = rows.find((r) => r.memberId === survey.memberId);
    return own ? { branch: null, members: [own.items.map(line)] } : null;
  }
  if (!rows.length) return null;
  const own = rows.find((r) => r.kind === 'branch');
  return { branch: own ? own.items.map(line) : null, members: rows.filter((r) => r.kind === 'member').map((r) => r.items.map(line)) };
}
