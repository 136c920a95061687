// /declare (/申报) and its card actions: a member applies for a post kind with a short statement.
import { isOpen } from '../../bot/campaign/state.js';
import { InputError } from '../../bot/errors.js';
import type { CardActionEvent } from '../../bot/types.js';
import { declareFormCard, declareSkippedCard, declareSubmittedCard, DECLARE_ACTIONS } from '../../cards/assess-declare-cards.js';
import { and, eq } from 'drizzle-orm';
import { auditEntry } from '../audit.js';
import type { CardModel } from '../../cards/model.js';
import { phaseResponses } from '../../db/schema.js';
import { currentCampaign } from '../campaign/current.js';
import { phasesOf } from '../../bot/engine/store.js';
import { replyPrivately } from '../private-card.js';
import type { ActionSpec, CommandSpec, HandlerContext } from '../../bot/registry.js';
import { declareAward, declareConfirm, declareList } from './declare-list.js';
import { findDeclaration, saveDeclaration } from './declare-store.js';
import { assessScope, currentAssessPhase, type AssessScope } from './scope.js';
import { selfSubject, type Subject } from './session.js';
import { selfStates } from './states.js';
import { readDeclareForm } from './validate.js';
import { intArg } from '../card-args.js';

export function postKindsOf(scope: AssessScope): string[] {
  if (!scope.template.postKinds.length) throw new InputError('岗位', `「${scope.campaign.title}」的模板没有可申报的岗位类别。`);
  return scope.template.postKinds;
}

export function declareScopeCheck(scope: AssessScope): void {
  if (scope.phase.kind !== 'declare') throw new InputError('阶段', `「${scope.phase.title}」不是申报阶段。`);
}

/** The member's declaration: submitted (with edit and self-assessment buttons while open) or the form. */
export async function declarationCard(ctx: HandlerContext, scope: AssessScope, subject: Subject, editing = false): Promise<CardModel> {
  const postKinds = postKindsOf(scope);
  const existing = await findDeclaration(ctx.db, scope.phase.id, subject.memberId);
  const now = ctx.clock.now();
  const open = isOpen(scope.phase, now);
  if (existing && (!editing || !open)) {
    const state = (await selfStates(ctx.db, scope.phase.id, scope.template.rubric))(subject.memberId);
    return declareSubmittedCard(scope.view, existing, state.text, open);
  }
  if (!existing && !editing && (await answered(ctx, scope.phase.id, subject.memberId))) return declareSkippedCard(scope.view, open);
  if (!open) throw new InputError('阶段', now < scope.phase.opensAt ? `「${scope.phase.title}」尚未开始。` : `「${scope.phase.title}」已结束，不能再申报。`);
  return declareFormCard(scope.view, postKinds, existing ? { post_kind: existing.postKind, statement: existing.statement } : {});
}

/** A phase answer without a declaration is a member's 本次不申报. */
async function answered(ctx: HandlerContext, phaseId: number, memberId: number): Promise<boolean> {
  const rows = await ctx.db
    .select({ at: phaseResponses.at })
    .from(phaseResponses)
    .where(and(eq(phaseResponses.phaseId, phaseId), eq(phaseResponses.memberId, memberId)));
  return rows.length > 0;
}

function phaseArg(ctx: HandlerContext<CardActionEvent>): number {
  return intArg(ctx.event.action.args, 'p');
}

