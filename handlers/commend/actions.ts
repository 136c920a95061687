// The buttons of the results card (提名 / 撤回) and the committee member's vote form.
import { COMMEND_ACTIONS } from '../../cards/commend-cards.js';
import { InputError } from '../../bot/errors.js';
import type { ActionSpec, HandlerContext } from '../../bot/registry.js';
import type { CardActionEvent } from '../../bot/types.js';
import { intArg } from '../card-args.js';
import { resultsReply } from './command.js';
import type { CommendContext } from './context.js';
import { commendationById } from './store.js';
import { eq } from 'drizzle-orm';
import { campaigns } from '../../db/schema.js';
import { resultsSpecOf } from '../results/compute.js';
import { recordVote } from './decide.js';
import { findTitle, nominateOne, resultsOf, withdrawOne } from './nominate.js';

/** The commendation a button names, if it belongs to the sender's organisation (any of its campaigns). */
async function buttonContext(ctx: HandlerContext<CardActionEvent>): Promise<CommendContext> {
  const c = await commendationById(ctx.db, intArg(ctx.event.action.args, 'c'));
  const [campaign] = c ? await ctx.db.select().from(campaigns).where(eq(campaigns.id, c.campaignId)) : [];
  const spec = campaign ? resultsSpecOf(campaign) : null;
  if (!c || !campaign || !spec || campaign.platform !== ctx.event.platform || campaign.tenantKey !== ctx.event.tenantKey) {
    throw new InputError('卡片', '这张卡片已失效，请发送 /表彰 重新查看。');
  }
  return { campaign, spec, round: c.round, commendation: c };
}

export const nominateAction: ActionSpec = {
  ...COMMEND_ACTIONS.nominate,
  access: ['admin'],
  async run(ctx) {
    const cc = await buttonContext(ctx);
    const results = await resultsOf(ctx, cc);
    const t = findTitle(results, ctx.event.action.args.t);
    const text = await nominateOne(ctx, cc, t, intArg(ctx.event.action.args, 's'));
    const { card } = await resultsReply(ctx, cc, results);
    return { toast: { type: 'success', text }, ...(card ? { card } : {}) };
  },
};

export const withdrawAction: ActionSpec = {
  ...COMMEND_ACTIONS.withdraw,
  access: ['admin'],
  async run(ctx) {
    const cc = await buttonContext(ctx);
    const text = await withdrawOne(ctx, cc, ctx.event.action.args.t ?? '', intArg(ctx.event.action.args, 's'), '');
    const { card } = await resultsReply(ctx, cc);
    return { toast: { type: 'success', text }, ...(card ? { card } : {}) };
  },
};

export const voteAction: ActionSpec = {
  ...COMMEND_ACTIONS.vote,
  access: ['leader'],
  async run(ctx) {
    const cc = await buttonContext(ctx);
    const card = await recordVote(ctx, cc, ctx.event.formValue);
    return { toast: { type: 'success', text: '表决已提交' }, card };
  },
};
