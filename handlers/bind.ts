// /bind <支部名称> (/绑定): bind this group chat to a branch; re-binding asks for confirmation (a
// button, or the command again with 确认 after the name where messages carry no buttons: DingTalk).
import { and, eq, ne } from 'drizzle-orm';
import { BIND_CANCEL, BIND_CONFIRM, boundCard, rebindCancelledCard, rebindConfirmCard } from '../cards/bind-cards.js';
import { InputError } from '../bot/errors.js';
import type { IncomingEvent, Reply } from '../bot/types.js';
import { branches, tenants } from '../db/schema.js';
import { auditEntry } from './audit.js';
import type { ActionSpec, CommandSpec, HandlerContext } from '../bot/registry.js';

const NAME_MAX = 40;
/** The last word of "/绑定 <支部名称> 确认": re-bind without the confirm card. */
const CONFIRM_WORD = '确认';

export function branchNameFrom(raw: string): string {
  const name = raw.trim();
  if (!name) throw new InputError('支部名称', '请在命令后写上支部名称，例如：/绑定 后勤第一党支部');
  if (name.length > NAME_MAX) throw new InputError('支部名称', `支部名称最长 ${NAME_MAX} 个字，当前 ${name.length} 个字。`);
  return name;
}

async function bindChat(ctx: HandlerContext<IncomingEvent>, name: string): Promise<void> {
  const { db, event, clock } = ctx;
  await db.batch([
    db.insert(tenants).values({ platform: event.platform, tenantKey: event.tenantKey }).onConflictDoNothing(),
    db
      .update(branches)
      .set({ chatId: null })
      .where(and(eq(branches.platform, event.platform), eq(branches.chatId, event.chatId), ne(branches.name, name))),
    db
      .insert(branches)
      .values({ platform: event.platform, tenantKey: event.tenantKey, name, chatId: event.chatId })
      .onConflictDoUpdate({ target: [branches.platform, branches.tenantKey, branches.name], set: { chatId: event.chatId } }),
    auditEntry(db, clock.now(), event, 'branch.bind', name, { chatId: event.chatId }),
  ]);
}

function actorName(ctx: HandlerContext): string {
  return ctx.actor.member?.name ?? '管理员';
}

export const bindCommand: CommandSpec = {
  name: 'bind',
  aliases: ['绑定'],
  usage: '/bind <支部名称>',
  summary: '把本群绑定为一个党支部（管理员）',
  access: ['admin'],
  changesRoles: true,
  groupOnly: true,
  async run(ctx): Promise<Reply> {
    const { db, event, actor } = ctx;
    const confirmed = event.args.length > 1 && event.args.at(-1) === CONFIRM_WORD;
    const name = branchNameFrom((confirmed ? event.args.slice(0, -1) : event.args).join(' '));
    if (actor.chatBranch?.name === name) return { text: `本群已绑定为「${name}」，无需重复绑定。` };
    if (confirmed) {
      await bindChat(ctx, name);
      return { card: boundCard(name, actorName(ctx)) };
    }
    if (actor.chatBranch) {
      return { card: rebindConfirmCard(name, `本群当前绑定为「${actor.chatBranch.name}」。`) };
    }
    const [existing] = await db
      .select()
      .from(branches)
      .where(and(eq(branches.platform, event.platform), eq(branches.tenantKey, event.tenantKey), eq(branches.name, name)))
      .limit(1);
    if (existing?.chatId && existing.chatId !== event.chatId) {
      return { card: rebindConfirmCard(name, `「${name}」已绑定到另一个群聊。`) };
    }
    await bindChat(ctx, name);
    return { card: boundCard(name, actorName(ctx)) };
  },
};

export const bindConfirmAction: ActionSpec = {
  ...BIND_CONFIRM,
  access: ['admin'],
  changesRoles: true,
  async run(ctx) {
    const name = branchNameFrom(ctx.event.action.args.branch ?? '');
    await bindChat(ctx, name);
    return { toast: { type: 'success', text: `已绑定为「${name}」` }, card: boundCard(name, actorName(ctx)) };
  },
};

export const bindCancelAction: ActionSpec = {
  ...BIND_CANCEL,
  access: ['admin'],
  async run(ctx) {
    const name = ctx.event.action.args.branch ?? '';
    return { toast: { type: 'info', text: '已取消' }, card: rebindCancelledCard(name) };
  },
};
