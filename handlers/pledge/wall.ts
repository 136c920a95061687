// The branch's pledge wall: one card in the group chat, posted with the first pledge, patched after.
import { and, eq } from 'drizzle-orm';
import { paginateWall, pledgeWallCard, wallPageBytes, wallSupersededCard, type WallEntry } from '../../cards/pledge-cards.js';
import type { CardModel } from '../../cards/model.js';
import { pledgeWalls } from '../../db/schema.js';
import type { HandlerContext } from '../../bot/registry.js';
import type { PledgeScope } from './context.js';
import { branchPledges, branchRoster, findPledge } from './store.js';
import { branchById } from '../branches.js';

export async function buildWall(
  ctx: HandlerContext,
  scope: PledgeScope,
  branchId: number,
  page: number,
): Promise<{ card: CardModel; chatId: string | null; entries: number }> {
  const branch = await branchById(ctx.db, branchId);
  const pledged = await branchPledges(ctx.db, scope.phase.id, branchId);
  const roster = (await branchRoster(ctx.db, scope.campaign.id, branchId)).filter((r) => r.role !== 'leader');
  const entries: WallEntry[] = pledged.map((p) => ({ name: p.name, items: p.pledge.items }));
  const own = await findPledge(ctx.db, scope.phase.id, { kind: 'branch', branchId });
  const card = pledgeWallCard(
    { phaseId: scope.phase.id, branchId, branchName: branch.name, campaignTitle: scope.campaign.title, phaseTitle: scope.phase.title },
    own ? { name: branch.name, items: own.items } : null,
    paginateWall(entries, wallPageBytes(ctx.limits.cardBytes)),
    page,
    { pledged: entries.length, expected: roster.length },
  );
  return { card, chatId: branch.chatId, entries: entries.length };
}

/** A wall is re-posted this long before the platform stops letting it be updated (the old one can still be marked). */
const REPOST_MARGIN_MS = 24 * 3600_000;

/**
 * Posts the wall the first time, then updates the same message in place (never one message per
 * pledge). A platform updates a message only for so long (Feishu: 14 days): a wall nearing that age
 * is posted anew and the old message marked as superseded, pointing to the new one.
 */
export async function refreshWall(ctx: HandlerContext, scope: PledgeScope, branchId: number): Promise<void> {
  const { db, api } = ctx;
  const where = and(eq(pledgeWalls.phaseId, scope.phase.id), eq(pledgeWalls.branchId, branchId));
  const [wall] = await db.select().from(pledgeWalls).where(where);
  const built = await buildWall(ctx, scope, branchId, wall?.page ?? 0);
  if (!built.chatId) return;
  const now = ctx.clock.now();
  const window = ctx.limits.updateWindowMs;
  // A wall from before posted_at was kept was posted in this phase: its opening is the oldest it can be.
  const postedAt = wall ? (wall.postedAt ?? scope.phase.opensAt) : null;
  if (wall && (!window || now.getTime() - postedAt!.getTime() < window - REPOST_MARGIN_MS)) {
    await api.updateCard(wall.messageId, built.card);
    return;
  }
  const key = wall ? `wall:${scope.phase.id}:${branchId}:after:${wall.messageId}` : `wall:${scope.phase.id}:${branchId}`;
  const { messageId } = await api.send({ type: 'chat', id: built.chatId }, { kind: 'card', card: built.card }, key);
  if (wall) {
    await db
      .update(pledgeWalls)
      .set({ messageId, postedAt: now })
      .where(and(where, eq(pledgeWalls.messageId, wall.messageId)));
    await api.updateCard(wall.messageId, wallSupersededCard(built.card.title));
    return;
  }
  await db.insert(pledgeWalls).values({ phaseId: scope.phase.id, branchId, messageId, postedAt: now }).onConflictDoNothing();
  // A pledge that arrived while the wall was being posted is on the wall after this update.
  const again = await buildWall(ctx, scope, branchId, 0);
  if (again.entries !== built.entries) await api.updateCard(messageId, again.card);
}

export async function showWallPage(ctx: HandlerContext, scope: PledgeScope, branchId: number, page: number): Promise<CardModel> {
  await ctx.db
    .update(pledgeWalls)
    .set({ page })
    .where(and(eq(pledgeWalls.phaseId, scope.phase.id), eq(pledgeWalls.branchId, branchId)));
  return (await buildWall(ctx, scope, branchId, page)).card;
}
