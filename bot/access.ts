// Who the sender is (admin, secretary, leader, member) and whether a rule lets them act.
import { eq } from 'drizzle-orm';
import { isConfiguredAdmin, type Config } from './config.js';
import { onCommittee } from './campaign/template.js';
import { InputError } from './errors.js';
import type { IncomingEvent } from './types.js';
import type { Db } from '../db/client.js';
import { prepared } from '../db/prepared.js';
import { type branches, leaderLinks, type members } from '../db/schema.js';

export type MemberRow = typeof members.$inferSelect;
export type BranchRow = typeof branches.$inferSelect;

export interface Actor {
  userId: string;
  isAdmin: boolean;
  /** Where the administrator right comes from: BOT_ADMINS, or granted in the bot. */
  adminSource?: 'config' | 'granted' | null;
  member: MemberRow | null;
  /** The branch bound to the chat the event came from, if any. */
  chatBranch: BranchRow | null;
  linkedBranchIds: number[];
}

/** `secretary` means the secretary of the chat's branch (in a direct chat: of their own branch). */
export type AccessRole = 'admin' | 'secretary' | 'leader' | 'member' | 'anyone';

const LABELS: Record<AccessRole, string> = {
  admin: '管理员',
  secretary: '本支部书记',
  leader: '党委委员',
  member: '党员',
  anyone: '所有人',
};

export async function loadActor(db: Db, config: Config, event: IncomingEvent): Promise<Actor> {
  const q = prepared(db);
  const [member] = await q.memberByUser.all({ platform: event.platform, tenantKey: event.tenantKey, userId: event.userId });
  // A direct chat is never bound to a branch; card callbacks do not say which kind of chat they came from.
  const directChat = event.kind !== 'cardAction' && event.chatType === 'p2p';
  const [chatBranch] = event.chatId && !directChat ? await q.branchByChat.all({ platform: event.platform, chatId: event.chatId }) : [];
  const links =
    member && onCommittee(member) ? await db.select({ branchId: leaderLinks.branchId }).from(leaderLinks).where(eq(leaderLinks.leaderId, member.id)) : [];
  const configured = isConfiguredAdmin(config, event.platform, event.userId);
  // BOT_ADMINS bootstraps; administrators grant and remove others in the bot (/管理员).
  const granted = !configured && (await q.grantedAdmin.all({ platform: event.platform, tenantKey: event.tenantKey, userId: event.userId })).length > 0;
  return {
    userId: event.userId,
    isAdmin: configured || granted,
    adminSource: configured ? 'config' : granted ? 'granted' : null,
    member: member ?? null,
    chatBranch: chatBranch ?? null,
    linkedBranchIds: links.map((l) => l.branchId),
  };
}

export function hasAccess(actor: Actor, roles: AccessRole[]): boolean {
  return roles.some((role) => {
    switch (role) {
      case 'anyone':
        return true;
      case 'admin':
        return actor.isAdmin;
      case 'secretary':
        return actor.member?.role === 'secretary' && actor.member.active && (actor.chatBranch ? actor.member.branchId === actor.chatBranch.id : true);
      case 'leader':
        return !!actor.member && onCommittee(actor.member) && actor.member.active;
      case 'member':
        return actor.member?.active;
    }
  });
}

export function accessLabel(roles: AccessRole[]): string {
  return roles.map((r) => LABELS[r]).join('或');
}

/** The branch a command acts on: the chat's, else the sender's own. */
export function actorBranchId(actor: Actor): number {
  const id = actor.chatBranch?.id ?? actor.member?.branchId;
  if (!id) throw new InputError('支部', '请在支部群中使用，或先加入一个支部的名册。');
  return id;
}
