// Who the committee (党委) is: the roster's leaders of an organisation, not a config list; and the
// administrators BOT_ADMINS names for a platform.
import { and, eq, or } from 'drizzle-orm';
import type { Config } from '../bot/config.js';
import type { HandlerContext } from '../bot/registry.js';
import type { Db } from '../db/client.js';
import { members } from '../db/schema.js';

/** The organisation's active 党委委员. */
export function committeeMembers(db: Db, platform: string, tenantKey: string) {
  return db
    .select({ id: members.id, userId: members.userId, name: members.name })
    .from(members)
    .where(
      and(
        eq(members.platform, platform),
        eq(members.tenantKey, tenantKey),
        or(eq(members.role, 'leader'), eq(members.committee, true)),
        eq(members.active, true),
      ),
    );
}

export async function committeeUserIds(ctx: HandlerContext): Promise<string[]> {
  return (await committeeMembers(ctx.db, ctx.event.platform, ctx.event.tenantKey)).map((r) => r.userId);
}

/** The user ids BOT_ADMINS names for a platform ("feishu:ou_…" → "ou_…"). */
export function configuredAdminIds(config: Config, platform: string): string[] {
  return [...config.admins].filter((a) => a.startsWith(`${platform}:`)).map((a) => a.slice(platform.length + 1));
}
