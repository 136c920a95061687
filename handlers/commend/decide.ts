// The committee decides: a vote on the nominated list (majority of the committee per nominee), 公示 of
// the approved list in every branch chat for N working days, then the confirmed list, announced, with a
// congratulation and certificate for each winner; awarded posts are held from then on.
// Each step changes its rows in one batch with its audit row; a re-run of the same delivery (after a
// crash) finds the audit row and sends again what the step sends (the outbox keys make that a no-op).
import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import { commendVoteCard, commendVotedCard, congratulationCard, finalListCard, publicityCard, type NomineeLine } from '../../cards/commend-cards.js';
import type { CardModel } from '../../cards/model.js';
import { InputError } from '../../bot/errors.js';
import type { HandlerContext } from '../../bot/registry.js';
import { addDays, addWorkingDays, formatDeadline, localDate, zonedTime } from '../../bot/time.js';
import { runBatch } from '../../db/client.js';
import { branches, members, postDeclarations } from '../../db/schema.js';
import { alreadyApplied, auditEntry } from '../audit.js';
import { committeeMembers } from '../committee.js';
import type { CommendContext } from './context.js';
import { chineseDate } from './dates.js';
import { nomineeTitle } from './store.js';
import { insertVotes, latestVotes, nextVoteRevision, nomineesOf, stageStatement, statusStatement, type NomineeRow } from './store.js';
import { onCommittee } from '../../bot/campaign/template.js';

const line = (n: NomineeRow): NomineeLine => ({
  id: n.id,
  title: nomineeTitle(n),
  name: n.name,
  branch: n.branch,
  score: n.score === null ? '' : ` ${n.score} 分`,
});

/** The committee that votes: the organisation's active 党委委员 (the roster's leaders). */
const committee = (ctx: HandlerContext) => committeeMembers(ctx.db, ctx.event.platform, ctx.event.tenantKey);

async function branchChats(ctx: HandlerContext) {
  return ctx.db
    .select({ id: branches.id, chatId: branches.chatId })
    .from(branches)
    .where(and(eq(branches.platform, ctx.event.platform), eq(branches.tenantKey, ctx.event.tenantKey), isNotNull(branches.chatId)));
}

function requireVoter(ctx: HandlerContext, cc: CommendContext) {
  if (cc.commendation.stage !== 'voting') throw new InputError('阶段', cc.commendation.stage === 'nominating' ? '表决尚未开始。' : '表决已经结束。');
  const me = ctx.actor.member;
  if (!me || !onCommittee(me) || !me.active) throw new InputError('表决', '只有党委委员参加表决。');
  return me;
}

export async function voteCardFor(ctx: HandlerContext, cc: CommendContext): Promise<CardModel> {
  const me = requireVoter(ctx, cc);
  const nominees = await nomineesOf(ctx.db, cc.commendation.id, ['nominated']);
  const votes = await latestVotes(
    ctx.db,
    nominees.map((n) => n.id),
  );
  const given = Object.fromEntries(nominees.flatMap((n) => (votes.get(n.id)?.get(me.id) ? [[n.id, votes.get(n.id)!.get(me.id)!]] : [])));
  return commendVoteCard({ commendationId: cc.commendation.id, campaignTitle: cc.campaign.title, nominees: nominees.map(line), given });
}

/** Closes nominations and sends every committee member their ballot on the list. */
export async function startVoting(ctx: HandlerContext, cc: CommendContext): Promise<string> {
  const rerun = await alreadyApplied(ctx.db, ctx.event, 'commend.voting');
  if (!rerun && cc.commendation.stage !== 'nominating') throw new InputError('阶段', '表决已经开始。');
  const nominees = await nomineesOf(ctx.db, cc.commendation.id, ['nominated']);
  if (!nominees.length) throw new InputError('提名', '还没有提名任何人。发送 /表彰 查看候选人并提名。');
  const voters = await committee(ctx);
  if (!voters.length) throw new InputError('党委委员', '名册中没有党委委员，无法表决。请先用 /角色 @某人 委员 设置。');
  if (!rerun) {
    await runBatch(ctx.db, [
      stageStatement(ctx.db, cc.commendation.id, 'nominating', 'voting'),
      auditEntry(ctx.db, ctx.clock.now(), ctx.event, 'commend.voting', String(cc.commendation.id), { nominees: nominees.length, voters: voters.length }),
    ]);
  }
  const card = commendVoteCard({ commendationId: cc.commendation.id, campaignTitle: cc.campaign.title, nominees: nominees.map(line), given: {} });
  for (const v of voters) ctx.send({ type: 'user', id: v.userId }, { kind: 'card', card }, `commend-vote:${cc.commendation.id}:${v.userId}`);
  return `表决已开始：${nominees.length} 名候选，已私信 ${voters.length} 位党委委员。过半数同意的进入公示；委员表决后发送 /表彰 公示。`;
}

