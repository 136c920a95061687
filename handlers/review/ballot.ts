// Ballot cards: open (first unfinished page), and submit a page; checks branch, self and closed rounds.
import { BALLOT_PAGE_SIZE, REVIEW_ACTIONS, ballotCard, ballotDoneCard, type RateeView } from '../../cards/review-cards.js';
import type { CardModel } from '../../cards/model.js';
import { InputError } from '../../bot/errors.js';
import { GRADES, type Grade } from '../../db/schema.js';
import { type FormValues, formText, intArg } from '../card-args.js';
import type { ActionSpec, HandlerContext } from '../../bot/registry.js';
import { replyPrivately } from '../private-card.js';
import { raterTags, requireSecret } from './anonymity.js';
import { ballotLinesOf, markVoted, openRoundOf, roundById, roundRoster, roundsOfPhase, saveBallotLines, type BallotLine, type RoundRow } from './store.js';
import { branchById } from '../branches.js';
import { ballotField, COMMENT_MAX } from './fields.js';

interface BallotScope {
  round: RoundRow;
  branchName: string;
  tagOf: (rateeId: number) => string;
  ratees: Array<{ id: number; name: string }>;
}

async function scope(ctx: HandlerContext, round: RoundRow): Promise<BallotScope> {
  if (round.status !== 'open') throw new InputError('评议', '本轮评议已结束，不能再提交或修改。');
  const me = ctx.actor.member;
  const roster = await roundRoster(ctx.db, round.id);
  if (!me || !roster.some((m) => m.id === me.id)) {
    throw new InputError('评议', '您不在本轮评议名单中：只能评议本人所在支部、评议开始时名册中的同志。');
  }
  const branch = await branchById(ctx.db, round.branchId);
  return {
    round,
    branchName: branch.name,
    tagOf: raterTags(requireSecret(ctx.config.reviewSecret), round.id, me.id),
    ratees: roster.filter((m) => m.id !== me.id).map(({ id, name }) => ({ id, name })),
  };
}

function linesOf(ctx: HandlerContext, s: BallotScope) {
  return ballotLinesOf(
    ctx.db,
    s.round.id,
    s.tagOf,
    s.ratees.map((r) => r.id),
  );
}

function pageCount(s: BallotScope): number {
  return Math.max(1, Math.ceil(s.ratees.length / BALLOT_PAGE_SIZE));
}

async function pageCard(
  ctx: HandlerContext,
  s: BallotScope,
  page: number,
  errors: string[] = [],
  typed?: Map<number, RateeView>,
  editing = false,
): Promise<CardModel> {
  const saved = new Map((await linesOf(ctx, s)).map((l) => [l.rateeId, l]));
  const ratees = s.ratees.slice(page * BALLOT_PAGE_SIZE, (page + 1) * BALLOT_PAGE_SIZE).map((r): RateeView => {
    const t = typed?.get(r.id);
    if (t) return t;
    const l = saved.get(r.id);
    return l
      ? { ...r, grade: l.grade, stars: [l.s1, l.s2, l.s3, l.s4, l.s5].map((v) => (v === null ? undefined : String(v))), comment: l.comment ?? undefined }
      : r;
  });
  return ballotCard({ roundId: s.round.id, branchName: s.branchName, criteria: s.round.criteria, page, pages: pageCount(s), ratees, editing }, errors);
}

/** The card to show now: the first page with someone not yet rated, or the "done" card. */
export async function currentBallotCard(ctx: HandlerContext, s: BallotScope): Promise<{ card: CardModel; done: boolean }> {
  const rated = new Set((await linesOf(ctx, s)).map((l) => l.rateeId));
  const firstMissing = s.ratees.findIndex((r) => !rated.has(r.id));
  if (firstMissing < 0) return { card: ballotDoneCard(s.round.id, s.branchName, s.ratees.length), done: true };
  return { card: await pageCard(ctx, s, Math.floor(firstMissing / BALLOT_PAGE_SIZE)), done: false };
}

/** The round a card or command means: by id, by campaign phase, or the open round of the sender's branch. */
export async function roundFor(ctx: HandlerContext, args: Record<string, string | undefined>): Promise<RoundRow> {
  let round: RoundRow | null = null;
  if (args.r) round = await roundById(ctx.db, intArg(args, 'r'));
  else if (args.p) round = (await roundsOfPhase(ctx.db, intArg(args, 'p'))).find((r) => r.branchId === ctx.actor.member?.branchId) ?? null;
  else if (ctx.actor.member?.branchId) round = await openRoundOf(ctx.db, ctx.actor.member.branchId);
  if (!round) throw new InputError('评议', '您所在的支部当前没有进行中的党员互评。');
  return round;
}

