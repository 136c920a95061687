// Card actions of pledges: open, submit, edit, report progress, page through the wall.
import { pledgeFormCard, pledgeSubmittedCard, progressFormCard, progressSubmittedCard, PLEDGE_ACTIONS } from '../../cards/pledge-cards.js';
import { InputError } from '../../bot/errors.js';
import type { CardActionEvent } from '../../bot/types.js';
import type { ActionSpec, HandlerContext } from '../../bot/registry.js';
import { replyPrivately } from '../private-card.js';
import { ownerView, pledgeCardFor, progressCardFor, todayIn } from './cards.js';
import { intArg } from '../card-args.js';
import { isPhaseOpen, pledgeScope, resolveOwner, type PledgeScope } from './context.js';
import { findPledge, saveProgress, savePledge } from './store.js';
import { readPledgeForm, readProgressForm } from './validate.js';
import { refreshWall, showWallPage } from './wall.js';

function phaseArg(ctx: HandlerContext<CardActionEvent>): number {
  return intArg(ctx.event.action.args, 'p');
}

/** Pledges are written only in pledge phases; progress only in the 践诺 phase that checks them. */
function requireKind(scope: PledgeScope, want: 'pledge' | 'check'): void {
  const ok = want === 'pledge' ? scope.phase.kind === 'pledge' : scope.phase.pledgePhaseId !== null;
  if (!ok) throw new InputError('卡片', '该卡片已失效，请发送 /承诺 获取新卡片。');
}

const access: ActionSpec['access'] = ['member', 'admin'];

export const pledgeOpen: ActionSpec = {
  ...PLEDGE_ACTIONS.open,
  access,
  async run(ctx) {
    const scope = await pledgeScope(ctx, phaseArg(ctx));
    requireKind(scope, 'pledge');
    const owner = await resolveOwner(ctx, scope.campaign.id, ctx.event.action.args.o ?? 'member', ctx.event.action.args.b);
    return replyPrivately(ctx, await pledgeCardFor(ctx, scope, owner), '承诺卡片');
  },
};

export const pledgeEdit: ActionSpec = {
  ...PLEDGE_ACTIONS.edit,
  access,
  async run(ctx) {
    const scope = await pledgeScope(ctx, phaseArg(ctx));
    requireKind(scope, 'pledge');
    const owner = await resolveOwner(ctx, scope.campaign.id, ctx.event.action.args.o ?? 'member', ctx.event.action.args.b);
    if (!isPhaseOpen(scope.phase, ctx.clock.now())) {
      return { toast: { type: 'error', text: `「${scope.phase.title}」已结束，承诺不能再修改。` } };
    }
    return replyPrivately(ctx, await pledgeCardFor(ctx, scope, owner, true), '承诺卡片');
  },
};

export const pledgeSubmit: ActionSpec = {
  ...PLEDGE_ACTIONS.submit,
  access,
  async run(ctx) {
    const scope = await pledgeScope(ctx, phaseArg(ctx));
    requireKind(scope, 'pledge');
    const now = ctx.clock.now();
    // Refusing without a card keeps what was typed on the user's screen.
    if (!isPhaseOpen(scope.phase, now)) return { toast: { type: 'error', text: `「${scope.phase.title}」已结束，无法再提交承诺。` } };
    const owner = await resolveOwner(ctx, scope.campaign.id, ctx.event.action.args.o ?? 'member', ctx.event.action.args.b);
    const view = await ownerView(ctx, owner);
    const form = readPledgeForm(ctx.event.formValue, scope.areas, todayIn(ctx, scope));
    if (form.errors.length) {
      return {
        toast: { type: 'error', text: `有 ${form.errors.length} 处需要修改` },
        card: pledgeFormCard(scope.view, view, scope.areas, form.draft, form.errors),
      };
    }
    const { pledge, changed } = await savePledge(ctx.db, {
      campaignId: scope.campaign.id,
      phaseId: scope.phase.id,
      owner,
      items: form.items,
      by: ctx.actor.userId,
      now,
    });
    // A resumed run finds its pledge saved (changed is false) but may not have refreshed the wall.
    if ((changed || ctx.resumed) && owner.branchId !== null) ctx.defer(refreshWall(ctx, scope, owner.branchId));
    return {
      toast: { type: 'success', text: changed ? '承诺已提交，已在承诺墙公示' : '承诺未改变' },
      card: pledgeSubmittedCard(scope.view, view, pledge.items, pledge.revision, true),
    };
  },
};

export const pledgeReport: ActionSpec = {
  ...PLEDGE_ACTIONS.report,
  access,
  async run(ctx) {
    const scope = await pledgeScope(ctx, phaseArg(ctx));
    requireKind(scope, 'check');
    const owner = await resolveOwner(ctx, scope.campaign.id, 'member', undefined);
    return replyPrivately(ctx, await progressCardFor(ctx, scope, owner, true), '进度卡片');
  },
};

export const pledgeProgressSubmit: ActionSpec = {
  ...PLEDGE_ACTIONS.progress,
  access,
  async run(ctx) {
    const scope = await pledgeScope(ctx, phaseArg(ctx));
    requireKind(scope, 'check');
    const now = ctx.clock.now();
    if (!isPhaseOpen(scope.phase, now)) return { toast: { type: 'error', text: `「${scope.phase.title}」已结束，无法再报告进度。` } };
    const owner = await resolveOwner(ctx, scope.campaign.id, 'member', undefined);
    if (owner.kind !== 'member' || !scope.phase.pledgePhaseId) throw new InputError('阶段', '本阶段不需要报告承诺进度。');
    const pledge = await findPledge(ctx.db, scope.phase.pledgePhaseId, owner);
    if (!pledge) throw new InputError('承诺', '您在承诺阶段没有提交承诺，无需报告进度。');
    const form = readProgressForm(ctx.event.formValue, pledge.items.length);
    if (form.errors.length) {
      return {
        toast: { type: 'error', text: `有 ${form.errors.length} 处需要修改` },
        card: progressFormCard(scope.view, pledge.id, pledge.items, form.draft, form.errors),
      };
    }
    await saveProgress(ctx.db, { pledgeId: pledge.id, phaseId: scope.phase.id, memberId: owner.memberId, report: form.report, now });
    return { toast: { type: 'success', text: '进度已提交' }, card: progressSubmittedCard(scope.view, pledge.id, pledge.items, form.report) };
  },
};

export const pledgeWallPage: ActionSpec = {
  ...PLEDGE_ACTIONS.wallPage,
  access: ['member', 'admin'],
  async run(ctx) {
    const scope = await pledgeScope(ctx, phaseArg(ctx));
    requireKind(scope, 'pledge');
    const branchId = intArg(ctx.event.action.args, 'b');
    if (!ctx.actor.isAdmin && ctx.actor.member?.branchId !== branchId) {
      return { toast: { type: 'warning', text: '只能翻看本支部的承诺墙。' } };
    }
    const page = Math.max(0, Number(ctx.event.action.args.page) || 0);
    return { card: await showWallPage(ctx, scope, branchId, page) };
  },
};

export const pledgeActions = [pledgeOpen, pledgeEdit, pledgeSubmit, pledgeReport, pledgeProgressSubmit, pledgeWallPage];
