// /commend (/表彰): the committee ends a campaign — results and candidates per title, nominations,
// the vote, 公示, the final list — and anyone may see where it stands.
import { resultsCard } from '../../cards/commend-cards.js';
import type { CommandSpec, HandlerContext, SubcommandSpec } from '../../bot/registry.js';
import { formatDeadline, formatLocal } from '../../bot/time.js';
import type { Reply } from '../../bot/types.js';
import { replyPrivately } from '../private-card.js';
import { commendContext, type CommendContext } from './context.js';
import { confirmList, startPublicity, startVoting, voteCardFor } from './decide.js';
import { findTitle, namedSubjects, nominateOne, resultsOf, withdrawOne } from './nominate.js';
import type { CardModel } from '../../cards/model.js';
import type { Config } from '../../bot/config.js';
import type { Db } from '../../db/client.js';
import type { CampaignResults } from '../results/compute.js';
import { nomineesOf, objectionsOf } from './store.js';

/** A subcommand's words, less an optional "#3" naming the campaign (several may run at once). */
async function withCampaign(ctx: HandlerContext, args: string[]): Promise<{ cc: CommendContext; words: string[] }> {
  const tag = args.find((a) => /^[#＃]\d{1,9}$/.test(a));
  return { cc: await commendContext(ctx, tag), words: args.filter((a) => a !== tag) };
}

function stageText(cc: CommendContext): string {
  const c = cc.commendation;
  const tz = cc.campaign.timezone;
  switch (c.stage) {
    case 'nominating':
      return '评选表彰：提名中';
    case 'voting':
      return '评选表彰：党委委员表决中';
    case 'publicity':
      return `评选表彰：公示中，至 ${c.publicityTo ? formatDeadline(c.publicityTo, tz) : ''}`;
    case 'final':
      return `评选表彰：名单已确认（${c.confirmedAt ? formatLocal(c.confirmedAt, tz) : ''}）`;
  }
}

/** The results card as of `now`; an administrator's carries the 提名 buttons while nominating. */
export async function resultsCardOf(
  deps: { db: Db; config: Config },
  cc: CommendContext,
  forAdmin: boolean,
  now: Date,
  computed?: CampaignResults,
): Promise<CardModel> {
  const results = computed ?? (await resultsOf({ ...deps, clock: { now: () => now } }, cc));
  const marks = (await nomineesOf(deps.db, cc.commendation.id, ['nominated', 'approved', 'rejected', 'awarded'])).map((n) => ({
    titleId: n.titleId,
    subjectId: n.subjectId,
    status: n.status,
  }));
  return resultsCard({
    campaignTitle: cc.campaign.title,
    campaignNo: cc.campaign.id,
    formula: cc.spec.formula,
    formulaVersion: `${cc.spec.id} 第 ${cc.spec.version} 版`,
    titles: results.titles,
    nominating: forAdmin && cc.commendation.stage === 'nominating' ? { commendationId: cc.commendation.id, marks } : null,
    computedAt: formatLocal(now, cc.campaign.timezone),
    stage: stageText(cc),
  });
}

/** The results card for the sender; `computed` when the caller has just computed them (a nomination does not change scores). */
export async function resultsReply(ctx: HandlerContext, cc: CommendContext, computed?: CampaignResults): Promise<Reply> {
  return replyPrivately(ctx, await resultsCardOf(ctx, cc, ctx.actor.isAdmin, ctx.clock.now(), computed), '活动结果', '查看');
}

const nominateCmd: SubcommandSpec = {
  names: ['nominate', '提名'],
  usage: '/commend nominate <称号> <姓名或支部…> [#活动编号]',
  summary: '提名候选人（不超过称号名额）；姓名可 @ 或直接写',
  access: ['admin'],
  async run(ctx, args) {
    const { cc, words } = await withCampaign(ctx, args);
    const t = findTitle(await resultsOf(ctx, cc), words[0]);
    const lines: string[] = [];
    for (const id of await namedSubjects(ctx, t, words.slice(1))) lines.push(await nominateOne(ctx, cc, t, id));
    return { text: lines.join('\n') };
  },
};

const withdrawCmd: SubcommandSpec = {
  names: ['withdraw', '撤回'],
  usage: '/commend withdraw <称号> <姓名> [理由]',
  summary: '撤回一项提名（表决或公示开始后须写理由）',
  access: ['admin'],
  async run(ctx, args) {
    const { cc, words } = await withCampaign(ctx, args);
    const t = findTitle(await resultsOf(ctx, cc), words[0]);
    // "/表彰 撤回 称号 @张三 理由" (the mention is not among the words) or "/表彰 撤回 称号 张三 理由".
    const mentioned = ctx.event.mentions.length > 0;
    const [id] = await namedSubjects(ctx, t, mentioned ? [] : words.slice(1, 2));
    return {
      text: await withdrawOne(
        ctx,
        cc,
        t.title.id,
        id!,
        words
          .slice(mentioned ? 1 : 2)
          .join(' ')
          .trim(),
      ),
    };
  },
};

const voteCmd: SubcommandSpec = {
  names: ['vote', '表决'],
  usage: '/commend vote',
  summary: '管理员：结束提名，请党委委员表决；委员：打开（或修改）我的表决',
  access: ['admin', 'leader'],
  async run(ctx, args) {
    const { cc } = await withCampaign(ctx, args);
    if (ctx.actor.isAdmin && cc.commendation.stage === 'nominating') return { text: await startVoting(ctx, cc) };
    return replyPrivately(ctx, await voteCardFor(ctx, cc), '表决卡片');
  },
};

/** An administrator's step of the list (公示, 确认): its answer is what the step reports. */
const step = (names: string[], usage: string, summary: string, run: (ctx: HandlerContext, cc: CommendContext) => Promise<string>): SubcommandSpec => ({
  names,
  usage,
  summary,
  access: ['admin'],
  async run(ctx, args) {
    return { text: await run(ctx, (await withCampaign(ctx, args)).cc) };
  },
});

const publicityCmd = step(['publicity', '公示'], '/commend publicity', '计票（党委委员过半数同意）并在各支部群公示，公示期按模板的工作日数', startPublicity);
const confirmCmd = step(['confirm', '确认'], '/commend confirm', '公示期满后确认表彰名单：在各支部群公布，向受表彰者致贺并发送荣誉证书或标牌', confirmList);

const objectionsCmd: SubcommandSpec = {
  names: ['objections', '异议'],
  usage: '/commend objections',
  summary: '公示期间收到的异议',
  access: ['admin', 'leader'],
  async run(ctx, args) {
    const { cc } = await withCampaign(ctx, args);
    const list = await objectionsOf(ctx.db, cc.commendation.id);
    if (!list.length) return { text: '没有收到异议。' };
    const nominees = new Map(
      (await nomineesOf(ctx.db, cc.commendation.id, ['approved', 'rejected', 'awarded', 'withdrawn', 'nominated'])).map((n) => [n.id, n]),
    );
    const lines = list.map((o, i) => {
      const n = o.nomineeId ? nominees.get(o.nomineeId) : null;
      const who = o.name ? `${o.name}${o.contact ? `（${o.contact}）` : ''}` : '匿名';
      return `${i + 1}. ${formatLocal(o.at, cc.campaign.timezone)} ${n ? `${n.titleName}·${n.name}` : '整个名单'}｜${who}：${o.text}`;
    });
    return { text: `收到异议 ${list.length} 条：\n${lines.join('\n')}` };
  },
};

export const commendCommand: CommandSpec = {
  name: 'commend',
  aliases: ['表彰', '评选'],
  usage: '/commend [活动编号]',
  summary: '活动结果与评选表彰：各称号候选人排名、提名、表决、公示和表彰名单',
  access: ['admin', 'leader'],
  async run(ctx) {
    return resultsReply(ctx, await commendContext(ctx, ctx.event.args[0]));
  },
  subcommands: [nominateCmd, withdrawCmd, voteCmd, publicityCmd, confirmCmd, objectionsCmd],
};
