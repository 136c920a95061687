// Resolving who pledges for what: the phase, its campaign, the owner (a member or their branch).
import { and, eq, isNull } from 'drizzle-orm';
import { DEFAULT_PLEDGE_AREAS } from '../../bot/campaign/pledge-areas.js';
import { phaseWithCampaign, type CampaignRow } from '../../bot/engine/store.js';
import type { PhaseState } from '../../bot/campaign/state.js';
import { InputError } from '../../bot/errors.js';
import { formatDeadline } from '../../bot/time.js';
import { campaignRoster } from '../../db/schema.js';
import type { HandlerContext } from '../../bot/registry.js';
import type { Owner } from './store.js';

export interface PledgeScope {
  phase: PhaseState;
  campaign: CampaignRow;
  areas: string[];
  view: { id: number; campaignTitle: string; phaseTitle: string; closes: string };
}

export async function pledgeScope(ctx: HandlerContext, phaseId: number): Promise<PledgeScope> {
  const found = await phaseWithCampaign(ctx.db, phaseId);
  if (found?.campaign.status !== 'active') throw new InputError('活动', '该活动已结束或已停止。');
  const { phase, campaign } = found;
  return {
    phase,
    campaign,
    areas: campaign.template.pledgeAreas.length ? campaign.template.pledgeAreas : DEFAULT_PLEDGE_AREAS,
    view: { id: phase.id, campaignTitle: campaign.title, phaseTitle: phase.title, closes: formatDeadline(phase.closesAt, campaign.timezone) },
  };
}

export function isPhaseOpen(phase: PhaseState, now: Date): boolean {
  return phase.opensAt <= now && now < phase.closesAt;
}

/** The owner a card action or command acts for: always the sender, or the sender's branch. */
export async function resolveOwner(ctx: HandlerContext, campaignId: number, kind: string, branchArg: string | undefined): Promise<Owner> {
  const member = ctx.actor.member;
  if (kind === 'branch') {
    const branchId = Number(branchArg ?? member?.branchId);
    const isSecretary = member?.role === 'secretary' && member.active && member.branchId === branchId;
    if (!Number.isInteger(branchId) || !(isSecretary || ctx.actor.isAdmin)) {
      throw new InputError('支部', '只有本支部书记可以填写或修改支部承诺。');
    }
    return { kind: 'branch', branchId };
  }
  if (!member) throw new InputError('名册', '您还不在支部名册中，请联系支部书记在群里发送 /同步。');
  const [onRoster] = await ctx.db
    .select({ memberId: campaignRoster.memberId })
    .from(campaignRoster)
    .where(and(eq(campaignRoster.campaignId, campaignId), eq(campaignRoster.memberId, member.id), isNull(campaignRoster.removedAt)));
  if (!onRoster || member.role === 'leader') throw new InputError('名册', '您不在本次活动需要承诺的名单中。');
  return { kind: 'member', memberId: member.id, branchId: member.branchId };
}
