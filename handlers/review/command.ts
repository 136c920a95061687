// /review (/评议): my ballot; start, status, remind, close for secretaries; leader for 领导点评.
import { eq } from 'drizzle-orm';
import { enqueue } from '../../bot/outbox.js';
import { InputError } from '../../bot/errors.js';
import { formatLocal } from '../../bot/time.js';
import { ballotInviteCard } from '../../cards/review-cards.js';
import { runBatch } from '../../db/client.js';
import { reviewRounds } from '../../db/schema.js';
import { auditEntry } from '../audit.js';
import type { CommandSpec, HandlerContext, SubcommandSpec } from '../../bot/registry.js';
import { replyPrivately } from '../private-card.js';
import { requireChatBranch } from '../sync.js';
import { requireSecret } from './anonymity.js';
import { memberCriteria } from './criteria.js';
import { ballotFor } from './ballot.js';
import { leaderCardsFor } from './leader.js';
import { branchPeople, completedVoters, openRoundOf, roundRoster } from './store.js';
import { publishRound, startRound } from './rounds.js';
import { runningCampaign } from '../campaign/current.js';
import { sendableToOthers } from '../../bot/holiday-hold.js';

const REMIND_EVERY_MS = 3600_000;

async function openRoundHere(ctx: HandlerContext) {
  const branch = requireChatBranch(ctx);
  const round = await openRoundOf(ctx.db, branch.id);
  if (!round) throw new InputError('评议', `「${branch.name}」当前没有进行中的党员互评。书记可发送 /评议 开始。`);
  return { branch, round };
}

const start: SubcommandSpec = {
  names: ['start', '开始'],
  usage: '/review start [五带头|等次]',
  summary: '在本支部开始一轮党员互评，私信每位党员评议卡片（支部书记）',
  access: ['secretary', 'admin'],
  groupOnly: true,
  async run(ctx, args) {
    const { db, event, clock, config } = ctx;
    requireSecret(config.reviewSecret);
    const branch = requireChatBranch(ctx);
    if (await openRoundOf(db, branch.id)) throw new InputError('评议', '本支部已有一轮进行中的互评，请先发送 /评议 结束。');
    const campaign = await runningCampaign(ctx);
    const word = args[0];
    if (word && !['五带头', 'five-leads', '等次', 'grade-only'].includes(word)) {
      throw new InputError('评议标准', `评议标准只能是「五带头」（等次加五项星级）或「等次」（只评等次），收到「${word}」。`);
    }
    const criteria = word === '等次' || word === 'grade-only' ? [] : memberCriteria(campaign?.template);
    const memberIds = await branchPeople(db, branch.id, campaign?.id ?? null);
    if (memberIds.length < 2) throw new InputError('名册', '本支部名册不足 2 人，无法互评。请先发送 /同步。');
    const now = clock.now();
    const round = await startRound(
      ctx,
      {
        platform: event.platform,
        tenantKey: event.tenantKey,
        branchId: branch.id,
        phaseId: null,
        criteria,
        minBallots: config.reviewMinBallots,
        openedBy: event.userId,
        now,
        memberIds,
      },
      null,
      // Invitations to the branch wait for the morning when the round is opened late at night, and for the end of a holiday.
      await sendableToOthers(db, event, config.timezone, now),
    );
    if (!round) throw new InputError('评议', '本支部已有一轮进行中的互评，请先发送 /评议 结束。');
    await auditEntry(db, now, event, 'review.start', `round:${round.id}`, { branch: branch.name, members: memberIds.length });
    ctx.outboxWritten();
    return {
      text: `已开始「${branch.name}」党员互评：共 ${memberIds.length} 人参加，评议卡片已私信发送。评议匿名，结果只公布汇总（每人至少 ${config.reviewMinBallots} 份评价才显示）。`,
    };
  },
};

