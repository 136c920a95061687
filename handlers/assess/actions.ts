// Card actions of the assessment: open (resume), save a page, go to a page, final submit, the reviewers' list.
import { rubricPages, totals } from '../../bot/campaign/rubric.js';
import { isOpen } from '../../bot/campaign/state.js';
import { InputError } from '../../bot/errors.js';
import type { CardActionEvent, Reply } from '../../bot/types.js';
import { ASSESS_ACTIONS, SUMMARY_PAGE } from '../../cards/assess-cards.js';
import { reviewListCard } from '../../cards/assess-admin-cards.js';
import { hasAccess } from '../../bot/access.js';
import { replyPrivately } from '../private-card.js';
import type { ActionSpec, HandlerContext } from '../../bot/registry.js';
import { assessCheckSubmit, checkCardFor, checkOwner } from './check.js';
import { declareConfirmAction } from './declare-list.js';
import { declarationCard, declareEdit, declareSkip, declareSubmit } from './declare.js';
import { recordLeaderResponse, reviewEntries } from './review.js';
import { assessScope, reviewWindow, type AssessScope } from './scope.js';
import {
  nextUnfinished,
  openSession,
  pageCard,
  requireOpen,
  resumeCard,
  reviewSubject,
  selfSubject,
  sessionKey,
  summaryCard,
  type Session,
} from './session.js';
import { answerRows, ensureAssessment, savePage, submitAssessment } from './store.js';
import { readPage } from './validate.js';
import { intArg } from '../card-args.js';

type Ctx = HandlerContext<CardActionEvent>;

function phaseArg(ctx: Ctx): number {
  return intArg(ctx.event.action.args, 'p');
}

function memberArg(ctx: Ctx): number | null {
  const m = ctx.event.action.args.m;
  if (m === undefined) return null;
  const id = Number(m);
  if (!Number.isInteger(id)) throw new InputError('卡片', '该卡片已失效，请重新获取。');
  return id;
}

/** The sender's own assessment, or — with `m` — their scoring of that applicant (leaders and admins only). */
async function sessionFor(ctx: Ctx, scope: AssessScope): Promise<Session> {
  const m = memberArg(ctx);
  if (m === null) {
    const subject = await selfSubject(ctx, scope);
    if (scope.phase.kind === 'declare' && !subject.postKind) throw new InputError('申报', '请先提交申报（发送 /申报），再对照细则自评打分。');
    return openSession(ctx, scope, subject, false);
  }
  if (!hasAccess(ctx.actor, ['leader', 'admin'])) throw new InputError('权限', '只有党委委员或管理员可以为申报人评分。');
  return openSession(ctx, scope, await reviewSubject(ctx, scope, m), true);
}

/** Refusing without a card keeps what was typed on the user's screen; checked before anything else. */
function closedRefusal(ctx: Ctx, scope: AssessScope, verb: string): Reply | null {
  const window = memberArg(ctx) === null ? scope.phase : reviewWindow(scope);
  const now = ctx.clock.now();
  if (isOpen(window, now)) return null;
  return { toast: { type: 'error', text: `「${window.title}」${now >= window.closesAt ? `已结束，无法再${verb}` : `尚未开始，暂不能${verb}`}。` } };
}

const access: ActionSpec['access'] = ['member', 'leader', 'admin'];

export const assessOpen: ActionSpec = {
  ...ASSESS_ACTIONS.open,
  access,
  async run(ctx) {
    const scope = await assessScope(ctx, phaseArg(ctx));
    const editing = ctx.event.action.args.edit === '1';
    if (scope.phase.respond === 'secretary') {
      return replyPrivately(ctx, await checkCardFor(ctx, scope, await checkOwner(ctx), editing), '支部自查卡片');
    }
    if (memberArg(ctx) === null && scope.phase.kind === 'declare') {
      const subject = await selfSubject(ctx, scope);
      if (!subject.postKind) return replyPrivately(ctx, await declarationCard(ctx, scope, subject), '申报卡片');
    }
    const s = await sessionFor(ctx, scope);
    return replyPrivately(ctx, resumeCard(s, ctx.clock.now(), editing), s.reviewing ? '评分卡片' : '自评卡片');
  },
};

