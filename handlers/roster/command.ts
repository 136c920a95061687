// /roster (/名册): the branch's people by 政治面貌, confirming those /同步 brought in (待确认), and the
// link to import the committee's roster file.
import { and, eq, inArray } from 'drizzle-orm';
import { actorBranchId } from '../../bot/access.js';
import { InputError } from '../../bot/errors.js';
import { CONFIRMABLE, POLITICAL_STATUSES, STATUS_LABELS, statusFromWord } from '../../bot/political-status.js';
import type { CommandSpec, HandlerContext, SubcommandSpec } from '../../bot/registry.js';
import type { CommandEvent, Reply } from '../../bot/types.js';
import { pendingBlocks } from '../../cards/roster-cards.js';
import { runBatch } from '../../db/client.js';
import { branches, members } from '../../db/schema.js';
import { auditEntry } from '../audit.js';
import { replyPrivately } from '../private-card.js';
import { confirmPending, pendingOf } from './pending.js';
import { maySettle } from './actions.js';
import { rosterImportReply } from './import-link.js';

async function branchOf(ctx: HandlerContext): Promise<{ id: number; name: string }> {
  const id = actorBranchId(ctx.actor);
  if (!maySettle(ctx.actor, id)) throw new InputError('权限', '只有本支部书记或管理员可以管理名册。');
  const [b] = await ctx.db.select({ id: branches.id, name: branches.name }).from(branches).where(eq(branches.id, id));
  if (!b) throw new InputError('支部', '找不到该支部。');
  return b;
}

async function overview(ctx: HandlerContext<CommandEvent>): Promise<Reply> {
  const branch = await branchOf(ctx);
  const people = await ctx.db
    .select({ status: members.politicalStatus, active: members.active, awaiting: members.awaitingChat })
    .from(members)
    .where(eq(members.branchId, branch.id));
  const onRoster = people.filter((p) => p.active);
  const counts = POLITICAL_STATUSES.map((s) => `${STATUS_LABELS[s]} ${onRoster.filter((p) => p.status === s).length}`);
  const awaiting = people.filter((p) => p.awaiting).length;
  const pending = await pendingOf(ctx.db, branch.id);
  const lines = [`**${branch.name}** 名册 ${onRoster.length} 人：${counts.join('，')}`];
  if (awaiting) lines.push(`已导入但尚未在本群出现 ${awaiting} 人（加入本群后发送 /同步 即可对应）。`);
  return replyPrivately(
    ctx,
    {
      title: `${branch.name} 名册`,
      tone: pending.length ? 'orange' : 'blue',
      blocks: [
        { type: 'markdown', text: lines.join('\n') },
        ...(pending.length ? [{ type: 'divider' as const }, ...pendingBlocks(branch.id, pending)] : []),
        { type: 'note', text: '逐一确认：/名册 确认 @某人 预备党员；批量导入：/名册 导入' },
      ],
    },
    '本支部名册',
    '查看',
  );
}

const confirm: SubcommandSpec = {
  names: ['confirm', '确认'],
  usage: '/roster confirm @某人 正式党员|预备党员|入党积极分子|群众',
  summary: '确认成员的政治面貌（本支部书记或管理员）',
  access: ['admin', 'secretary'],
  changesRoles: true,
  async run(ctx, args) {
    const status = statusFromWord(args.find((a) => statusFromWord(a)));
    if (!status) throw new InputError('政治面貌', `请写明政治面貌：${CONFIRMABLE.map((s) => STATUS_LABELS[s]).join('、')}。例如：/名册 确认 @张三 预备党员`);
    if (!ctx.event.mentions.length) throw new InputError('对象', '请 @ 要确认的成员，例如：/名册 确认 @张三 预备党员');
    const branch = await branchOf(ctx);
    const rows = await ctx.db
      .select({ id: members.id, name: members.name, userId: members.userId, status: members.politicalStatus })
      .from(members)
      .where(
        and(
          eq(members.branchId, branch.id),
          inArray(
            members.userId,
            ctx.event.mentions.map((p) => p.userId),
          ),
        ),
      );
    const byUser = new Map(rows.map((r) => [r.userId, r]));
    const notHere = ctx.event.mentions.filter((p) => !byUser.has(p.userId)).map((p) => p.name);
    const confirmed = rows.filter((m) => m.status !== 'pending');
    const corrected = confirmed.filter((m) => m.status !== status);
    const done = await confirmPending(
      ctx.db,
      ctx.event,
      ctx.clock.now(),
      branch.id,
      rows.filter((m) => m.status === 'pending').map((m) => m.id),
      status,
    );
    if (corrected.length) {
      // A correction of an already confirmed status: the same change, audited with what it was.
      await runBatch(ctx.db, [
        ctx.db
          .update(members)
          .set({ politicalStatus: status })
          .where(
            inArray(
              members.id,
              corrected.map((m) => m.id),
            ),
          ),
        ...corrected.map((m) => auditStatusChange(ctx, m.id, m.status, status)),
      ]);
    }
    const changed = confirmed.map((m) => m.name);
    const parts = [];
    if (done.length || changed.length) parts.push(`已确认 ${[...done, ...changed].join('、')} 为${STATUS_LABELS[status]}`);
    if (notHere.length) parts.push(`不在「${branch.name}」名册中（请先在支部群 /同步）：${notHere.join('、')}`);
    return { text: `${parts.join('。')}。` };
  },
};

function auditStatusChange(ctx: HandlerContext, memberId: number, from: string, to: string) {
  return auditEntry(ctx.db, ctx.clock.now(), ctx.event, 'member.status', `member:${memberId}`, { from, to });
}

const importLink: SubcommandSpec = {
  names: ['import', '导入'],
  usage: '/roster import',
  summary: '批量导入或更新名册（Excel 或 CSV；管理员：全部支部；书记：本支部）',
  access: ['admin', 'secretary'],
  changesRoles: true,
  run: (ctx) => rosterImportReply(ctx),
};

export const rosterCommand: CommandSpec = {
  name: 'roster',
  aliases: ['名册'],
  usage: '/roster',
  summary: '查看本支部名册与待确认成员，确认政治面貌',
  access: ['admin', 'secretary'],
  run: overview,
  subcommands: [
    { names: ['pending', '待确认'], usage: '/roster pending', summary: '列出待确认政治面貌的成员', access: ['admin', 'secretary'], run: overview },
    confirm,
    importLink,
  ],
};
