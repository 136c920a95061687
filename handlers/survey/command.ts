// /survey (/满意度): a branch secretary opens, reads and closes the branch's satisfaction survey.
import type { CardModel } from '../../cards/model.js';
import { surveyOpenedCard, surveyPrintCard, surveyResultCard, type SurveyView } from '../../cards/survey-cards.js';
import { actorBranchId } from '../../bot/access.js';
import { SIX_GOOD } from '../../bot/campaign/standards/index.js';
import { findTemplate } from '../../bot/campaign/templates/index.js';
import { InputError } from '../../bot/errors.js';
import type { PublicPages } from '../../bot/platform.js';
import type { CommandSpec, HandlerContext, SubcommandSpec } from '../../bot/registry.js';
import type { CommandEvent } from '../../bot/types.js';
import { and, desc, eq, isNotNull } from 'drizzle-orm';
import { members, postDeclarations } from '../../db/schema.js';
import type { Db } from '../../db/client.js';
import { branchById } from '../branches.js';
import { replyPrivately } from '../private-card.js';
import { requireChatBranch } from '../sync.js';
import { DEFAULT_CRITERIA, MAX_CODES } from './fields.js';
import { RATE_RULE, surveyResult } from './results.js';
import { closeSurvey, latestSurveyOfBranch, openSurvey, openSurveyOfBranch, recentComments, type SurveyRow, tallyOf } from './store.js';

/** Seed 004, item 18: 党员和师生员工对基层党组织的满意度达到90%以上. */
export const SURVEY_THRESHOLD = SIX_GOOD.satisfaction.threshold;
export const SURVEY_MIN_SAMPLE = 30;
/** The 五个好 of the excellence template (领导班子好 … 师生员工反映好), as a 群众评议's criteria. */
const FIVE_GOOD = (): string[] => findTemplate('excellence')?.template.criteria.branch.map((c) => c.name) ?? [];

/** The plaque of a member who holds no awarded post. */
const DEFAULT_POST = '党员先锋岗';

function requirePages(ctx: HandlerContext): PublicPages {
  if (!ctx.pages) throw new InputError('网页', '尚未配置网页链接（WEB_LINK_SECRET，及 PUBLIC_URL），无法开启测评，请联系管理员。');
  return ctx.pages;
}

function requireKey(ctx: HandlerContext): string {
  if (!ctx.config.reviewSecret) throw new InputError('配置', '测评需要配置 REVIEW_SECRET，请联系管理员。');
  return ctx.config.reviewSecret;
}

export function viewOf(survey: SurveyRow, branchName: string, pages: PublicPages): SurveyView {
  return { id: survey.id, branchName, title: survey.title, mode: survey.mode, url: pages.surveyUrl(survey.id) };
}

export async function resultCardOf(db: Db, survey: SurveyRow, branchName: string, pages: PublicPages): Promise<CardModel> {
  const result = surveyResult(await tallyOf(db, survey.id), survey.threshold, survey.minSample, survey.criteria);
  return surveyResultCard({ ...viewOf(survey, branchName, pages), status: survey.status }, result, await recentComments(db, survey.id, 10));
}

function codesArg(args: string[]): number {
  const i = args.findIndex((a) => a === '编码' || a === 'coded');
  if (i < 0) return 0;
  const n = Number(args[i + 1] ?? '30');
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_CODES)
    throw new InputError('评价码数量', `评价码数量应为 1–${MAX_CODES} 的整数，例如：/满意度 开启 编码 50。`);
  return n;
}