export const declareSubmit: ActionSpec = {
  ...DECLARE_ACTIONS.submit,
  access: ['member', 'admin'],
  async run(ctx) {
    const scope = await assessScope(ctx, phaseArg(ctx));
    declareScopeCheck(scope);
    const now = ctx.clock.now();
    // Refusing without a card keeps what was typed on the user's screen.
    if (!isOpen(scope.phase, now)) return { toast: { type: 'error', text: `「${scope.phase.title}」已结束，无法再提交申报。` } };
    const subject = await selfSubject(ctx, scope);
    const postKinds = postKindsOf(scope);
    const form = readDeclareForm(ctx.event.formValue, postKinds);
    if (form.errors.length) {
      return { toast: { type: 'error', text: `有 ${form.errors.length} 处需要修改` }, card: declareFormCard(scope.view, postKinds, form.values, form.errors) };
    }
    const before = await findDeclaration(ctx.db, scope.phase.id, subject.memberId);
    // Applying after 本次不申报: with a rubric the answer is the self-assessment still to come, so the skip no longer counts.
    if (!before && scope.template.rubric) {
      await ctx.db.delete(phaseResponses).where(and(eq(phaseResponses.phaseId, scope.phase.id), eq(phaseResponses.memberId, subject.memberId)));
    }
    const { declaration, changed } = await saveDeclaration(ctx.db, {
      campaignId: scope.campaign.id,
      phaseId: scope.phase.id,
      memberId: subject.memberId,
      branchId: subject.branchId,
      postKind: form.postKind,
      statement: form.statement,
      now,
    });
    // Without a rubric the declaration is the whole answer; with one, the final self-assessment submit is.
    if (!scope.template.rubric) {
      await ctx.db.insert(phaseResponses).values({ phaseId: scope.phase.id, memberId: subject.memberId, at: now }).onConflictDoNothing();
    }
    const state = (await selfStates(ctx.db, scope.phase.id, scope.template.rubric))(subject.memberId);
    return {
      toast: { type: 'success', text: changed ? (scope.template.rubric ? '申报已提交，请继续自评打分' : '申报已提交') : '申报未改变' },
      card: declareSubmittedCard(scope.view, declaration, state.text, true),
    };
  },
};

export const declareSkip: ActionSpec = {
  ...DECLARE_ACTIONS.skip,
  access: ['member'],
  async run(ctx) {
    const scope = await assessScope(ctx, phaseArg(ctx));
    declareScopeCheck(scope);
    const now = ctx.clock.now();
    if (!isOpen(scope.phase, now)) return { toast: { type: 'error', text: `「${scope.phase.title}」已结束。` } };
    const subject = await selfSubject(ctx, scope);
    if (await findDeclaration(ctx.db, scope.phase.id, subject.memberId)) {
      throw new InputError('申报', '您已经提交了申报。如不再申报，请联系支部书记不列入名单。');
    }
    await ctx.db.insert(phaseResponses).values({ phaseId: scope.phase.id, memberId: subject.memberId, at: now }).onConflictDoNothing();
    await auditEntry(ctx.db, now, ctx.event, 'declare.skip', `${scope.phase.id}:${subject.memberId}`);
    return { toast: { type: 'success', text: '已登记：本次不申报' }, card: declareSkippedCard(scope.view, true) };
  },
};

export const declareEdit: ActionSpec = {
  ...DECLARE_ACTIONS.edit,
  access: ['member', 'admin'],
  async run(ctx) {
    const scope = await assessScope(ctx, phaseArg(ctx));
    declareScopeCheck(scope);
    return replyPrivately(ctx, await declarationCard(ctx, scope, await selfSubject(ctx, scope), true), '申报卡片');
  },
};

export const declareCommand: CommandSpec = {
  name: 'declare',
  aliases: ['申报'],
  usage: '/declare',
  summary: '申报示范岗（选择岗位并填写申报说明），或查看、修改我的申报',
  access: ['member'],
  async run(ctx) {
    const campaign = await currentCampaign(ctx);
    const phase = currentAssessPhase(await phasesOf(ctx.db, campaign.id), ctx.clock.now(), (p) => p.kind === 'declare');
    const scope = await assessScope(ctx, phase.id);
    return replyPrivately(ctx, await declarationCard(ctx, scope, await selfSubject(ctx, scope)), '申报卡片');
  },
  subcommands: [declareConfirm, declareList, declareAward],
};
