// What a /表彰 command acts on: the sender's newest campaign (a finished one too: results outlive the
// campaign), the round whose 评选表彰 it is, its formula and its commendation row.
import type { ResultsSpec } from '../../bot/campaign/results.js';
import { phasesOf, type CampaignRow } from '../../bot/engine/store.js';
import { InputError } from '../../bot/errors.js';
import type { HandlerContext } from '../../bot/registry.js';
import type { Db } from '../../db/client.js';
import { resultsSpecOf } from '../results/compute.js';
import { campaignsOf, currentCampaign, pickCampaign } from '../campaign/current.js';
import { ensureCommendation, type CommendationRow } from './store.js';

export interface CommendContext {
  campaign: CampaignRow;
  spec: ResultsSpec;
  round: number;
  commendation: CommendationRow;
}

/**
 * The campaign a command names (活动:<编号|名称>, or a bare number), else the running one, else the
 * newest finished or stopped one: results, 公示 and the ledger outlive the campaign.
 */
export async function campaignFor(ctx: HandlerContext, arg?: string): Promise<CampaignRow> {
  const rows = await campaignsOf(ctx);
  const ref = arg ?? (ctx.event.kind === 'command' ? ctx.event.campaign : undefined);
  if (ref) return pickCampaign(rows, ref);
  const running = rows.filter((c) => c.status === 'active');
  if (running.length > 1) return currentCampaign(ctx);
  const row = running[0] ?? rows[0];
  if (!row) throw new InputError('活动', '还没有活动。管理员可发送 /活动 新建 <模板> [开始日期] 开始。');
  return row;
}

/** The commendation of the campaign's latest opened 评选表彰 round (round 1 before any); null without a formula. */
export async function contextOf(db: Db, campaign: CampaignRow, by: string, now: Date): Promise<CommendContext | null> {
  const spec = resultsSpecOf(campaign);
  if (!spec) return null;
  const commend = (await phasesOf(db, campaign.id)).filter((p) => p.kind === 'commend' && p.opensAt <= now).sort((a, b) => b.seq - a.seq)[0];
  const round = commend?.round ?? 1;
  const commendation = await ensureCommendation(db, {
    campaignId: campaign.id,
    round,
    formula: `${spec.id}@${spec.version}`,
    publicityDays: spec.publicityDays,
    by,
    now,
  });
  return { campaign, spec, round, commendation };
}

export async function commendContext(ctx: HandlerContext, arg?: string): Promise<CommendContext> {
  const campaign = await campaignFor(ctx, arg);
  const cc = await contextOf(ctx.db, campaign, ctx.actor.userId, ctx.clock.now());
  if (!cc) throw new InputError('活动', `「${campaign.title}」的模板没有规定评选办法。`);
  return cc;
}
