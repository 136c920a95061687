// Semester re-checks of held posts (handlers/posts) run in phases of the campaign that awarded the
// post, which may have finished: what the assessment needs to know about them.
import { and, asc, eq, gt, isNull, lte } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { campaignPhases, campaigns, postDeclarations, postRechecks } from '../../db/schema.js';

/** A phase some held post is re-checked in: answered even after its campaign ended. */
export async function isRecheckPhase(db: Db, phaseId: number): Promise<boolean> {
  const rows = await db.select({ id: postRechecks.id }).from(postRechecks).where(eq(postRechecks.phaseId, phaseId)).limit(1);
  return rows.length > 0;
}

/** The open re-check phases of an organisation (of one holder, given `memberId`), oldest first. */
export async function openRecheckPhases(db: Db, org: { platform: string; tenantKey: string }, now: Date, memberId?: number): Promise<number[]> {
  const rows = await db
    .selectDistinct({ phaseId: postRechecks.phaseId })
    .from(postRechecks)
    .innerJoin(campaignPhases, eq(campaignPhases.id, postRechecks.phaseId))
    .innerJoin(postDeclarations, eq(postDeclarations.id, postRechecks.declarationId))
    .innerJoin(campaigns, eq(campaigns.id, postRechecks.campaignId))
    .where(
      and(
        eq(campaigns.platform, org.platform),
        eq(campaigns.tenantKey, org.tenantKey),
        lte(campaignPhases.opensAt, now),
        gt(campaignPhases.closesAt, now),
        isNull(postDeclarations.revokedAt),
        ...(memberId === undefined ? [] : [eq(postRechecks.memberId, memberId)]),
      ),
    )
    .orderBy(asc(postRechecks.phaseId));
  return rows.map((r) => r.phaseId);
}
