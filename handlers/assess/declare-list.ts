// The branch's applicant list: the secretary confirms it for the committee (/申报 确认), the committee reads
// every branch's list (/申报 名单; copies go to the committee), and admins award posts (/申报 授牌) that are then assessed each semester.
import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import { phasesOf } from '../../bot/engine/store.js';
import { InputError } from '../../bot/errors.js';
import { formatLocal } from '../../bot/time.js';
import type { CardActionEvent, CommandEvent } from '../../bot/types.js';
import {
  committeeListCard,
  committeeOverviewCard,
  declareListCard,
  DECLARE_ACTIONS,
  type ApplicantRow,
  type ListConfirmation,
} from '../../cards/assess-declare-cards.js';
import type { CardModel } from '../../cards/model.js';
import { campaignRoster, members, postDeclarations } from '../../db/schema.js';
import { auditEntry } from '../audit.js';
import { currentCampaign } from '../campaign/current.js';
import { replyPrivately } from '../private-card.js';
import type { ActionSpec, HandlerContext, SubcommandSpec } from '../../bot/registry.js';
import { branchRoster } from '../pledge/store.js';
import { branchDeclarations, confirmList, latestList, latestLists, listDigest, setAward, type ListRow } from './declare-store.js';
import { assessScope, currentAssessPhase, reviewWindow, type AssessScope } from './scope.js';
import { selfStates } from './states.js';
import { intArg } from '../card-args.js';
import { actorBranchId } from '../../bot/access.js';
import { branchNames } from '../branches.js';
import { committeeUserIds } from '../committee.js';

async function declareScope(ctx: HandlerContext): Promise<AssessScope> {
  const campaign = await currentCampaign(ctx);
  const phase = currentAssessPhase(await phasesOf(ctx.db, campaign.id), ctx.clock.now(), (p) => p.kind === 'declare');
  return assessScope(ctx, phase.id);
}

/** Lists may be confirmed from the opening of the declare phase until second scoring ends. */
function canConfirm(scope: AssessScope, now: Date): boolean {
  return scope.phase.opensAt <= now && now < reviewWindow(scope).closesAt;
}

async function applicants(ctx: HandlerContext, scope: AssessScope, branchId: number) {
  const state = await selfStates(ctx.db, scope.phase.id, scope.template.rubric);
  const declared = await branchDeclarations(ctx.db, scope.phase.id, branchId);
  const rows: ApplicantRow[] = declared.map((d) => ({
    name: d.name,
    postKind: d.declaration.postKind,
    statement: d.declaration.statement,
    assess: state(d.declaration.memberId).text,
  }));
  return { rows, ids: declared.map((d) => d.declaration.memberId) };
}

async function confirmationView(ctx: HandlerContext, list: ListRow | null, ids: number[], tz: string): Promise<ListConfirmation | null> {
  if (!list) return null;
  const [by] = await ctx.db
    .select({ name: members.name })
    .from(members)
    .where(and(eq(members.userId, list.confirmedBy), eq(members.platform, ctx.event.platform)));
  return { revision: list.revision, at: formatLocal(list.confirmedAt, tz), by: by?.name ?? '管理员', current: listDigest(list.memberIds) === listDigest(ids) };
}

async function listCard(ctx: HandlerContext, scope: AssessScope, branchId: number): Promise<{ card: CardModel; ids: number[]; rows: ApplicantRow[] }> {
  const { rows, ids } = await applicants(ctx, scope, branchId);
  const declared = new Set(ids);
  const roster = (await branchRoster(ctx.db, scope.campaign.id, branchId)).filter((r) => r.role !== 'leader');
  const names = await branchNames(ctx.db);
  const confirmed = await confirmationView(ctx, await latestList(ctx.db, scope.phase.id, branchId), ids, scope.campaign.timezone);
  const digest = canConfirm(scope, ctx.clock.now()) ? listDigest(ids) : null;
  const card = declareListCard(
    scope.view,
    { id: branchId, name: names.get(branchId) ?? '' },
    rows,
    roster.filter((r) => !declared.has(r.memberId)).map((r) => r.name),
    confirmed,
    digest,
  );
  return { card, ids, rows };
}

export const declareConfirm: SubcommandSpec = {
  names: ['confirm', '确认'],
  usage: '/declare confirm',
  summary: '查看本支部申报名单，确认后报送集团党委（支部书记）',
  access: ['secretary', 'admin'],
  async run(ctx) {
    const scope = await declareScope(ctx);
    return replyPrivately(ctx, (await listCard(ctx, scope, actorBranchId(ctx.actor))).card, '申报名单');
  },
};

