// /名册 导入: a signed, expiring link to the import page, sent privately (it lets its holder change the roster).
import { eq } from 'drizzle-orm';
import { InputError } from '../../bot/errors.js';
import type { RosterImportGrant } from '../../bot/ports.js';
import type { HandlerContext } from '../../bot/registry.js';
import { formatLocal } from '../../bot/time.js';
import type { CommandEvent, Reply } from '../../bot/types.js';
import { rosterImportCard } from '../../cards/roster-cards.js';
import { branches } from '../../db/schema.js';
import { auditEntry } from '../audit.js';

const LINK_HOURS = 2;

export async function rosterImportReply(ctx: HandlerContext<CommandEvent>): Promise<Reply> {
  const url = ctx.pages?.rosterImportUrl;
  if (!url) throw new InputError('配置', '名册导入通过网页完成，管理员尚未配置网页链接（WEB_LINK_SECRET），请联系管理员。');
  const branchId = ctx.actor.isAdmin ? null : (ctx.actor.member?.branchId ?? null);
  if (branchId === null && !ctx.actor.isAdmin) throw new InputError('支部', '您不在任何支部的名册中。');
  const [branch] = branchId === null ? [] : await ctx.db.select({ name: branches.name }).from(branches).where(eq(branches.id, branchId));
  const now = ctx.clock.now();
  const grant: RosterImportGrant = {
    platform: ctx.event.platform,
    tenantKey: ctx.event.tenantKey,
    userId: ctx.actor.userId,
    branchId,
    expiresAt: new Date(now.getTime() + LINK_HOURS * 3600_000),
  };
  await auditEntry(ctx.db, now, ctx.event, 'roster.import.link', branchId === null ? 'all' : `branch:${branchId}`);
  const card = rosterImportCard({ scope: branch?.name ?? '全部支部', url: url(grant), expires: formatLocal(grant.expiresAt, ctx.config.timezone) });
  if (ctx.event.chatType === 'group') {
    ctx.send({ type: 'user', id: ctx.actor.userId }, { kind: 'card', card }, `roster-import:${ctx.event.eventId}`);
    return { text: '名册导入链接已私信发送给您。' };
  }
  return { card };
}
