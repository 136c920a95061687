// /assess (/自评): my self-assessment (resumed where I left it); status (进度) for secretaries; review (复评)
// for leaders; branch (支部) for the secretary's criteria self-check.
import { and, eq } from 'drizzle-orm';
import { phasesOf } from '../../bot/engine/store.js';
import { isOpen, type PhaseState } from '../../bot/campaign/state.js';
import { ChoiceError, InputError } from '../../bot/errors.js';
import { formatLocal } from '../../bot/time.js';
import type { CommandEvent, Reply } from '../../bot/types.js';
import { assessStatusCard, reviewListCard, type AssessStatusRow } from '../../cards/assess-admin-cards.js';
import { members } from '../../db/schema.js';
import { currentCampaign } from '../campaign/current.js';
import { replyPrivately } from '../private-card.js';
import type { CommandSpec, HandlerContext, SubcommandSpec } from '../../bot/registry.js';
import { branchRoster } from '../pledge/store.js';
import { checkCardFor, checkOwner, findCheck } from './check.js';
import { declarationCard } from './declare.js';
import { awardedPosts, branchDeclarations, latestList, listDigest } from './declare-store.js';
import { reviewEntries } from './review.js';
import { assessScope, currentAssessPhase, currentReviewPhase, hasPosts, reviewWindow, type AssessScope } from './scope.js';
import { openRecheckPhases } from './recheck.js';
import { openSession, resumeCard, reviewSubject, selfSubject } from './session.js';
import { selfStates } from './states.js';
import { actorBranchId } from '../../bot/access.js';
import { branchNames } from '../branches.js';

type Ctx = HandlerContext<CommandEvent>;

function isSecretary(ctx: HandlerContext): boolean {
  return ctx.actor.member?.role === 'secretary' && ctx.actor.member.active;
}

async function phases(ctx: HandlerContext): Promise<PhaseState[]> {
  return phasesOf(ctx.db, (await currentCampaign(ctx)).id);
}

/**
 * The phase a command acts on: the running campaign's (`current`) when it is open, else an open
 * semester re-check of a held post (its campaign may have ended), else the campaign's anyway.
 */
async function orRecheck(ctx: Ctx, current: () => Promise<PhaseState>, isOpenNow: (p: PhaseState, phases: PhaseState[]) => boolean, memberId?: number) {
  const org = { platform: ctx.event.platform, tenantKey: ctx.event.tenantKey };
  const [recheck] = ctx.event.campaign ? [] : await openRecheckPhases(ctx.db, org, ctx.clock.now(), memberId);
  let phase: PhaseState | null = null;
  try {
    phase = await current();
  } catch (err) {
    // "Which campaign?" is still asked: the choice is the sender's.
    if (!(err instanceof InputError) || err instanceof ChoiceError || recheck === undefined) throw err;
  }
  if (phase && recheck === undefined) return phase;
  if (phase) {
    const scope = await assessScope(ctx, phase.id);
    if (isOpenNow(scope.phase, scope.phases)) return phase;
  }
  return (await assessScope(ctx, recheck!)).phase;
}

async function myCard(ctx: Ctx): Promise<Reply> {
  const now = ctx.clock.now();
  const me = ctx.actor.member;
  const phase = await orRecheck(
    ctx,
    async () => currentAssessPhase(await phases(ctx), now, (p) => p.respond !== 'secretary' || isSecretary(ctx)),
    (p) => isOpen(p, now),
    me?.id ?? -1,
  );
  const scope = await assessScope(ctx, phase.id);
  if (phase.respond === 'secretary') return replyPrivately(ctx, await checkCardFor(ctx, scope, await checkOwner(ctx)), '支部自查卡片');
  const subject = await selfSubject(ctx, scope);
  if (phase.kind === 'declare' && !subject.postKind) return replyPrivately(ctx, await declarationCard(ctx, scope, subject), '申报卡片（申报后即可自评）');
  return replyPrivately(ctx, resumeCard(await openSession(ctx, scope, subject, false), ctx.clock.now()), '自评卡片');
}

