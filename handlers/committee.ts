// Who the committee (党委) is: the roster's leaders of the sender's organisation, not a config list.
import { and, eq } from 'drizzle-orm';
import type { HandlerContext } from '../bot/registry.js';
import { members } from '../db/schema.js';

export async function committeeUserIds(ctx: HandlerContext): Promise<string[]> {
  const rows = await ctx.db
    .select({ userId: members.userId })
    .from(members)
    .where(and(eq(members.platform, ctx.event.platform), eq(members.tenantKey, ctx.event.tenantKey), eq(members.role, 'leader'), eq(members.active, true)));
  return rows.map((r) => r.userId);
}
