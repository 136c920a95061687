// Resolving what an assessment action or command acts on: the phase, its campaign, its frozen rubric, the windows.
import { and, eq, isNull } from 'drizzle-orm';
import { isAssessPhase, reviewWindowOf } from '../../bot/campaign/state.js';
import { phasesOf, phaseWithCampaign, type CampaignRow } from '../../bot/engine/store.js';
import { isOpen, type PhaseState } from '../../bot/campaign/state.js';
import type { CampaignTemplate, Rubric } from '../../bot/campaign/template.js';
import { InputError } from '../../bot/errors.js';
import { formatDeadline } from '../../bot/time.js';
import type { AssessPhaseView } from '../../cards/assess-cards.js';
import { campaignRoster } from '../../db/schema.js';
import { isRecheckPhase } from './recheck.js';
import type { HandlerContext } from '../../bot/registry.js';

export interface AssessScope {
  /** The declare or semester phase assessed. */
  phase: PhaseState;
  phases: PhaseState[];
  campaign: CampaignRow;
  /** The template frozen into the campaign when it started: its rubric version is the one used. */
  template: CampaignTemplate;
  view: AssessPhaseView;
}

export function phaseView(phase: PhaseState, campaign: CampaignRow): AssessPhaseView {
  return { id: phase.id, campaignTitle: campaign.title, phaseTitle: phase.title, closes: formatDeadline(phase.closesAt, campaign.timezone) };
}

export async function assessScope(ctx: HandlerContext, phaseId: number): Promise<AssessScope> {
  if (!Number.isInteger(phaseId)) throw new InputError('卡片', '该卡片已失效，请发送 /自评 获取新卡片。');
  const found = await phaseWithCampaign(ctx.db, phaseId);
  if (!found) throw new InputError('活动', '该活动已结束或已停止。');
  // A held post's semester re-check runs in the awarding campaign after it ended.
  if (found.campaign.status !== 'active' && !(await isRecheckPhase(ctx.db, phaseId))) throw new InputError('活动', '该活动已结束或已停止。');
  const { phase, campaign } = found;
  if (!isAssessPhase(phase)) throw new InputError('阶段', `「${phase.title}」不是申报自评或学期考核阶段。`);
  return { phase, phases: await phasesOf(ctx.db, campaign.id), campaign, template: campaign.template, view: phaseView(phase, campaign) };
}

/** Posts are declared and awarded in this campaign: semester phases then assess only their holders. */
export function hasPosts(scope: Pick<AssessScope, 'phases'>): boolean {
  return scope.phases.some((p) => p.kind === 'declare');
}

export function needRubric(scope: AssessScope): Rubric {
  if (!scope.template.rubric) throw new InputError('细则', `「${scope.campaign.title}」的模板没有评分细则，无需自评打分。`);
  return scope.template.rubric;
}

/** Where second scoring happens: the leaders' review phase that follows a declare phase, else the phase itself. */
export function reviewWindow(scope: Pick<AssessScope, 'phase' | 'phases'>): PhaseState {
  return reviewWindowOf(scope.phases, scope.phase);
}

/** The assess phase a command acts on: an open one that `fits`, else the latest that has opened. */
export function currentAssessPhase(phases: PhaseState[], now: Date, fits: (p: PhaseState) => boolean = () => true): PhaseState {
  const started = phases.filter((p) => isAssessPhase(p) && p.opensAt <= now);
  const fitting = started.filter(fits);
  const phase = fitting.find((p) => isOpen(p, now)) ?? fitting.at(-1);
  if (phase) return phase;
  throw new InputError('阶段', started.length ? '本次活动目前没有需要您填写的申报、自评或自查。' : '本次活动的申报自评（或学期考核）阶段还没有开始。');
}

/** The phase whose review window is open now, else the latest whose window has opened. */
export function currentReviewPhase(phases: PhaseState[], now: Date): PhaseState {
  const withWindow = phases
    .filter((p) => isAssessPhase(p) && p.respond === 'member')
    .map((p) => ({ p, w: reviewWindow({ phase: p, phases }) }))
    .filter((x) => x.w.opensAt <= now);
  const found = withWindow.find((x) => isOpen(x.w, now)) ?? withWindow.at(-1);
  if (!found) throw new InputError('阶段', '考核打分阶段还没有开始。');
  return found.p;
}

export async function rosterEntry(ctx: HandlerContext, campaignId: number, memberId: number) {
  const [row] = await ctx.db
    .select()
    .from(campaignRoster)
    .where(and(eq(campaignRoster.campaignId, campaignId), eq(campaignRoster.memberId, memberId), isNull(campaignRoster.removedAt)));
  return row ?? null;
}

export { isAssessPhase, isOpen };
