// The branch's pledge wall: one card in the group chat, posted with the first pledge, patched after.
import { and, eq } from 'drizzle-orm';
import { paginateWall, pledgeWallCard, wallPageBytes, type WallEntry } from '../../cards/pledge-cards.js';
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

/** Posts the wall the first time, then updates the same message in place (never one message per pledge). */
export async function refreshWall(ctx: HandlerContext, scope: PledgeScope, branchId: number): Promise<void> {
  const { db, api } = ctx;
  const where = and(eq(pledgeWalls.phaseId, scope.phase.id), eq(pledgeWalls.branchId, branchId));
  const [wall] = await db.select().from(pledgeWalls).where(where);
  const built = await buildWall(ctx, scope, branchId, wall?.page ?? 0);
  if (!built.chatId) return;
  if (wall) {
    await api.updateCard(wall.messageId, built.card);
    return;
  }
  const { messageId } = await api.send({ type: 'chat', id: built.chatId }, { kind: 'card', card: built.card }, `wall:${scope.phase.id}:${branchId}`);
  await db.insert(pledgeWalls).values({ phaseId: scope.phase.id, branchId, messageId }).onConflictDoNothing();
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
