// A signed link is checked again when it is used: its holder is still an administrator (BOT_ADMINS or
// granted in the bot), or still the secretary of the branch it names.
import { and, eq } from 'drizzle-orm';
import { isConfiguredAdmin, type Config } from '../bot/config.js';
import type { Db } from '../db/client.js';
import { prepared } from '../db/prepared.js';
import { members } from '../db/schema.js';

export interface LinkHolder {
  platform: string;
  tenantKey: string;
  userId: string;
  /** null: the whole organisation (only an administrator). */
  branchId: number | null;
}

export async function holderStillMay(db: Db, config: Config, h: LinkHolder): Promise<boolean> {
  const admin =
    isConfiguredAdmin(config, h.platform, h.userId) ||
    (await prepared(db).grantedAdmin.all({ platform: h.platform, tenantKey: h.tenantKey, userId: h.userId })).length > 0;
  if (admin) return true;
  if (h.branchId === null) return false;
  const [me] = await db
    .select()
    .from(members)
    .where(and(eq(members.platform, h.platform), eq(members.tenantKey, h.tenantKey), eq(members.userId, h.userId)));
  return !!me && me.active && me.role === 'secretary' && me.branchId === h.branchId;
}
