// The ledger behind the web edge's download route: a signed grant is checked again when it is used
// (the campaign is the grant's organisation's; the person is still an admin, by BOT_ADMINS or granted
// in the bot, or still the secretary of the branch), then the file is built as it is sent.
import { eq } from 'drizzle-orm';
import type { LedgerPort } from '../../bot/ports.js';
import { campaigns } from '../../db/schema.js';
import { holderStillMay } from '../grant-holder.js';
import { ledgerFile } from './build.js';

export const ledgerPort: LedgerPort = {
  async file({ db, config, clock }, grant) {
    const [campaign] = await db.select().from(campaigns).where(eq(campaigns.id, grant.campaignId));
    if (!campaign || campaign.platform !== grant.platform || campaign.tenantKey !== grant.tenantKey) return null;
    if (!(await holderStillMay(db, config, grant))) return null;
    return ledgerFile(db, campaign, grant.branchId, grant.sheet, clock.now(), config);
  },
};
