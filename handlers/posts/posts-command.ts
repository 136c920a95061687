// /posts (/示范岗): the organisation's held model posts with their latest semester re-check and its
// status (a secretary sees the own branch's), the revoked ones with their reasons; 撤销 by admins.
import { eq, inArray } from 'drizzle-orm';
import { passLineOf } from '../../bot/campaign/rubric.js';
import { semesterLabel } from '../../bot/campaign/semesters.js';
import { onCommittee } from '../../bot/campaign/template.js';
import { InputError } from '../../bot/errors.js';
import type { CommandSpec, HandlerContext, SubcommandSpec } from '../../bot/registry.js';
import { localDate } from '../../bot/time.js';
import type { CommandEvent } from '../../bot/types.js';
import { heldPostsCard, revokeFormCard, type PostLine, type RevokedLine } from '../../cards/post-cards.js';
import { campaignPhases, campaigns } from '../../db/schema.js';
import { alreadyApplied } from '../audit.js';
import { replyPrivately } from '../private-card.js';
import { datesOf } from './calendar.js';
import { phaseScores, statusOf, statusText, type RecheckScores } from './outcome.js';
import { checkReason, revokeHeld } from './revoke.js';
import { heldPosts, rechecksOf, type HeldPost } from './store.js';

type Ctx = HandlerContext<CommandEvent>;

const orgOf = (ctx: HandlerContext) => ({ platform: ctx.event.platform, tenantKey: ctx.event.tenantKey });

/** Admins and committee members see every post; a secretary those of the own branch. */
function visible(ctx: HandlerContext, posts: HeldPost[]): HeldPost[] {
  if (ctx.actor.isAdmin || (ctx.actor.member && onCommittee(ctx.actor.member))) return posts;
  const branchId = ctx.actor.member?.branchId ?? null;
  return posts.filter((p) => p.branchId !== null && p.branchId === branchId);
}

async function latestLines(ctx: HandlerContext, posts: HeldPost[]): Promise<Map<number, { text: string; failed: boolean }>> {
  const rechecks = await rechecksOf(
    ctx.db,
    posts.map((p) => p.declarationId),
  );
  const latest = new Map<number, (typeof rechecks)[number]>();
  for (const r of rechecks) if (!latest.has(r.recheck.declarationId)) latest.set(r.recheck.declarationId, r);
  const phaseIds = [...new Set([...latest.values()].map((r) => r.recheck.phaseId))];
  const phases = phaseIds.length
    ? await ctx.db
        .select({ id: campaignPhases.id, closesAt: campaignPhases.closesAt, template: campaigns.template })
        .from(campaignPhases)
        .innerJoin(campaigns, eq(campaigns.id, campaignPhases.campaignId))
        .where(inArray(campaignPhases.id, phaseIds))
    : [];
  const scores = new Map<number, Map<number, RecheckScores>>();
  for (const id of phaseIds) scores.set(id, await phaseScores(ctx.db, id));
  const now = ctx.clock.now();
  const out = new Map<number, { text: string; failed: boolean }>();
  for (const post of posts) {
    const r = latest.get(post.declarationId);
    const phase = r && phases.find((p) => p.id === r.recheck.phaseId);
    if (!r || !phase) continue;
    const passLine = passLineOf(phase.template.rubric ?? { total: 100 });
    const s = scores.get(phase.id)?.get(post.memberId);
    const status = statusOf(s, now >= phase.closesAt, passLine);
    out.set(post.declarationId, { text: `${semesterLabel(datesOf(r.semester))}：${statusText(status, s, passLine)}`, failed: status === 'failed' });
  }
  return out;
}

async function list(ctx: Ctx) {
  const tz = ctx.config.timezone;
  const all = visible(ctx, await heldPosts(ctx.db, { org: orgOf(ctx), revoked: true }));
  const held = all.filter((p) => !p.revokedAt);
  const latest = await latestLines(ctx, held);
  const lines: PostLine[] = held.map((p) => ({
    no: p.declarationId,
    name: p.name,
    branch: p.branchName,
    postKind: p.postKind,
    awarded: localDate(p.awardedAt, tz),
    campaign: p.campaignTitle,
    latest: latest.get(p.declarationId)?.text ?? '尚未复核',
    flagged: latest.get(p.declarationId)?.failed ?? false,
  }));
  const revoked: RevokedLine[] = all
    .filter((p) => p.revokedAt)
    .map((p) => ({ name: p.name, branch: p.branchName, postKind: p.postKind, revoked: localDate(p.revokedAt!, tz), reason: p.revokeReason ?? '' }));
  return replyPrivately(ctx, heldPostsCard(lines, revoked, ctx.actor.isAdmin), '示范岗名单', '查看');
}

/** The post named by "#12" / "12", an @-mention, or the holder's name; several matches are refused with their numbers. */
async function namedPost(ctx: Ctx, args: string[]): Promise<{ post: HeldPost; rest: string[] }> {
  // A run resumed after a crash finds the post it revoked.
  const resumed = await alreadyApplied(ctx.db, ctx.event, 'post.revoke');
  const held = (await heldPosts(ctx.db, { org: orgOf(ctx), revoked: resumed })).filter((p) => !p.revokedAt || p.revokedBy === ctx.actor.userId);
  const mention = ctx.event.mentions[0];
  let matches: HeldPost[];
  let rest = args;
  if (mention) matches = held.filter((p) => p.userId === mention.userId);
  else {
    const word = args[0];
    if (!word) throw new InputError('对象', '请写明要撤销的示范岗，例如：/示范岗 撤销 张三 本学期复核未达标');
    rest = args.slice(1);
    const no = /^[#＃]?(\d+)$/.exec(word);
    matches = no ? held.filter((p) => p.declarationId === Number(no[1])) : held.filter((p) => p.name === word);
  }
  const who = mention?.name ?? args[0];
  if (!matches.length) throw new InputError('对象', `没有找到 ${who} 在岗的示范岗，发送 /示范岗 查看在岗名单和编号。`);
  if (matches.length > 1) {
    throw new InputError(
      '对象',
      `${who} 对应多个示范岗：${matches.map((p) => `#${p.declarationId} ${p.name}（${p.branchName}·${p.postKind}）`).join('、')}。请用编号，例如：/示范岗 撤销 #${matches[0]!.declarationId} <原因>`,
    );
  }
  return { post: matches[0]!, rest };
}

const revoke: SubcommandSpec = {
  names: ['revoke', '撤销'],
  usage: '/posts revoke <姓名|#编号|@某人> [原因]',
  summary: '撤销一个示范岗称号并写明原因（不写原因则私信发送撤销表单）：私信告知本人、通知支部书记，此后不再复核（管理员，已审计）',
  access: ['admin'],
  async run(ctx, args) {
    const { post, rest } = await namedPost(ctx, args);
    // Without a reason: the form that asks for it (also what DingTalk's page of a 撤销 button shows).
    if (!rest.length) {
      const form = revokeFormCard({ declarationId: post.declarationId, name: post.name, branch: post.branchName, postKind: post.postKind });
      return replyPrivately(ctx, form, '撤销表单');
    }
    return { text: await revokeHeld(ctx, post, checkReason(rest.join(' '))) };
  },
};

export const postsCommand: CommandSpec = {
  name: 'posts',
  aliases: ['示范岗'],
  usage: '/posts',
  summary: '在岗的党员示范岗、最近一次学期复核的得分和结果、已撤销的（管理员、党委委员；支部书记看本支部）',
  access: ['admin', 'leader', 'secretary'],
  run: list,
  subcommands: [revoke],
};