export async function recordVote(ctx: HandlerContext, cc: CommendContext, form: Record<string, string>): Promise<CardModel> {
  const me = requireVoter(ctx, cc);
  const nominees = await nomineesOf(ctx.db, cc.commendation.id, ['nominated']);
  const missing = nominees.filter((n) => form[`v_${n.id}`] !== 'yes' && form[`v_${n.id}`] !== 'no');
  if (missing.length) throw new InputError('表决', `请对每位候选表决，尚未选择：${missing.map((n) => `${n.titleName}·${n.name}`).join('、')}。`);
  const votes = nominees.map((n) => ({ nomineeId: n.id, vote: form[`v_${n.id}`] as 'yes' | 'no' }));
  const ids = nominees.map((n) => n.id);
  // A resumed run of the same submit finds its audit row: no second revision.
  let revision = await nextVoteRevision(ctx.db, me.id, ids);
  if (await alreadyApplied(ctx.db, ctx.event, 'commend.vote')) revision -= 1;
  else {
    const now = ctx.clock.now();
    await runBatch(ctx.db, [
      insertVotes(ctx.db, me.id, revision, votes, now),
      auditEntry(ctx.db, now, ctx.event, 'commend.vote', `${cc.commendation.id}:${me.id}`, {
        revision,
        votes: Object.fromEntries(nominees.map((n) => [`${n.titleName}·${n.name}`, form[`v_${n.id}`]])),
      }),
    ]);
  }
  return commendVotedCard({
    campaignTitle: cc.campaign.title,
    lines: nominees.map((n) => `${n.titleName}·${n.name}：${form[`v_${n.id}`] === 'yes' ? '同意' : '不同意'}`),
    revision,
  });
}

/** Counts the votes (more than half of the committee), and posts the approved list for objections. */
export async function startPublicity(ctx: HandlerContext, cc: CommendContext): Promise<string> {
  const tz = cc.campaign.timezone;
  const rerun = await alreadyApplied(ctx.db, ctx.event, 'commend.publicity');
  if (!rerun && cc.commendation.stage !== 'voting')
    throw new InputError('阶段', cc.commendation.stage === 'nominating' ? '请先发送 /表彰 表决。' : '公示已经开始。');
  let approved: NomineeRow[];
  let rejected = 0;
  let from = cc.commendation.publicityFrom ?? ctx.clock.now();
  let to = cc.commendation.publicityTo ?? from;
  if (rerun) {
    approved = await nomineesOf(ctx.db, cc.commendation.id, ['approved']);
    rejected = (await nomineesOf(ctx.db, cc.commendation.id, ['rejected'])).length;
  } else {
    const nominees = await nomineesOf(ctx.db, cc.commendation.id, ['nominated']);
    const voters = await committee(ctx);
    const voterIds = new Set(voters.map((v) => v.id));
    const votes = await latestVotes(
      ctx.db,
      nominees.map((n) => n.id),
    );
    const yesOf = (n: NomineeRow) => [...(votes.get(n.id) ?? new Map()).entries()].filter(([id, v]) => voterIds.has(id) && v === 'yes').length;
    const votedBy = new Set(nominees.flatMap((n) => [...(votes.get(n.id)?.keys() ?? [])]).filter((id) => voterIds.has(id)));
    if (votedBy.size * 2 <= voters.length) {
      throw new InputError('表决', `已表决的委员 ${votedBy.size}/${voters.length} 人，未过半数，暂不能公示。可稍后再试，或提醒委员发送 /表彰 表决。`);
    }
    approved = nominees.filter((n) => yesOf(n) * 2 > voters.length);
    const no = nominees.filter((n) => !approved.includes(n));
    rejected = no.length;
    if (!approved.length) throw new InputError('表决', '没有候选获得党委委员过半数同意，无法公示。委员可发送 /表彰 表决 修改表决。');
    from = ctx.clock.now();
    // Working days: weekends and the campaign's holidays (寒暑假) do not count.
    to = zonedTime(addDays(addWorkingDays(localDate(from, tz), cc.commendation.publicityDays, cc.campaign.blackouts), 1), 0, tz);
    await runBatch(ctx.db, [
      stageStatement(ctx.db, cc.commendation.id, 'voting', 'publicity', { publicityFrom: from, publicityTo: to }),
      statusStatement(
        ctx.db,
        approved.map((n) => n.id),
        'nominated',
        'approved',
      ),
      statusStatement(
        ctx.db,
        no.map((n) => n.id),
        'nominated',
        'rejected',
      ),
      auditEntry(ctx.db, from, ctx.event, 'commend.publicity', String(cc.commendation.id), {
        tally: Object.fromEntries(nominees.map((n) => [`${n.titleName}·${n.name}`, `${yesOf(n)}/${voters.length}`])),
        until: localDate(new Date(to.getTime() - 1), tz),
      }),
    ]);
  }
  const card = publicityCard({
    campaignTitle: cc.campaign.title,
    from: localDate(from, tz),
    to: localDate(new Date(to.getTime() - 1), tz),
    days: cc.commendation.publicityDays,
    entries: approved.map((n) => ({ title: line(n).title, name: n.name, branch: n.branch })),
    url: ctx.pages?.publicityUrl(cc.commendation.id) ?? null,
  });
  for (const b of await branchChats(ctx)) ctx.send({ type: 'chat', id: b.chatId! }, { kind: 'card', card }, `commend-publicity:${cc.commendation.id}:${b.id}`);
  return `表决结果：${approved.length} 名过半数同意进入公示${rejected ? `，${rejected} 名未通过` : ''}。公示至 ${formatDeadline(to, tz)}，已发往各支部群。`;
}

