// Nominating for a title (提名) and withdrawing (撤回): within the title's quota, from the ranked
// candidates, while the list is still being drawn up (a withdrawal also during 公示, with a reason).
import type { RankedGroup, TitleResult } from '../../bot/campaign/results.js';
import { and, eq } from 'drizzle-orm';
import { InputError } from '../../bot/errors.js';
import type { Clock } from '../../bot/clock.js';
import type { Config } from '../../bot/config.js';
import type { Db } from '../../db/client.js';
import { members } from '../../db/schema.js';
import type { HandlerContext } from '../../bot/registry.js';
import { auditEntry } from '../audit.js';
import { computeResults, type CampaignResults } from '../results/compute.js';
import type { CommendContext } from './context.js';
import { nominateStatement, nomineesOf, setNomineeStatus } from './store.js';
import { runBatch } from '../../db/client.js';

/** The results of the commendation's round as of now (the clock of a handler, or a tick's `now`). */
export async function resultsOf(deps: { db: Db; config: Config; clock: Clock }, cc: CommendContext): Promise<CampaignResults> {
  const results = await computeResults(deps.db, deps.config, cc.campaign, deps.clock.now(), cc.round);
  if (!results) throw new InputError('活动', `「${cc.campaign.title}」的模板没有规定评选办法。`);
  return results;
}

export function findTitle(results: CampaignResults, word: string | undefined): TitleResult {
  const t = results.titles.find((x) => x.title.name === word || x.title.id === word);
  if (!t) throw new InputError('称号', `请写明称号：${results.titles.map((x) => x.title.name).join('、')}。`);
  return t;
}

function groupOf(t: TitleResult, subjectId: number): { group: RankedGroup; index: number } | null {
  for (const group of t.groups) {
    const index = group.entries.findIndex((e) => e.candidate.subjectId === subjectId);
    if (index >= 0) return { group, index };
  }
  return null;
}

/** Nominates one candidate of a title; refuses past the quota (counting those already nominated in the same group). */
export async function nominateOne(ctx: HandlerContext, cc: CommendContext, t: TitleResult, subjectId: number): Promise<string> {
  if (cc.commendation.stage !== 'nominating') throw new InputError('阶段', '提名已结束（已进入表决或公示），不能再提名。');
  const found = groupOf(t, subjectId);
  if (!found) throw new InputError('候选人', `该人员不在「${t.title.name}」的候选人中。`);
  const entry = found.group.entries[found.index]!;
  if (entry.total === null) throw new InputError('候选人', `${entry.candidate.name} 不能提名「${t.title.name}」：${entry.note ?? '无法计算得分'}。`);
  const groupIds = new Set(found.group.entries.map((e) => e.candidate.subjectId));
  const taken = (await nomineesOf(ctx.db, cc.commendation.id, ['nominated'])).filter((n) => n.titleId === t.title.id && groupIds.has(n.subjectId));
  if (taken.some((n) => n.subjectId === subjectId)) return `${entry.candidate.name} 已经提名「${t.title.name}」。`;
  const where = `「${t.title.name}${found.group.postKind ? `·${found.group.postKind}` : ''}」`;
  if (found.group.quota !== null && taken.length >= found.group.quota) {
    throw new InputError(
      '名额',
      `${where}名额为 ${found.group.quota} 名，已提名 ${taken.length} 名（${taken.map((n) => n.name).join('、')}），不能再提名 ${entry.candidate.name}。如需调整，请先撤回。`,
    );
  }
  const subjectKind = t.title.subject === 'branch' ? 'branch' : 'member';
  const now = ctx.clock.now();
  const target = `${cc.commendation.id}:${t.title.id}:${subjectId}`;
  await runBatch(ctx.db, [
    nominateStatement(ctx.db, {
      commendationId: cc.commendation.id,
      titleId: t.title.id,
      titleName: t.title.name,
      subjectKind,
      subjectId,
      name: entry.candidate.name,
      branch: entry.candidate.branch,
      postKind: entry.candidate.postKind,
      score: entry.total,
      rank: entry.rank,
      nominatedBy: ctx.actor.userId,
      nominatedAt: now,
    }),
    auditEntry(ctx.db, now, ctx.event, 'commend.nominate', target, { title: t.title.name, name: entry.candidate.name, score: entry.total, rank: entry.rank }),
  ]);
  // Two administrators nominating at the same moment could pass the check together: the later one yields.
  const takenNow = (await nomineesOf(ctx.db, cc.commendation.id, ['nominated'])).filter((n) => n.titleId === t.title.id && groupIds.has(n.subjectId));
  if (found.group.quota !== null && takenNow.length > found.group.quota && takenNow.at(-1)?.subjectId === subjectId) {
    await setNomineeStatus(ctx.db, takenNow.at(-1)!.id, ['nominated'], 'withdrawn', '超出名额');
    throw new InputError('名额', `${where}名额为 ${found.group.quota} 名，已满，不能再提名 ${entry.candidate.name}。`);
  }
  return `已提名 ${entry.candidate.name} 为${where}候选（${entry.total} 分，第 ${entry.rank} 名）。`;
}

