// Held model posts (awarded, not revoked) across an organisation's campaigns, their semester
// re-checks, and 撤销.
import { and, asc, desc, eq, inArray, isNotNull, isNull, like, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { branches, campaigns, members, outbox, postDeclarations, postRechecks, semesters } from '../../db/schema.js';
import type { Org } from './calendar.js';

export interface HeldPost {
  declarationId: number;
  campaignId: number;
  campaignTitle: string;
  platform: string;
  tenantKey: string;
  memberId: number;
  userId: string;
  name: string;
  active: boolean;
  branchId: number | null;
  branchName: string;
  postKind: string;
  awardedAt: Date;
  revokedAt: Date | null;
  revokedBy: string | null;
  revokeReason: string | null;
}

export interface HeldFilter {
  org?: Org;
  /** Revoked posts too (the list of past titles, the ledger). */
  revoked?: boolean;
  declarationIds?: number[];
  /** Only posts without a re-check in this semester (by id). */
  notRecheckedIn?: number;
}

const heldColumns = {
  declarationId: postDeclarations.id,
  campaignId: campaigns.id,
  campaignTitle: campaigns.title,
  platform: campaigns.platform,
  tenantKey: campaigns.tenantKey,
  memberId: members.id,
  userId: members.userId,
  name: members.name,
  active: members.active,
  branchId: members.branchId,
  branchName: branches.name,
  postKind: postDeclarations.postKind,
  awardedAt: postDeclarations.awardedAt,
  revokedAt: postDeclarations.revokedAt,
  revokedBy: postDeclarations.revokedBy,
  revokeReason: postDeclarations.revokeReason,
};

function heldPost<R extends { branchName: string | null; awardedAt: Date | null }>(r: R): R & { branchName: string; awardedAt: Date } {
  return { ...r, branchName: r.branchName ?? '未分支部', awardedAt: r.awardedAt! };
}

export async function heldPosts(db: Db, f: HeldFilter): Promise<HeldPost[]> {
  const where: SQL[] = [isNotNull(postDeclarations.awardedAt)];
  if (!f.revoked) where.push(isNull(postDeclarations.revokedAt));
  if (f.org) where.push(eq(campaigns.platform, f.org.platform), eq(campaigns.tenantKey, f.org.tenantKey));
  if (f.declarationIds) where.push(inArray(postDeclarations.id, f.declarationIds.length ? f.declarationIds : [-1]));
  if (f.notRecheckedIn !== undefined) {
    where.push(
      sql`NOT EXISTS (SELECT 1 FROM ${postRechecks} WHERE ${postRechecks.semesterId} = ${f.notRecheckedIn} AND ${postRechecks.declarationId} = ${postDeclarations.id})`,
    );
  }
  const rows = await db
    .select(heldColumns)
    .from(postDeclarations)
    .innerJoin(campaigns, eq(campaigns.id, postDeclarations.campaignId))
    .innerJoin(members, eq(members.id, postDeclarations.memberId))
    .leftJoin(branches, eq(branches.id, members.branchId))
    .where(and(...where))
    .orderBy(asc(members.branchId), asc(postDeclarations.id));
  return rows.map(heldPost);
}

/** The posts re-checked in these phases (revoked since included), each with its phase. */
export async function recheckedPosts(db: Db, phaseIds: number[]): Promise<Array<HeldPost & { phaseId: number }>> {
  if (!phaseIds.length) return [];
  const rows = await db
    .select({ ...heldColumns, phaseId: postRechecks.phaseId })
    .from(postRechecks)
    .innerJoin(postDeclarations, eq(postDeclarations.id, postRechecks.declarationId))
    .innerJoin(campaigns, eq(campaigns.id, postDeclarations.campaignId))
    .innerJoin(members, eq(members.id, postDeclarations.memberId))
    .leftJoin(branches, eq(branches.id, members.branchId))
    .where(inArray(postRechecks.phaseId, phaseIds))
    .orderBy(asc(members.branchId), asc(postDeclarations.id));
  return rows.map(heldPost);
}

export type RecheckRow = typeof postRechecks.$inferSelect;

/** Each post's re-checks, newest semester first. */
export async function rechecksOf(db: Db, declarationIds: number[]) {
  if (!declarationIds.length) return [];
  return db
    .select({ recheck: postRechecks, semester: semesters })
    .from(postRechecks)
    .innerJoin(semesters, eq(semesters.id, postRechecks.semesterId))
    .where(inArray(postRechecks.declarationId, declarationIds))
    .orderBy(desc(semesters.schoolYear), desc(semesters.term));
}

/**
 * The statement that cancels what is still queued for a revoked post's re-checks: its holder's forms
 * and reminders, and the committee's invitations to score it.
 */
export function cancelRecheckSends(db: Db, post: Pick<HeldPost, 'campaignId' | 'memberId'>, phaseIds: number[]) {
  const patterns = phaseIds.flatMap((p) => [`c${post.campaignId}:p${p}:%:${post.memberId}`, `recheck:p${p}:invite:${post.memberId}:%`]);
  return db
    .update(outbox)
    .set({ status: 'cancelled' })
    .where(and(eq(outbox.status, 'pending'), or(...(patterns.length ? patterns : ['-']).map((p) => like(outbox.dedupeKey, p)))));
}