export const declareConfirmAction: ActionSpec = {
  ...DECLARE_ACTIONS.confirm,
  access: ['secretary', 'admin'],
  async run(ctx: HandlerContext<CardActionEvent>) {
    const args = ctx.event.action.args;
    const scope = await assessScope(ctx, intArg(args, 'p'));
    const branchId = intArg(args, 'b');
    const m = ctx.actor.member;
    if (!ctx.actor.isAdmin && !(m?.role === 'secretary' && m.branchId === branchId)) throw new InputError('支部', '只有本支部书记可以确认本支部的申报名单。');
    const now = ctx.clock.now();
    if (!canConfirm(scope, now)) return { toast: { type: 'error', text: '已过名单报送时间，无法再确认。' } };
    const current = await listCard(ctx, scope, branchId);
    if (listDigest(current.ids) !== args.h) {
      return { toast: { type: 'warning', text: '申报名单已有变化，请核对后重新确认。' }, card: current.card };
    }
    const revision = await confirmList(ctx.db, { phaseId: scope.phase.id, branchId, memberIds: current.ids, by: ctx.actor.userId, now });
    if (revision === null) return { toast: { type: 'info', text: '该名单已确认报送，无需重复操作。' }, card: current.card };
    await auditEntry(ctx.db, now, ctx.event, 'declare.confirm', `phase:${scope.phase.id}/branch:${branchId}`, { revision, memberIds: current.ids });
    const names = await branchNames(ctx.db);
    const copy = committeeListCard(
      scope.view,
      names.get(branchId) ?? '',
      { revision, at: formatLocal(now, scope.campaign.timezone), by: m?.name ?? '管理员' },
      current.rows,
    );
    for (const leader of await committeeUserIds(ctx)) {
      ctx.send({ type: 'user', id: leader }, { kind: 'card', card: copy }, `declare-list:${scope.phase.id}:${branchId}:${revision}:${leader}`);
    }
    return { toast: { type: 'success', text: `第 ${revision} 版名单已确认，已报送集团党委` }, card: (await listCard(ctx, scope, branchId)).card };
  },
};

export const declareList: SubcommandSpec = {
  names: ['list', '名单'],
  usage: '/declare list',
  summary: '查看各支部报送的参评名单（党委委员、管理员）',
  access: ['leader', 'admin'],
  async run(ctx) {
    const scope = await declareScope(ctx);
    const lists = new Map((await latestLists(ctx.db, scope.phase.id)).map((l) => [l.branchId, l]));
    const rosterBranches = await ctx.db
      .selectDistinct({ branchId: campaignRoster.branchId })
      .from(campaignRoster)
      .where(and(eq(campaignRoster.campaignId, scope.campaign.id), isNull(campaignRoster.removedAt)))
      .orderBy(asc(campaignRoster.branchId));
    const names = await branchNames(ctx.db);
    const views = [];
    for (const { branchId } of rosterBranches) {
      if (branchId === null) continue;
      const list = lists.get(branchId) ?? null;
      const { rows, ids } = await applicants(ctx, scope, branchId);
      const confirmation = await confirmationView(ctx, list, ids, scope.campaign.timezone);
      const onList = new Set(list?.memberIds ?? []);
      views.push({ branch: names.get(branchId) ?? '', confirmation, rows: rows.filter((_, i) => onList.has(ids[i]!)) });
    }
    return replyPrivately(ctx, committeeOverviewCard(scope.view, views), '参评名单');
  },
};

export const declareAward: SubcommandSpec = {
  names: ['award', '授牌'],
  usage: '/declare award @某人 [revoke]',
  summary: '授予（或加 撤销 收回）某人申报的示范岗；获授者每学期参加考核（管理员）',
  access: ['admin'],
  async run(ctx: HandlerContext<CommandEvent>, args) {
    const target = ctx.event.mentions[0];
    if (!target) throw new InputError('对象', '请 @ 要授牌的党员，例如：/申报 授牌 @张三');
    const revoke = args.some((a) => ['revoke', '撤销'].includes(a.toLowerCase()));
    const campaign = await currentCampaign(ctx);
    const [row] = await ctx.db
      .select({ declaration: postDeclarations, name: members.name })
      .from(postDeclarations)
      .innerJoin(members, eq(members.id, postDeclarations.memberId))
      .where(and(eq(postDeclarations.campaignId, campaign.id), eq(members.userId, target.userId)))
      .orderBy(desc(postDeclarations.id))
      .limit(1);
    if (!row) throw new InputError('对象', `${target.name} 在本次活动中没有申报，无法授牌。`);
    const now = ctx.clock.now();
    await setAward(ctx.db, row.declaration.id, revoke ? null : ctx.actor.userId, now);
    await auditEntry(ctx.db, now, ctx.event, revoke ? 'declare.revoke' : 'declare.award', `declaration:${row.declaration.id}`, {
      postKind: row.declaration.postKind,
    });
    return {
      text: revoke
        ? `已收回 ${row.name} 的「${row.declaration.postKind}」称号，学期考核不再要求其自评。`
        : `已授予 ${row.name}「${row.declaration.postKind}」称号。每学期考核时我会请其提交学期自评。`,
    };
  },
};