export async function withdrawOne(ctx: HandlerContext, cc: CommendContext, titleId: string, subjectId: number, reason: string): Promise<string> {
  const stage = cc.commendation.stage;
  if (stage === 'final') throw new InputError('阶段', '表彰已经确定，不能撤回。');
  if (stage !== 'nominating' && !reason) throw new InputError('理由', '表决或公示开始后撤回须写明理由，例如：/表彰 撤回 优秀共产党员 张三 经核实异议属实。');
  const all = await nomineesOf(ctx.db, cc.commendation.id, ['nominated', 'approved', 'rejected', 'withdrawn']);
  const n = all.find((x) => x.titleId === titleId && x.subjectId === subjectId);
  if (!n) throw new InputError('候选人', '没有找到这项提名。');
  if (n.status === 'withdrawn') return `${n.name} 的「${n.titleName}」提名已撤回。`;
  await setNomineeStatus(ctx.db, n.id, ['nominated', 'approved', 'rejected'], 'withdrawn', reason || null);
  await auditEntry(ctx.db, ctx.clock.now(), ctx.event, 'commend.withdraw', `${cc.commendation.id}:${titleId}:${subjectId}`, {
    title: n.titleName,
    name: n.name,
    reason,
  });
  return `已撤回 ${n.name} 的「${n.titleName}」提名。`;
}

/** The candidate ids a command names: @-mentioned members (by their ids) or names typed as words (branches by name). */
export async function namedSubjects(ctx: HandlerContext, t: TitleResult, words: string[]): Promise<number[]> {
  const entries = t.groups.flatMap((g) => g.entries);
  const ids: number[] = [];
  for (const m of ctx.event.kind === 'command' ? ctx.event.mentions : []) {
    const [row] = await ctx.db
      .select({ id: members.id })
      .from(members)
      .where(and(eq(members.platform, ctx.event.platform), eq(members.tenantKey, ctx.event.tenantKey), eq(members.userId, m.userId)));
    if (!row || !entries.some((e) => e.candidate.subjectId === row.id)) throw new InputError('候选人', `${m.name} 不是「${t.title.name}」的候选人。`);
    ids.push(row.id);
  }
  for (const word of words) {
    const same = entries.filter((e) => e.candidate.name === word);
    if (same.length > 1) throw new InputError('候选人', `有 ${same.length} 位名为「${word}」的候选人，请用 @ 指定。`);
    if (same.length === 0) throw new InputError('候选人', `没有找到「${t.title.name}」的候选人「${word}」。发送 /表彰 查看候选人名单。`);
    ids.push(same[0]!.candidate.subjectId);
  }
  if (!ids.length) throw new InputError('候选人', `请写明或 @ 要提名的人，例如：/表彰 提名 ${t.title.name} 张三。`);
  return [...new Set(ids)];
}
