// 撤销: an admin withdraws a held post with a reason — audited, the holder told privately with the
// reason, the branch secretary informed, what is still queued for its re-checks cancelled; a revoked
// post is not re-checked again. From /示范岗 撤销 or the button on a failing re-check's result.
import { and, eq, ne } from 'drizzle-orm';
import { InputError } from '../../bot/errors.js';
import type { ActionSpec, HandlerContext } from '../../bot/registry.js';
import { localDate } from '../../bot/time.js';
import type { CardActionEvent } from '../../bot/types.js';
import { POST_ACTIONS, REASON_MAX, revokeDoneCard, revokedHolderCard, revokedSecretaryCard, revokeFormCard } from '../../cards/post-cards.js';
import { runBatch } from '../../db/client.js';
import { members, postDeclarations } from '../../db/schema.js';
import { alreadyApplied, auditEntry } from '../audit.js';
import { formText, intArg } from '../card-args.js';
import { cancelRecheckSends, heldPosts, rechecksOf, type HeldPost } from './store.js';

export function checkReason(reason: string): string {
  const r = reason.trim();
  if (!r) throw new InputError('原因', '请写明撤销原因，例如：/示范岗 撤销 张三 本学期复核未达标，经党委研究撤销');
  if (r.length > REASON_MAX) throw new InputError('原因', `撤销原因最多 ${REASON_MAX} 字，现有 ${r.length} 字。`);
  return r;
}

/** Revokes a held post of the sender's organisation; returns the answer for the admin. */
export async function revokeHeld(ctx: HandlerContext, post: HeldPost, reason: string): Promise<string> {
  const done = `已撤销 ${post.name} 的「${post.postKind}」称号（原因：${reason}），已私信告知本人并通知其支部书记。此后不再复核。`;
  // A run resumed after a crash made the change already: it only sends the notices again (their keys dedupe).
  const resumed = await alreadyApplied(ctx.db, ctx.event, 'post.revoke');
  if (post.revokedAt && !resumed) {
    throw new InputError('示范岗', `${post.name} 的「${post.postKind}」称号已于 ${localDate(post.revokedAt, ctx.config.timezone)} 撤销。`);
  }
  const now = post.revokedAt ?? ctx.clock.now();
  const phaseIds = (await rechecksOf(ctx.db, [post.declarationId])).map((r) => r.recheck.phaseId);
  if (!resumed)
    await runBatch(ctx.db, [
      ctx.db
        .update(postDeclarations)
        .set({ revokedAt: now, revokedBy: ctx.actor.userId, revokeReason: reason })
        .where(eq(postDeclarations.id, post.declarationId)),
      cancelRecheckSends(ctx.db, post, phaseIds),
      auditEntry(ctx.db, now, ctx.event, 'post.revoke', `declaration:${post.declarationId}`, { name: post.name, postKind: post.postKind, reason }),
    ]);
  const date = localDate(now, ctx.config.timezone);
  ctx.send(
    { type: 'user', id: post.userId },
    { kind: 'card', card: revokedHolderCard(post.name, post.postKind, reason, date) },
    `post-revoked:${post.declarationId}`,
  );
  if (post.branchId !== null) {
    const secretaries = await ctx.db
      .select({ id: members.id, userId: members.userId })
      .from(members)
      .where(and(eq(members.branchId, post.branchId), eq(members.role, 'secretary'), eq(members.active, true), ne(members.id, post.memberId)));
    const card = revokedSecretaryCard(post.name, post.branchName, post.postKind, reason, date);
    for (const s of secretaries) ctx.send({ type: 'user', id: s.userId }, { kind: 'card', card }, `post-revoked:${post.declarationId}:${s.id}`);
  }
  return done;
}

/** A post of the sender's organisation by its number (the declaration id), revoked ones included. */
async function postOf(ctx: HandlerContext, declarationId: number): Promise<HeldPost> {
  const [post] = await heldPosts(ctx.db, {
    org: { platform: ctx.event.platform, tenantKey: ctx.event.tenantKey },
    revoked: true,
    declarationIds: [declarationId],
  });
  if (!post) throw new InputError('示范岗', '没有找到该示范岗，请发送 /示范岗 查看。');
  return post;
}

export const revokeFormAction: ActionSpec = {
  ...POST_ACTIONS.revokeForm,
  access: ['admin'],
  async run(ctx: HandlerContext<CardActionEvent>) {
    const post = await postOf(ctx, intArg(ctx.event.action.args, 'd'));
    if (post.revokedAt) return { toast: { type: 'info', text: `${post.name} 的示范岗称号已撤销。` } };
    const card = revokeFormCard({ declarationId: post.declarationId, name: post.name, branch: post.branchName, postKind: post.postKind });
    // The result card stays as it is; the form comes as a message of its own.
    ctx.send({ type: 'user', id: ctx.actor.userId }, { kind: 'card', card }, `revoke-form:${ctx.event.eventId}`);
    return { toast: { type: 'success', text: '已私信发送撤销表单，请填写原因后确认。' } };
  },
};

export const revokeAction: ActionSpec = {
  ...POST_ACTIONS.revoke,
  access: ['admin'],
  async run(ctx: HandlerContext<CardActionEvent>) {
    const post = await postOf(ctx, intArg(ctx.event.action.args, 'd'));
    const form = { declarationId: post.declarationId, name: post.name, branch: post.branchName, postKind: post.postKind };
    let reason: string;
    try {
      reason = checkReason(formText(ctx.event.formValue.reason));
    } catch (err) {
      if (err instanceof InputError) return { toast: { type: 'error', text: err.message }, card: revokeFormCard(form, err.message) };
      throw err;
    }
    const text = await revokeHeld(ctx, post, reason);
    return {
      toast: { type: 'success', text: '已撤销' },
      card: revokeDoneCard(form, text),
    };
  },
};
