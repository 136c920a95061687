// The "我已完成" button of phase cards: records that a roster member answered an open phase.
import { and, eq, isNull } from 'drizzle-orm';
import { PHASE_DONE } from '../cards/campaign-cards.js';
import { expectedOf, phaseAnswer, type PhaseAnswer } from '../bot/campaign/state.js';
import { phaseWithCampaign } from '../bot/engine/store.js';
import { campaignRoster, phaseResponses } from '../db/schema.js';
import { intArg } from './card-args.js';
import type { ActionSpec } from '../bot/registry.js';

/** Phases answered through another card say where. */
const ELSEWHERE: Record<Exclude<PhaseAnswer, 'done'>, string> = {
  pledge: '本阶段请通过承诺卡片提交，发送 /承诺 获取。',
  progress: '本阶段请通过承诺卡片提交，发送 /承诺 获取。',
  assess: '本阶段请通过申报、自评或自查卡片提交，发送 /自评 获取。',
  'applicant-scoring': '本阶段请通过考核打分卡片提交，发送 /自评 复评 获取。',
  'peer-review': '本阶段请通过评议卡片提交，发送 /评议 获取。',
  'leader-review': '本阶段请通过点评卡片提交，发送 /评议 点评 获取。',
};

export const phaseDoneAction: ActionSpec = {
  ...PHASE_DONE,
  access: ['member', 'leader'],
  async run({ db, event, actor, clock }) {
    const now = clock.now();
    const found = await phaseWithCampaign(db, intArg(event.action.args, 'p'));
    if (found?.campaign.status !== 'active') return { toast: { type: 'warning', text: '该活动已结束或已停止。' } };
    const { phase, campaign } = found;
    const answer = phaseAnswer(phase);
    if (answer !== 'done' && answer !== null) return { toast: { type: 'info', text: ELSEWHERE[answer] } };
    if (now < phase.opensAt) return { toast: { type: 'warning', text: `「${phase.title}」尚未开始。` } };
    if (now >= phase.closesAt) return { toast: { type: 'error', text: `「${phase.title}」已截止，无法再提交。` } };
    const [entry] = await db
      .select()
      .from(campaignRoster)
      .where(and(eq(campaignRoster.campaignId, campaign.id), eq(campaignRoster.memberId, actor.member!.id), isNull(campaignRoster.removedAt)));
    const expected = entry && expectedOf(phase, [{ ...entry, userId: actor.userId, name: actor.member!.name }]).length > 0;
    if (!expected) return { toast: { type: 'warning', text: `您不在「${phase.title}」需要完成的名单中。` } };
    const inserted = await db
      .insert(phaseResponses)
      .values({ phaseId: phase.id, memberId: actor.member!.id, at: now })
      .onConflictDoNothing()
      .returning({ at: phaseResponses.at });
    return inserted.length
      ? { toast: { type: 'success', text: `已记录您完成「${phase.title}」，谢谢！` } }
      : { toast: { type: 'info', text: `您已完成过「${phase.title}」。` } };
  },
};
