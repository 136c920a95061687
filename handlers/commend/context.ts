// What a /表彰 command acts on: the sender's newest campaign (a finished one too: results outlive the
// campaign), the round whose 评选表彰 it is, its formula and its commendation row.
import { and, desc, eq } from 'drizzle-orm';
import type { ResultsSpec } from '../../bot/campaign/results.js';
import { phasesOf, type CampaignRow } from '../../bot/engine/store.js';
import { InputError } from '../../bot/errors.js';
import type { HandlerContext } from '../../bot/registry.js';
import type { Db } from '../../db/client.js';
import { campaigns } from '../../db/schema.js';
import { resultsSpecOf } from '../results/compute.js';
import { ensureCommendation, type CommendationRow } from './store.js';

export interface CommendContext {
  campaign: CampaignRow;
  spec: ResultsSpec;
  round: number;
  commendation: CommendationRow;
}

/**
 * The campaign a command names by number ("3", "#3"), else the newest active one, else the newest
 * finished or stopped one: results, 公示 and the ledger outlive the campaign.
 */
export async function campaignFor(ctx: HandlerContext, arg?: string): Promise<CampaignRow> {
  const rows = await ctx.db
    .select()
    .from(campaigns)
    .where(and(eq(campaigns.platform, ctx.event.platform), eq(campaigns.tenantKey, ctx.event.tenantKey)))
    .orderBy(desc(campaigns.id));
  const n = arg ? /^[#＃]?(\d{1,9})$/.exec(arg.trim()) : null;
  if (n) {
    const named = rows.find((c) => c.id === Number(n[1]));
    if (!named) throw new InputError('活动', `没有编号为 ${n[1]} 的活动。发送 /活动 历史 查看所有活动。`);
    return named;
  }
  const row = rows.find((c) => c.status === 'active') ?? rows[0];
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
