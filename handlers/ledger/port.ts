// The ledger behind the web edge's download route: a signed grant is checked again when it is used
// (the campaign is the grant's organisation's; the person is still an admin, by BOT_ADMINS or granted
// in the bot, or still the secretary of the branch), then the file is built as it is sent.
import { and, eq } from 'drizzle-orm';
import { isConfiguredAdmin } from '../../bot/config.js';
import type { LedgerPort } from '../../bot/ports.js';
import { prepared } from '../../db/prepared.js';
import { campaigns, members } from '../../db/schema.js';
import { ledgerFile } from './build.js';

export const ledgerPort: LedgerPort = {
  async file({ db, config, clock }, grant) {
    const [campaign] = await db.select().from(campaigns).where(eq(campaigns.id, grant.campaignId));
    if (!campaign || campaign.platform !== grant.platform || campaign.tenantKey !== grant.tenantKey) return null;
    const admin =
      isConfiguredAdmin(config, grant.platform, grant.userId) ||
      (await prepared(db).grantedAdmin.all({ platform: grant.platform, tenantKey: grant.tenantKey, userId: grant.userId })).length > 0;
    if (!admin) {
      if (grant.branchId === null) return null;
      const [me] = await db
        .select()
        .from(members)
        .where(and(eq(members.platform, grant.platform), eq(members.tenantKey, grant.tenantKey), eq(members.userId, grant.userId)));
      if (!me || !me.active || me.role !== 'secretary' || me.branchId !== grant.branchId) return null;
    }
    return ledgerFile(db, campaign, grant.branchId, grant.sheet, clock.now(), config);
  },
};
