// Who the committee (党委) is: the roster's leaders of an organisation, not a config list; and the
// administrators BOT_ADMINS names for a platform.
import { and, eq, isNull, or } from 'drizzle-orm';
import type { Config } from '../bot/config.js';
import type { HandlerContext } from '../bot/registry.js';
import type { Db } from '../db/client.js';
import { botAdmins, members } from '../db/schema.js';

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

/** Every administrator of an organisation: BOT_ADMINS' for its platform and those granted in the bot (not revoked). */
export async function adminIdsOf(db: Db, config: Config, platform: string, tenantKey: string): Promise<string[]> {
  const granted = await db
    .select({ userId: botAdmins.userId })
    .from(botAdmins)
    .where(and(eq(botAdmins.platform, platform), eq(botAdmins.tenantKey, tenantKey), isNull(botAdmins.revokedAt)));
  return [...new Set([...configuredAdminIds(config, platform), ...granted.map((g) => g.userId)])];
}