/** After 公示: the approved list becomes final, is announced, and each winner is congratulated. */
export async function confirmList(ctx: HandlerContext, cc: CommendContext): Promise<string> {
  const c = cc.commendation;
  const tz = cc.campaign.timezone;
  const rerun = await alreadyApplied(ctx.db, ctx.event, 'commend.confirm');
  let winners: NomineeRow[];
  let decided = c.confirmedAt ?? ctx.clock.now();
  if (rerun) winners = await nomineesOf(ctx.db, c.id, ['awarded']);
  else {
    if (c.stage !== 'publicity') throw new InputError('阶段', c.stage === 'final' ? '表彰名单已经确认。' : '请先表决并公示。');
    decided = ctx.clock.now();
    if (c.publicityTo && decided < c.publicityTo) throw new InputError('公示', `公示期至 ${formatDeadline(c.publicityTo, tz)}，期满后才能确认。`);
    winners = await nomineesOf(ctx.db, c.id, ['approved']);
    // 授牌: an awarded post is held, and re-assessed every semester from now on.
    const posts = winners.filter((w) => cc.spec.titles.find((t) => t.id === w.titleId)?.award === 'plaque').map((w) => w.subjectId);
    await runBatch(ctx.db, [
      stageStatement(ctx.db, c.id, 'publicity', 'final', { confirmedAt: decided, confirmedBy: ctx.actor.userId }),
      statusStatement(
        ctx.db,
        winners.map((w) => w.id),
        'approved',
        'awarded',
      ),
      ctx.db
        .update(postDeclarations)
        .set({ awardedAt: decided, awardedBy: ctx.actor.userId })
        .where(and(eq(postDeclarations.campaignId, cc.campaign.id), inArray(postDeclarations.memberId, posts.length ? posts : [-1]))),
      auditEntry(ctx.db, decided, ctx.event, 'commend.confirm', String(c.id), { winners: winners.map((w) => `${w.titleName}·${w.name}`) }),
    ]);
  }
  const card = finalListCard({
    campaignTitle: cc.campaign.title,
    date: chineseDate(localDate(decided, tz)),
    entries: winners.map((n) => ({ title: line(n).title, name: n.name, branch: n.branch })),
  });
  for (const b of await branchChats(ctx)) ctx.send({ type: 'chat', id: b.chatId! }, { kind: 'card', card }, `commend-final:${c.id}:${b.id}`);
  for (const w of winners) {
    const plaque = cc.spec.titles.find((t) => t.id === w.titleId)?.award === 'plaque';
    const congrats = congratulationCard({
      name: w.name,
      title: line(w).title,
      campaignTitle: cc.campaign.title,
      certificateUrl: ctx.pages?.certificateUrl(w.id) ?? null,
      collective: w.subjectKind === 'branch',
      plaque,
    });
    const to = await recipientOf(ctx, w);
    if (to) ctx.send(to, { kind: 'card', card: congrats }, `commend-congrats:${w.id}`);
  }
  return `表彰名单已确认：${winners.length} 名，已在各支部群公布并向受表彰者致贺。`;
}

async function recipientOf(ctx: HandlerContext, w: NomineeRow) {
  if (w.subjectKind === 'branch') {
    const [b] = await ctx.db.select({ chatId: branches.chatId }).from(branches).where(eq(branches.id, w.subjectId));
    return b?.chatId ? ({ type: 'chat', id: b.chatId } as const) : null;
  }
  const [m] = await ctx.db.select({ userId: members.userId }).from(members).where(eq(members.id, w.subjectId));
  return m ? ({ type: 'user', id: m.userId } as const) : null;
}
