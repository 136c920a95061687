// /role @someone secretary|leader|member (/角色): set a person's role in this chat's branch.
import { and, eq } from 'drizzle-orm';
import { InputError } from '../bot/errors.js';
import { leaderLinks, members, type Role } from '../db/schema.js';
import { auditEntry } from './audit.js';
import type { CommandSpec } from '../bot/registry.js';
import { requireChatBranch } from './sync.js';

const ROLE_WORDS: Record<string, Role> = {
  secretary: 'secretary',
  书记: 'secretary',
  支部书记: 'secretary',
  leader: 'leader',
  委员: 'leader',
  党委委员: 'leader',
  领导: 'leader',
  member: 'member',
  党员: 'member',
  成员: 'member',
};

export function roleFrom(word: string | undefined): Role {
  const role = word ? ROLE_WORDS[word.toLowerCase()] : undefined;
  if (!role) throw new InputError('身份', '身份只能是 书记、委员 或 党员（secretary / leader / member）。例如：/角色 @张三 书记');
  return role;
}

export const roleCommand: CommandSpec = {
  name: 'role',
  aliases: ['角色'],
  usage: '/role @某人 secretary|leader|member',
  summary: '设置成员身份：书记、委员（联系本支部）或党员（管理员）',
  access: ['admin'],
  changesRoles: true,
  groupOnly: true,
  async run(ctx) {
    const { db, event, clock } = ctx;
    const branch = requireChatBranch(ctx);
    const target = event.mentions[0];
    if (!target?.userId) throw new InputError('对象', '请 @ 要设置的人，例如：/角色 @张三 书记');
    const role = roleFrom(event.args[0]);
    const name = target.name || '该成员';
    const [row] = await db
      .insert(members)
      .values({
        platform: event.platform,
        tenantKey: event.tenantKey,
        userId: target.userId,
        name,
        role,
        branchId: role === 'leader' ? null : branch.id,
      })
      .onConflictDoUpdate({
        target: [members.platform, members.tenantKey, members.userId],
        set: role === 'leader' ? { role, active: true } : { role, branchId: branch.id, active: true },
      })
      .returning({ id: members.id });
    const linkWrite =
      role === 'leader'
        ? db.insert(leaderLinks).values({ leaderId: row!.id, branchId: branch.id }).onConflictDoNothing()
        : db.delete(leaderLinks).where(and(eq(leaderLinks.leaderId, row!.id)));
    await db.batch([linkWrite, auditEntry(db, clock.now(), event, 'member.role', target.userId, { role, branch: branch.name })]);
    const text =
      role === 'leader'
        ? `已将 ${name} 设为党委委员，联系「${branch.name}」。`
        : `已将 ${name} 设为「${branch.name}」的${role === 'secretary' ? '支部书记' : '党员'}。`;
    return { text };
  },
};