const status: SubcommandSpec = {
  names: ['status', '进度'],
  usage: '/review status',
  summary: '查看互评进度：多少人已评、谁还没评（不显示任何人的评分）',
  access: ['secretary', 'admin'],
  groupOnly: true,
  async run(ctx) {
    const { round, branch } = await openRoundHere(ctx);
    const roster = await roundRoster(ctx.db, round.id);
    const done = await completedVoters(ctx.db, requireSecret(ctx.config.reviewSecret), round.id, roster);
    const pending = roster.filter((m) => !done.has(m.id)).map((m) => m.name);
    return {
      text: `「${branch.name}」党员互评：已完成 ${done.size}/${roster.length} 人。${pending.length ? `尚未完成：${pending.join('、')}。` : '全部完成。'}`,
    };
  },
};

const remind: SubcommandSpec = {
  names: ['remind', '催办'],
  usage: '/review remind',
  summary: '私信提醒尚未完成互评的党员（每小时最多一次）',
  access: ['secretary', 'admin'],
  groupOnly: true,
  async run(ctx) {
    const { db, clock, event } = ctx;
    const { round, branch } = await openRoundHere(ctx);
    const now = clock.now();
    if (round.lastRemindAt && now.getTime() - round.lastRemindAt.getTime() < REMIND_EVERY_MS) {
      const next = new Date(round.lastRemindAt.getTime() + REMIND_EVERY_MS);
      return { text: `每小时最多催办一次，请在 ${formatLocal(next, ctx.config.timezone)} 之后再试。` };
    }
    const roster = await roundRoster(db, round.id);
    const done = await completedVoters(db, requireSecret(ctx.config.reviewSecret), round.id, roster);
    const pending = roster.filter((m) => !done.has(m.id));
    const card = ballotInviteCard(round.id, branch.name, roster.length - 1, null);
    card.title = `提醒：请完成党员互评 · ${branch.name}`;
    const notBefore = await sendableToOthers(db, event, ctx.config.timezone, now);
    await runBatch(db, [
      db.update(reviewRounds).set({ lastRemindAt: now }).where(eq(reviewRounds.id, round.id)),
      ...pending.map((m) =>
        enqueue(db, {
          key: `review:${round.id}:remind:${now.getTime()}:${m.id}`,
          platform: event.platform,
          to: { type: 'user', id: m.userId },
          content: { kind: 'card', card },
          notBefore,
        }),
      ),
    ]);
    ctx.outboxWritten();
    return { text: pending.length ? `已私信提醒 ${pending.length} 位尚未完成的同志。` : '全部同志都已完成互评，无需提醒。' };
  },
};

const close: SubcommandSpec = {
  names: ['close', '结束'],
  usage: '/review close',
  summary: '结束本轮互评，发布汇总结果（书记看全支部，个人只看自己的）',
  access: ['secretary', 'admin'],
  groupOnly: true,
  async run(ctx) {
    const { round, branch } = await openRoundHere(ctx);
    await publishRound(ctx, round, ctx.clock.now(), await sendableToOthers(ctx.db, ctx.event, ctx.config.timezone, ctx.clock.now()));
    await auditEntry(ctx.db, ctx.clock.now(), ctx.event, 'review.close', `round:${round.id}`, { branch: branch.name });
    ctx.outboxWritten();
    return { text: `已结束「${branch.name}」本轮党员互评：结果已私信发送书记和每位同志，本群将收到汇总。` };
  },
};

const leader: SubcommandSpec = {
  names: ['leader', '点评'],
  usage: '/review leader',
  summary: '领导点评：获取您联系的各支部的点评卡片（党委委员）',
  access: ['leader'],
  async run(ctx) {
    const cards = await leaderCardsFor(ctx);
    if (ctx.event.chatType === 'p2p' && cards.length === 1) return { card: cards[0]! };
    cards.forEach((card, i) => ctx.send({ type: 'user', id: ctx.actor.userId }, { kind: 'card', card }, `leader-cmd:${ctx.event.eventId}:${i}`));
    return { text: `已私信发送 ${cards.length} 张点评卡片。` };
  },
};

export const reviewCommand: CommandSpec = {
  name: 'review',
  aliases: ['评议'],
  usage: '/review',
  summary: '获取我的党员互评卡片（匿名）',
  access: ['member'],
  async run(ctx) {
    return replyPrivately(ctx, await ballotFor(ctx, {}), '评议卡片');
  },
  subcommands: [start, status, remind, close, leader],
};