/** The ballot to show: the current one, or (修改评议) its first page with what was given, to change it. */
export async function ballotFor(ctx: HandlerContext, args: Record<string, string | undefined>): Promise<CardModel> {
  const s = await scope(ctx, await roundFor(ctx, args));
  if (args.edit === '1') return pageCard(ctx, s, 0, [], undefined, true);
  return (await currentBallotCard(ctx, s)).card;
}

const FIELD = /^(grade|s([1-5])|comment)_(\d+)$/;

function readPage(form: FormValues, s: BallotScope, page: number, raterId: number) {
  const onPage = s.ratees.slice(page * BALLOT_PAGE_SIZE, (page + 1) * BALLOT_PAGE_SIZE);
  const errors: string[] = [];
  const allowed = new Set(onPage.map((r) => r.id));
  for (const key of Object.keys(form)) {
    const m = FIELD.exec(key);
    if (!m || allowed.has(Number(m[3]))) continue;
    errors.push(Number(m[3]) === raterId ? '不能给自己评分。' : '只能评议本支部本轮名册中的同志。');
  }
  const typed = new Map<number, RateeView>();
  const lines: BallotLine[] = [];
  for (const r of onPage) {
    const grade = formText(form[ballotField.grade(r.id)]);
    const stars = s.round.criteria.map((_, i) => formText(form[ballotField.star(i + 1, r.id)]) || undefined);
    const comment = formText(form[ballotField.comment(r.id)]);
    typed.set(r.id, { ...r, grade: grade || undefined, stars, comment: comment || undefined });
    if (!grade) errors.push(`${r.name}·等次：请选择 优秀、合格、基本合格 或 不合格。`);
    else if (!(GRADES as readonly string[]).includes(grade)) errors.push(`${r.name}·等次：「${grade}」不是可选的等次。`);
    stars.forEach((v, i) => {
      if (v !== undefined && !/^[1-5]$/.test(v)) errors.push(`${r.name}·${s.round.criteria[i]}：星级应为 1 到 5。`);
    });
    if ([...comment].length > COMMENT_MAX) errors.push(`${r.name}·意见建议：最多 ${COMMENT_MAX} 字，现在 ${[...comment].length} 字。`);
    lines.push({ rateeId: r.id, grade: grade as Grade, stars: stars.map((v) => (v ? Number(v) : null)), comment: comment || null });
  }
  return { errors: [...new Set(errors)], typed, lines };
}

export const reviewOpen: ActionSpec = {
  ...REVIEW_ACTIONS.open,
  access: ['member'],
  async run(ctx) {
    return replyPrivately(ctx, await ballotFor(ctx, ctx.event.action.args), '评议卡片');
  },
};

export const reviewBallot: ActionSpec = {
  ...REVIEW_ACTIONS.ballot,
  access: ['member'],
  async run(ctx) {
    const round = await roundFor(ctx, ctx.event.action.args);
    if (round.status !== 'open') return { toast: { type: 'error', text: '本轮评议已结束，不能再提交或修改。' } };
    const s = await scope(ctx, round);
    const page = Math.min(Math.max(0, Number(ctx.event.action.args.page) || 0), pageCount(s) - 1);
    const { errors, typed, lines } = readPage(ctx.event.formValue, s, page, ctx.actor.member!.id);
    const editing = ctx.event.action.args.edit === '1';
    if (errors.length) {
      return { toast: { type: 'error', text: `有 ${errors.length} 处需要修改` }, card: await pageCard(ctx, s, page, errors, typed, editing) };
    }
    await saveBallotLines(ctx.db, round.id, s.tagOf, lines);
    // While changing a ballot, every page is shown in turn; the last one leads to the "done" card.
    if (editing && page + 1 < pageCount(s))
      return { toast: { type: 'success', text: `已保存第 ${page + 1} 页` }, card: await pageCard(ctx, s, page + 1, [], undefined, true) };
    const next = await currentBallotCard(ctx, s);
    if (next.done) await markVoted(ctx.db, requireSecret(ctx.config.reviewSecret), round.id, ctx.actor.member!.id);
    return { toast: { type: 'success', text: next.done ? '评议已提交' : `已保存第 ${page + 1} 页` }, card: next.card };
  },
};
