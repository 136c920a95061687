// /sync (/同步): pull the bound chat's members into the branch roster (paged chat-members API).
import { and, eq, inArray, sql } from 'drizzle-orm';
import { pendingCard } from '../cards/roster-cards.js';
import { syncResultCard } from '../cards/sync-card.js';
import { InputError, PlatformApiError } from '../bot/errors.js';
import type { ChatMemberInfo } from '../bot/types.js';
import { members } from '../db/schema.js';
import type { BranchRow, MemberRow } from '../bot/access.js';
import { auditEntry } from './audit.js';
import { pendingOf } from './roster/pending.js';
import type { CommandSpec, HandlerContext } from '../bot/registry.js';

export function requireChatBranch(ctx: HandlerContext): BranchRow {
  const branch = ctx.actor.chatBranch;
  if (!branch) throw new InputError('支部', '本群尚未绑定支部，请管理员先发送 /绑定 <支部名称>。');
  return branch;
}

const CHUNK = 500;

async function rowsFor(ctx: HandlerContext, userIds: string[]): Promise<MemberRow[]> {
  const { db, event } = ctx;
  const rows: MemberRow[] = [];
  for (let i = 0; i < userIds.length; i += CHUNK) {
    rows.push(
      ...(await db
        .select()
        .from(members)
        .where(and(eq(members.platform, event.platform), eq(members.tenantKey, event.tenantKey), inArray(members.userId, userIds.slice(i, i + CHUNK))))),
    );
  }
  return rows;
}

/** Imported people of the branch not yet seen in its chat, by name; a name listed twice links nobody. */
async function awaitingIn(ctx: HandlerContext, branchId: number): Promise<Map<string, number>> {
  const rows = await ctx.db
    .select({ id: members.id, name: members.name })
    .from(members)
    .where(and(eq(members.branchId, branchId), eq(members.awaitingChat, true)));
  const byName = new Map<string, number>();
  const twice = new Set<string>();
  for (const r of rows) {
    if (byName.has(r.name)) twice.add(r.name);
    byName.set(r.name, r.id);
  }
  for (const name of twice) byName.delete(name);
  return byName;
}

export const syncCommand: CommandSpec = {
  name: 'sync',
  aliases: ['同步'],
  usage: '/sync',
  summary: '把本群成员同步到支部名册',
  access: ['admin', 'secretary'],
  changesRoles: true,
  groupOnly: true,
  async run(ctx) {
    const { db, event, api, clock } = ctx;
    const branch = requireChatBranch(ctx);
    const listed = await api.listChatMembers(event.chatId).catch((err: unknown) => {
      // The platform refused (bot not in the chat, scope missing): say what to check, not "处理时出现问题".
      if (err instanceof PlatformApiError && !err.isRetryable) {
        throw new InputError('群成员', api.membersRefusedHint ?? '无法读取本群成员列表：请确认机器人仍在本群中，且应用有读取成员的权限。');
      }
      throw err;
    });
    const people = listed.filter((p: ChatMemberInfo) => !p.tenantKey || p.tenantKey === event.tenantKey);
    const known = new Map(
      (
        await rowsFor(
          ctx,
          people.map((p) => p.userId),
        )
      ).map((r) => [r.userId, r]),
    );
    const imported = await awaitingIn(ctx, branch.id);
    const added: string[] = [];
    const linked: string[] = [];
    const elsewhere: string[] = [];
    let kept = 0;
    const writes = [];
    for (const person of people) {
      const row = known.get(person.userId);
      const listed = row ? undefined : imported.get(person.name);
      if (listed) {
        // The committee's list named this person: they arrive with their 政治面貌, nothing to confirm.
        linked.push(person.name);
        imported.delete(person.name);
        writes.push(db.update(members).set({ userId: person.userId, active: true, awaitingChat: false }).where(eq(members.id, listed)));
        continue;
      }
      if (row?.role === 'leader') continue;
      if (row && row.branchId !== null && row.branchId !== branch.id && row.active) {
        elsewhere.push(row.name);
        continue;
      }
      if (row?.branchId === branch.id && row.active) kept++;
      else added.push(person.name);
      writes.push(
        db
          .insert(members)
          .values({
            platform: event.platform,
            tenantKey: event.tenantKey,
            userId: person.userId,
            name: person.name,
            branchId: branch.id,
            politicalStatus: 'pending',
          })
          .onConflictDoUpdate({
            target: [members.platform, members.tenantKey, members.userId],
            // A secretary elsewhere who moves into this branch arrives as a member.
            set: {
              name: person.name,
              branchId: branch.id,
              active: true,
              role: sql`CASE WHEN ${members.branchId} = ${branch.id} THEN ${members.role} ELSE 'member' END`,
            },
          }),
      );
    }
    const present = new Set(people.map((p) => p.userId));
    const left = (
      await db
        .select()
        .from(members)
        .where(and(eq(members.branchId, branch.id), eq(members.active, true)))
    ).filter((m) => !present.has(m.userId) && m.role !== 'leader');
    if (left.length) {
      writes.push(
        db
          .update(members)
          .set({ active: false })
          .where(
            inArray(
              members.id,
              left.map((m) => m.id),
            ),
          ),
      );
    }
    const total = kept + added.length + linked.length;
    const detail = { added: added.length, linked: linked.length, kept, left: left.length, elsewhere: elsewhere.length };
    await db.batch([auditEntry(db, clock.now(), event, 'branch.sync', branch.name, detail), ...writes]);
    const pending = await pendingOf(db, branch.id);
    // Who is confirmed as what is the secretary's business: the buttons go to them privately.
    const secretaries = pending.length
      ? await db
          .select({ userId: members.userId })
          .from(members)
          .where(and(eq(members.branchId, branch.id), eq(members.role, 'secretary'), eq(members.active, true)))
      : [];
    const card = pendingCard(branch.name, branch.id, pending);
    for (const { userId } of secretaries) ctx.send({ type: 'user', id: userId }, { kind: 'card', card }, `sync-pending:${event.eventId}:${userId}`);
    return {
      card: syncResultCard({
        branchName: branch.name,
        added,
        linked,
        kept,
        left: left.map((m) => m.name),
        elsewhere,
        total,
        pending,
        secretaryTold: secretaries.length > 0,
      }),
    };
  },
};