const surveyOpen: SubcommandSpec = {
  names: ['open', '开启'],
  usage: '/survey open [@某人|五个好] [coded N]',
  summary: '开启本支部（或 @某人 的示范岗）的服务满意度测评，或“五个好”群众评议：开放链接，或“编码 N”生成 N 个一次性评价码；附可打印的二维码/标牌',
  access: ['secretary', 'leader', 'admin'],
  groupOnly: true,
  async run(ctx, args) {
    const pages = requirePages(ctx);
    const secret = requireKey(ctx);
    const branch = requireChatBranch(ctx);
    const subject = await subjectOf(ctx, branch.id);
    const running = await openSurveyOfBranch(ctx.db, branch.id, subject?.memberId ?? null);
    if (running) {
      throw new InputError(
        '测评',
        `${subject ? `${subject.name}的岗位` : '本支部'}已有进行中的测评 #${running.id}。如需重新开启，请先发送 /满意度 关闭${subject ? ` @${subject.name}` : ''}。`,
      );
    }
    const codes = codesArg(args);
    // 群众评议 of the 五个好 (seed 002): the branch judged on the excellence template's five criteria.
    const fiveGood = args.includes('五个好') && !subject;
    const survey = await openSurvey(ctx.db, secret, {
      platform: ctx.event.platform,
      tenantKey: ctx.event.tenantKey,
      branchId: branch.id,
      campaignId: null,
      phaseId: null,
      memberId: subject?.memberId ?? null,
      postTitle: subject?.post ?? null,
      title: subject ? `${subject.name} · ${subject.post} 服务满意度测评` : fiveGood ? `${branch.name} 群众评议（五个好）` : `${branch.name} 服务满意度测评`,
      mode: codes ? 'coded' : 'open',
      codes,
      criteria: fiveGood ? FIVE_GOOD() : DEFAULT_CRITERIA,
      threshold: SURVEY_THRESHOLD,
      minSample: SURVEY_MIN_SAMPLE,
      rateRule: RATE_RULE,
      openedBy: ctx.actor.userId,
      now: ctx.clock.now(),
    });
    const view = viewOf(survey, branch.name, pages);
    ctx.send(
      { type: 'user', id: ctx.actor.userId },
      { kind: 'card', card: surveyPrintCard(view, pages.surveyPrintUrl(survey.id), codes) },
      `survey-print:${survey.id}`,
    );
    return { card: surveyOpenedCard(view, null) };
  },
};

/** Whom a command is about: a member @-mentioned (their post's survey), else the branch. */
async function subjectOf(ctx: HandlerContext<CommandEvent>, branchId: number): Promise<{ memberId: number; name: string; post: string } | null> {
  const mention = ctx.event.mentions[0];
  if (!mention) return null;
  const [member] = await ctx.db
    .select({ id: members.id, name: members.name })
    .from(members)
    .where(
      and(
        eq(members.platform, ctx.event.platform),
        eq(members.tenantKey, ctx.event.tenantKey),
        eq(members.userId, mention.userId),
        eq(members.branchId, branchId),
      ),
    );
  if (!member) throw new InputError('成员', `${mention.name} 不在本支部名册中。`);
  const [awarded] = await ctx.db
    .select({ post: postDeclarations.postKind })
    .from(postDeclarations)
    .where(and(eq(postDeclarations.memberId, member.id), isNotNull(postDeclarations.awardedAt)))
    .orderBy(desc(postDeclarations.awardedAt))
    .limit(1);
  return { memberId: member.id, name: member.name, post: awarded?.post ?? DEFAULT_POST };
}

async function branchSurvey(ctx: HandlerContext<CommandEvent>): Promise<{ survey: SurveyRow; branchName: string }> {
  const branchId = actorBranchId(ctx.actor);
  const subject = await subjectOf(ctx, branchId);
  const survey = await latestSurveyOfBranch(ctx.db, branchId, subject?.memberId ?? null);
  if (!survey)
    throw new InputError(
      '测评',
      `${subject ? `${subject.name}的岗位` : '本支部'}还没有开启过满意度测评。书记可在支部群中发送 /满意度 开启${subject ? ` @${subject.name}` : ''}。`,
    );
  return { survey, branchName: (await branchById(ctx.db, branchId)).name };
}

const surveyResultCmd: SubcommandSpec = {
  names: ['result', '结果'],
  usage: '/survey result [@某人]',
  summary: '查看本支部测评结果（私信，支部书记、党委委员）',
  access: ['secretary', 'leader', 'admin'],
  async run(ctx) {
    const pages = requirePages(ctx);
    const { survey, branchName } = await branchSurvey(ctx);
    return replyPrivately(ctx, await resultCardOf(ctx.db, survey, branchName, pages), '测评结果');
  },
};

const surveyClose: SubcommandSpec = {
  names: ['close', '关闭'],
  usage: '/survey close [@某人]',
  summary: '结束本支部的测评，结果私信发给书记',
  access: ['secretary', 'admin'],
  async run(ctx) {
    const pages = requirePages(ctx);
    const { survey, branchName } = await branchSurvey(ctx);
    if (!(await closeSurvey(ctx.db, survey.id, ctx.clock.now()))) throw new InputError('测评', `测评 #${survey.id} 已经结束。`);
    const closed = { ...survey, status: 'closed' as const };
    return replyPrivately(ctx, await resultCardOf(ctx.db, closed, branchName, pages), '测评结果');
  },
};

export const surveyCommand: CommandSpec = {
  name: 'survey',
  aliases: ['满意度'],
  usage: '/survey',
  summary: '师生评议（满意度测评）：开启、查看结果、结束',
  access: ['secretary', 'leader', 'admin'],
  run: (ctx) => surveyResultCmd.run(ctx, []),
  subcommands: [surveyOpen, surveyResultCmd, surveyClose],
};