async function memberRows(ctx: HandlerContext, scope: AssessScope, branchId: number): Promise<{ rows: AssessStatusRow[]; extra: string[] }> {
  const roster = (await branchRoster(ctx.db, scope.campaign.id, branchId)).filter((r) => r.role !== 'leader');
  const state = await selfStates(ctx.db, scope.phase.id, scope.template.rubric);
  const extra: string[] = [];
  let people = roster;
  const kinds = new Map<number, string>();
  if (scope.phase.kind === 'declare') {
    const declared = await branchDeclarations(ctx.db, scope.phase.id, branchId);
    for (const d of declared) kinds.set(d.declaration.memberId, d.declaration.postKind);
    const list = await latestList(ctx.db, scope.phase.id, branchId);
    const ids = declared.map((d) => d.declaration.memberId);
    extra.push(
      !list
        ? `申报名单：已申报 ${ids.length} 人，尚未确认报送（发送 /申报 确认）。`
        : listDigest(list.memberIds) === listDigest(ids)
          ? `申报名单：第 ${list.revision} 版已于 ${formatLocal(list.confirmedAt, scope.campaign.timezone)} 报送集团党委（${ids.length} 人）。`
          : `申报名单：第 ${list.revision} 版报送后申报有变化，请发送 /申报 确认 重新确认。`,
    );
  } else if (hasPosts(scope)) {
    for (const p of await awardedPosts(ctx.db, scope.campaign.id)) kinds.set(p.declaration.memberId, p.declaration.postKind);
    people = roster.filter((r) => kinds.has(r.memberId));
    extra.push(`本学期需考核的示范岗：${people.length} 人。`);
  }
  const rows = people.map((p): AssessStatusRow => {
    const s = state(p.memberId);
    const kind = kinds.get(p.memberId);
    if (s.state !== 'none') return { name: p.name, state: s.state, detail: [kind, s.text].filter(Boolean).join('，') };
    return { name: p.name, state: 'none', detail: scope.phase.kind === 'declare' ? (kind ? `已申报${kind}，未自评` : '未申报') : '未自评' };
  });
  return { rows, extra };
}

const assessStatus: SubcommandSpec = {
  names: ['status', '进度'],
  usage: '/assess status',
  summary: '查看本支部谁已提交、谁在草稿、谁未开始自评（支部书记）',
  access: ['secretary', 'admin'],
  async run(ctx) {
    const phase = currentAssessPhase(await phases(ctx), ctx.clock.now());
    const scope = await assessScope(ctx, phase.id);
    const branchId = actorBranchId(ctx.actor);
    const branchName = ctx.actor.chatBranch?.name ?? (await branchNames(ctx.db)).get(branchId) ?? '本支部';
    if (phase.respond === 'secretary') {
      const check = await findCheck(ctx.db, phase.id, branchId);
      const secretaries = (await branchRoster(ctx.db, scope.campaign.id, branchId)).filter((r) => r.role === 'secretary');
      const rows = secretaries.map(
        (s): AssessStatusRow => ({ name: s.name, state: check ? 'submitted' : 'none', detail: check ? `支部自查第 ${check.revision} 版` : '支部自查未提交' }),
      );
      return replyPrivately(ctx, assessStatusCard(branchName, scope.view, rows, []), '自评进度');
    }
    // Members' scores are not for the whole branch group: the status goes to the secretary's direct chat.
    const { rows, extra } = await memberRows(ctx, scope, branchId);
    return replyPrivately(ctx, assessStatusCard(branchName, scope.view, rows, extra), '自评进度');
  },
};

const assessReview: SubcommandSpec = {
  names: ['review', '复评'],
  usage: '/assess review [@某人]',
  summary: '为申报人考核打分（看到自评并标出差距大的项）；不 @ 人则列出可评分的申报人（党委委员、管理员）',
  access: ['leader', 'admin'],
  async run(ctx) {
    const now = ctx.clock.now();
    const phase = await orRecheck(
      ctx,
      async () => currentReviewPhase(await phases(ctx), now),
      (p, all) => isOpen(reviewWindow({ phase: p, phases: all }), now),
    );
    const scope = await assessScope(ctx, phase.id);
    const target = ctx.event.mentions[0];
    if (!target) return replyPrivately(ctx, reviewListCard(scope.view, reviewWindow(scope).title, await reviewEntries(ctx, scope), 0), '考核打分名单');
    const [person] = await ctx.db
      .select({ id: members.id })
      .from(members)
      .where(and(eq(members.platform, ctx.event.platform), eq(members.tenantKey, ctx.event.tenantKey), eq(members.userId, target.userId)));
    if (!person) throw new InputError('对象', `${target.name} 不在名册中。`);
    const session = await openSession(ctx, scope, await reviewSubject(ctx, scope, person.id), true);
    return replyPrivately(ctx, resumeCard(session, ctx.clock.now()), `${target.name} 的评分卡片`);
  },
};

const assessBranch: SubcommandSpec = {
  names: ['branch', '支部'],
  usage: '/assess branch',
  summary: '填写或修改本支部的学期自查（五个好，支部书记）',
  access: ['secretary', 'admin'],
  async run(ctx) {
    const phase = currentAssessPhase(await phases(ctx), ctx.clock.now(), (p) => p.respond === 'secretary');
    const scope = await assessScope(ctx, phase.id);
    return replyPrivately(ctx, await checkCardFor(ctx, scope, await checkOwner(ctx), true), '支部自查卡片');
  },
};

export const assessCommand: CommandSpec = {
  name: 'assess',
  aliases: ['自评'],
  usage: '/assess',
  summary: '对照考核细则自评打分（分页填写，随时保存草稿，回来从未完成的页继续）',
  access: ['member'],
  run: myCard,
  subcommands: [assessStatus, assessReview, assessBranch],
};
