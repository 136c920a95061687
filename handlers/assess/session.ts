// One person's assessment in progress (their own, or a reviewer's of an applicant) and which card it shows now.
import { eq } from 'drizzle-orm';
import { answerSetOf, emptyAnswers, rubricPages, type AnswerSet } from '../../bot/campaign/rubric.js';
import { isOpen, type PhaseState } from '../../bot/campaign/state.js';
import type { Rubric } from '../../bot/campaign/template.js';
import { InputError } from '../../bot/errors.js';
import { formatDeadline } from '../../bot/time.js';
import { assessPageCard, SUMMARY_PAGE, type AssessCardContext, type FormValues } from '../../cards/assess-cards.js';
import { assessSummaryCard } from '../../cards/assess-summary-cards.js';
import type { CardModel } from '../../cards/model.js';
import { branches, members } from '../../db/schema.js';
import type { HandlerContext } from '../../bot/registry.js';
import { findDeclaration, heldPost, latestList } from './declare-store.js';
import { hasPosts, needRubric, reviewWindow, rosterEntry, type AssessScope } from './scope.js';
import { answerRows, findAssessment, latestSubmission, type AssessKey, type AssessmentRow } from './store.js';
import { valuesOf } from './validate.js';
import { satisfactionLine } from '../survey/satisfaction.js';

export interface Subject {
  memberId: number;
  userId: string;
  name: string;
  branchId: number | null;
  branchName: string;
  /** The post applied for (declare) or held (semester); null before declaring. */
  postKind: string | null;
}

export interface Session {
  scope: AssessScope;
  rubric: Rubric;
  subject: Subject;
  reviewing: boolean;
  raterId: string;
  assessment: AssessmentRow | null;
  mine: AnswerSet;
  /** When reviewing: the applicant's submitted self-assessment. */
  self: AnswerSet | null;
  /** The last submitted answers when the draft has changed since (else `mine` is what was submitted). */
  submitted: AnswerSet | null;
  /** Edits are accepted while this phase is open (the assess phase, or the review window). */
  window: PhaseState;
  /** The subject's post survey in a line, for the rubric item on satisfaction (null: none yet). */
  satisfaction: string | null;
}

async function memberSubject(ctx: HandlerContext, memberId: number): Promise<Omit<Subject, 'postKind'>> {
  const [row] = await ctx.db
    .select({ id: members.id, userId: members.userId, name: members.name, branchId: members.branchId, branchName: branches.name })
    .from(members)
    .leftJoin(branches, eq(branches.id, members.branchId))
    .where(eq(members.id, memberId));
  if (!row) throw new InputError('对象', '找不到该党员，请重新获取卡片。');
  return { memberId: row.id, userId: row.userId, name: row.name, branchId: row.branchId, branchName: row.branchName ?? '未分支部' };
}

/** The sender as the one who assesses themself; a declare phase may not have a declaration yet (postKind null). */
export async function selfSubject(ctx: HandlerContext, scope: AssessScope): Promise<Subject> {
  const member = ctx.actor.member;
  if (!member?.active) throw new InputError('名册', '您还不在支部名册中，请联系支部书记在群里发送 /同步。');
  const entry = await rosterEntry(ctx, scope.campaign.id, member.id);
  if (!entry || entry.role === 'leader') throw new InputError('名册', `您不在「${scope.phase.title}」需要填写的名单中。`);
  const base = await memberSubject(ctx, member.id);
  if (scope.phase.kind === 'declare') {
    return { ...base, postKind: (await findDeclaration(ctx.db, scope.phase.id, member.id))?.postKind ?? null };
  }
  if (!hasPosts(scope)) return { ...base, postKind: null };
  const held = await heldPost(ctx.db, scope.campaign.id, member.id);
  if (!held) throw new InputError('岗位', '您在本次活动中没有获授示范岗，本学期无需自评。');
  if (held.revokedAt) throw new InputError('岗位', `您的「${held.postKind}」称号已撤销，无需再参加学期复核。`);
  return { ...base, postKind: held.postKind };
}

/** An applicant a reviewer may score: on the branch's confirmed list (or holding the post), self-assessment submitted. */
export async function reviewSubject(ctx: HandlerContext, scope: AssessScope, memberId: number): Promise<Subject> {
  if (ctx.actor.member?.id === memberId) throw new InputError('对象', '不能为自己的自评打分。');
  const base = await memberSubject(ctx, memberId);
  let postKind: string | null;
  if (scope.phase.kind === 'declare') {
    const list = base.branchId === null ? null : await latestList(ctx.db, scope.phase.id, base.branchId);
    if (!list?.memberIds.includes(memberId)) throw new InputError('对象', `${base.name} 不在支部已报送党委的参评名单中。`);
    postKind = (await findDeclaration(ctx.db, scope.phase.id, memberId))?.postKind ?? null;
  } else if (!hasPosts(scope)) {
    postKind = null;
  } else {
    const held = await heldPost(ctx.db, scope.campaign.id, memberId);
    if (!held) throw new InputError('对象', `${base.name} 没有获授示范岗。`);
    if (held.revokedAt) throw new InputError('对象', `${base.name} 的示范岗称号已撤销，无需再评分。`);
    postKind = held.postKind;
  }
  return { ...base, postKind };
}

