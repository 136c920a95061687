// Which pledge card a person should see now: the form, their submitted pledge, or the progress report.
import { pledgeFormCard, pledgeSubmittedCard, progressFormCard, progressSubmittedCard, type PledgeOwnerView } from '../../cards/pledge-cards.js';
import type { CardModel } from '../../cards/model.js';
import { InputError } from '../../bot/errors.js';
import { localDate } from '../../bot/time.js';
import type { HandlerContext } from '../../bot/registry.js';
import { isPhaseOpen, type PledgeScope } from './context.js';
import { findPledge, progressOf, type Owner } from './store.js';
import type { ProgressKey } from '../../cards/pledge-cards.js';
import { branchById } from '../branches.js';

export async function ownerView(ctx: HandlerContext, owner: Owner): Promise<PledgeOwnerView> {
  if (owner.kind === 'member') return { kind: 'member', label: ctx.actor.member?.name ?? '' };
  return { kind: 'branch', branchId: owner.branchId, label: (await branchById(ctx.db, owner.branchId)).name };
}

/** The pledge card for an owner: submitted (with edit while open) or the empty form. */
export async function pledgeCardFor(ctx: HandlerContext, scope: PledgeScope, owner: Owner, editing = false): Promise<CardModel> {
  const open = isPhaseOpen(scope.phase, ctx.clock.now());
  const existing = await findPledge(ctx.db, scope.phase.id, owner);
  const view = await ownerView(ctx, owner);
  if (existing && (!editing || !open)) return pledgeSubmittedCard(scope.view, view, existing.items, existing.revision, open);
  if (!open) throw new InputError('阶段', `「${scope.phase.title}」不在进行中，无法填写承诺。`);
  return pledgeFormCard(scope.view, view, scope.areas, { items: existing?.items ?? [] });
}

/** The progress card of the sender's own pledge for a check phase. */
export async function progressCardFor(ctx: HandlerContext, checkScope: PledgeScope, owner: Owner, editing = false): Promise<CardModel> {
  const pledgePhaseId = checkScope.phase.pledgePhaseId;
  if (!pledgePhaseId) throw new InputError('阶段', '本阶段不需要报告承诺进度。');
  const pledge = await findPledge(ctx.db, pledgePhaseId, owner);
  if (!pledge) throw new InputError('承诺', '您在承诺阶段没有提交承诺，无需报告进度。如有疑问请联系支部书记。');
  const rows = await progressOf(ctx.db, pledge.id, checkScope.phase.id);
  const report = rows.map((r) => ({ status: r.status as ProgressKey, note: r.note }));
  const open = isPhaseOpen(checkScope.phase, ctx.clock.now());
  if (rows.length && (!editing || !open)) return progressSubmittedCard(checkScope.view, pledge.id, pledge.items, report);
  if (!open) throw new InputError('阶段', `「${checkScope.phase.title}」不在进行中，无法报告进度。`);
  return progressFormCard(checkScope.view, pledge.id, pledge.items, report);
}

export function todayIn(ctx: HandlerContext, scope: PledgeScope): string {
  return localDate(ctx.clock.now(), scope.campaign.timezone);
}