export const assessGoto: ActionSpec = {
  ...ASSESS_ACTIONS.goto,
  access,
  async run(ctx) {
    const s = await sessionFor(ctx, await assessScope(ctx, phaseArg(ctx)));
    requireOpen(s, ctx.clock.now());
    const pg = ctx.event.action.args.pg ?? SUMMARY_PAGE;
    return { card: pg === SUMMARY_PAGE ? summaryCard(s, true, 'summary') : pageCard(s, pg) };
  },
};

export const assessPage: ActionSpec = {
  ...ASSESS_ACTIONS.page,
  access,
  async run(ctx): Promise<Reply> {
    const scope = await assessScope(ctx, phaseArg(ctx));
    const refused = closedRefusal(ctx, scope, '保存');
    if (refused) return refused;
    const s = await sessionFor(ctx, scope);
    const now = ctx.clock.now();
    const page = rubricPages(s.rubric).find((p) => p.id === ctx.event.action.args.pg);
    if (!page) throw new InputError('页面', '该页面不存在，请发送 /自评 重新获取卡片。');
    const form = readPage(ctx.event.formValue, s.rubric, page, s.reviewing);
    if (form.errors.length) {
      return { toast: { type: 'error', text: `有 ${form.errors.length} 处需要修改` }, card: pageCard(s, page.id, form.values, form.errors) };
    }
    const row = s.assessment ?? (await ensureAssessment(ctx.db, sessionKey(s), now));
    await savePage(ctx.db, row, page.id, form.rows, now);
    const after = await openSession(ctx, scope, s.subject, s.reviewing);
    const next = nextUnfinished(after, page.id);
    return {
      toast: { type: 'success', text: next ? `已保存「${page.title}」` : `已保存「${page.title}」，请核对汇总后提交` },
      card: next ? pageCard(after, next) : summaryCard(after, true, 'summary'),
    };
  },
};

export const assessSubmit: ActionSpec = {
  ...ASSESS_ACTIONS.submit,
  access,
  async run(ctx): Promise<Reply> {
    const scope = await assessScope(ctx, phaseArg(ctx));
    const refused = closedRefusal(ctx, scope, '提交');
    if (refused) return refused;
    const s = await sessionFor(ctx, scope);
    const now = ctx.clock.now();
    const a = s.assessment;
    if (!a || nextUnfinished(s) !== null) {
      return { toast: { type: 'warning', text: '还有未填写的页面，请填写完整后再提交' }, card: summaryCard(s, true, 'summary') };
    }
    const t = totals(s.rubric, s.mine);
    const answers = await answerRows(ctx.db, a.id);
    const response = s.reviewing ? null : { phaseId: scope.phase.id, memberId: s.subject.memberId };
    const { changed } = await submitAssessment(ctx.db, a, { answers, total: s.reviewing ? t.total : t.items, vetoed: t.vetoed }, response, now);
    if (s.reviewing) await recordLeaderResponse(ctx, scope, s.window, now);
    const after = await openSession(ctx, scope, s.subject, s.reviewing);
    const done = s.reviewing ? `已提交对 ${s.subject.name} 的考核评分` : '自评已提交';
    return { toast: { type: 'success', text: changed ? done : '内容未改变，无需重新提交' }, card: summaryCard(after, true, 'submitted') };
  },
};

export const assessReviews: ActionSpec = {
  ...ASSESS_ACTIONS.reviews,
  access: ['leader', 'admin'],
  async run(ctx) {
    const scope = await assessScope(ctx, phaseArg(ctx));
    const page = Math.max(0, Number(ctx.event.action.args.page) || 0);
    return { card: reviewListCard(scope.view, reviewWindow(scope).title, await reviewEntries(ctx, scope), page) };
  },
};

export const assessActions: ActionSpec[] = [
  assessOpen,
  assessGoto,
  assessPage,
  assessSubmit,
  assessReviews,
  assessCheckSubmit,
  declareSubmit,
  declareEdit,
  declareSkip,
  declareConfirmAction,
];