export async function openSession(ctx: HandlerContext, scope: AssessScope, subject: Subject, reviewing: boolean): Promise<Session> {
  const rubric = needRubric(scope);
  const raterId = reviewing ? ctx.actor.userId : subject.userId;
  let self: AnswerSet | null = null;
  if (reviewing) {
    const own = await findAssessment(ctx.db, { phaseId: scope.phase.id, memberId: subject.memberId, rater: 'self', raterId: subject.userId });
    const submitted = own && own.revision > 0 ? await latestSubmission(ctx.db, own.id) : null;
    if (!submitted) throw new InputError('自评', `${subject.name} 还没有提交自评，提交后才能评分。`);
    self = answerSetOf(rubric, submitted.answers);
  }
  const assessment = await findAssessment(ctx.db, { phaseId: scope.phase.id, memberId: subject.memberId, rater: reviewing ? 'review' : 'self', raterId });
  const mine = assessment ? answerSetOf(rubric, await answerRows(ctx.db, assessment.id)) : emptyAnswers();
  const last = assessment && assessment.revision > 0 && assessment.dirty ? await latestSubmission(ctx.db, assessment.id) : null;
  const submitted = last ? answerSetOf(rubric, last.answers) : null;
  const satisfaction = await satisfactionLine(ctx.db, subject.memberId);
  return { scope, rubric, subject, reviewing, raterId, assessment, mine, self, submitted, window: reviewing ? reviewWindow(scope) : scope.phase, satisfaction };
}

export function sessionKey(s: Session): AssessKey {
  return {
    campaignId: s.scope.campaign.id,
    phaseId: s.scope.phase.id,
    memberId: s.subject.memberId,
    branchId: s.subject.branchId,
    rater: s.reviewing ? 'review' : 'self',
    raterId: s.raterId,
    rubricId: s.rubric.id,
    rubricVersion: s.rubric.version,
  };
}

export function cardContext(s: Session): AssessCardContext {
  // A reviewer's deadline is the review window's, not the declaration's.
  const closes = formatDeadline(s.window.closesAt, s.scope.campaign.timezone);
  return {
    phase: { ...s.scope.view, closes },
    rubric: s.rubric,
    postKind: s.subject.postKind,
    subject: s.reviewing ? { memberId: s.subject.memberId, name: s.subject.name, branch: s.subject.branchName } : null,
    pagesDone: s.assessment?.pagesDone ?? [],
    satisfaction: s.satisfaction,
  };
}

/** Refuses work outside the window; the message says whether it is too early or too late. */
export function requireOpen(s: Session, now: Date): void {
  if (isOpen(s.window, now)) return;
  const what = s.reviewing ? '评分' : '填写';
  throw new InputError(
    '阶段',
    now < s.window.opensAt ? `「${s.window.title}」尚未开始，暂不能${what}。` : `「${s.window.title}」已结束，不能再${what}或修改。`,
  );
}

export function pageCard(s: Session, pageId: string, values?: FormValues, errors: string[] = []): CardModel {
  const page = rubricPages(s.rubric).find((p) => p.id === pageId);
  if (!page) throw new InputError('页面', '该页面不存在，请发送 /自评 重新获取卡片。');
  return assessPageCard(cardContext(s), page.id, values ?? valuesOf(s.rubric, page, s.mine, s.reviewing), errors, s.self, s.reviewing ? s.mine : null);
}

export function summaryCard(s: Session, open: boolean, view: 'summary' | 'submitted'): CardModel {
  const state = { revision: s.assessment?.revision ?? 0, dirty: s.assessment?.dirty ?? true, open };
  if (view === 'submitted' && s.submitted) {
    // What was submitted, not the later draft; its pages are all complete.
    const ctx = { ...cardContext(s), pagesDone: rubricPages(s.rubric).map((p) => p.id) };
    return assessSummaryCard(ctx, s.submitted, s.self, state, view);
  }
  return assessSummaryCard(cardContext(s), s.mine, s.self, state, view);
}

/** The first page not saved yet, after `from` when given (wrapping round), or null when all are saved. */
export function nextUnfinished(s: Session, from?: string): string | null {
  const pages = rubricPages(s.rubric);
  const done = s.assessment?.pagesDone ?? [];
  const start = from ? pages.findIndex((p) => p.id === from) + 1 : 0;
  const order = [...pages.slice(start), ...pages.slice(0, start)];
  return order.find((p) => !done.includes(p.id))?.id ?? null;
}

/** Where a person comes back to: the submitted card, the first unfinished page, or the summary. */
export function resumeCard(s: Session, now: Date, editing = false): CardModel {
  const a = s.assessment;
  const open = isOpen(s.window, now);
  const submitted = a !== null && a.revision > 0;
  if (submitted && ((!a.dirty && !editing) || !open)) return summaryCard(s, open, 'submitted');
  requireOpen(s, now);
  const next = nextUnfinished(s);
  return next ? pageCard(s, next) : summaryCard(s, open, 'summary');
}

export { SUMMARY_PAGE };
