// /role @someone secretary|leader|member (/角色): a person's place in this chat's branch, and whether they
// sit on the committee. Roles add up: a 书记 made 委员 stays the branch's 书记 and also links this branch.
import { eq } from 'drizzle-orm';
import { InputError } from '../bot/errors.js';
import { prepared } from '../db/prepared.js';
import { branches, leaderLinks, members, type Role } from '../db/schema.js';
import type { MemberRow } from '../bot/access.js';
import { auditEntry } from './audit.js';
import type { CommandSpec } from '../bot/registry.js';
import { requireChatBranch } from './sync.js';

type RoleWord = Role | 'not-committee';

const ROLE_WORDS: Record<string, RoleWord> = {
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
  取消委员: 'not-committee',
  非委员: 'not-committee',
};

export function roleFrom(word: string | undefined): RoleWord {
  const role = word ? ROLE_WORDS[word.toLowerCase()] : undefined;
  if (!role) throw new InputError('身份', '身份只能是 书记、委员、党员 或 取消委员（secretary / leader / member）。例如：/角色 @张三 书记');
  return role;
}

/** The member's row after the change: who they are in the branch and on the committee. */
function changed(row: MemberRow | undefined, word: RoleWord, branchId: number): Pick<MemberRow, 'role' | 'branchId' | 'committee'> {
  // Someone /同步 brought in and nobody confirmed is not yet the branch's: made 委员, they are the committee's.
  const inBranch = !!row?.active && row.branchId !== null && row.role !== 'leader' && row.politicalStatus !== 'pending';
  switch (word) {
    case 'leader':
      // A branch member keeps their branch and joins the committee; anyone else is a committee member only.
      return inBranch ? { role: row!.role, branchId: row!.branchId, committee: true } : { role: 'leader', branchId: null, committee: false };
    case 'not-committee':
      return { role: row!.role, branchId: row!.branchId, committee: false };
    default:
      // A 党委委员 made a branch's 书记 or 党员 stays on the committee.
      return { role: word, branchId, committee: !!row && (row.committee || row.role === 'leader') && row.active };
  }
}

/** `home` is the person's own branch, `chat` the branch of the chat the command came from. */
function describe(name: string, after: Pick<MemberRow, 'role' | 'committee'>, home: string, chat: string, word: RoleWord): string {
  if (word === 'not-committee') return `${name} 已不再是党委委员，原联系的支部已解除。`;
  if (after.role === 'leader') return `已将 ${name} 设为党委委员，联系「${chat}」。`;
  const place = `「${home}」的${after.role === 'secretary' ? '支部书记' : '党员'}`;
  if (word === 'leader') return `${name} 现为${place}，同时为党委委员，联系「${chat}」。`;
  return after.committee ? `已将 ${name} 设为${place}（仍为党委委员）。` : `已将 ${name} 设为${place}。`;
}

export const roleCommand: CommandSpec = {
  name: 'role',
  aliases: ['角色'],
  usage: '/role @某人 secretary|leader|member',
  summary: '设置成员身份：书记、委员（联系本支部，可兼任书记）、党员，或取消委员（管理员）',
  access: ['admin'],
  changesRoles: true,
  groupOnly: true,
  async run(ctx) {
    const { db, event, clock } = ctx;
    const branch = requireChatBranch(ctx);
    const target = event.mentions[0];
    if (!target?.userId) throw new InputError('对象', '请 @ 要设置的人，例如：/角色 @张三 书记');
    const word = roleFrom(event.args[0]);
    const [before] = await prepared(db).memberByUser.all({ platform: event.platform, tenantKey: event.tenantKey, userId: target.userId });
    const name = before?.name ?? (target.name || '该成员');
    if (word === 'not-committee' && !(before?.committee || before?.role === 'leader')) {
      throw new InputError('身份', `${name} 不是党委委员。`);
    }
    const after = changed(before, word, branch.id);
    // Appointing someone (书记, 党员, 委员) confirms them as a party member; leaving the committee with no
    // branch leaves the roster.
    const confirm = word !== 'not-committee' && (!before || before.politicalStatus === 'pending') ? { politicalStatus: 'full' as const } : {};
    const active = !(word === 'not-committee' && before?.role === 'leader');
    const [row] = await db
      .insert(members)
      .values({ platform: event.platform, tenantKey: event.tenantKey, userId: target.userId, name, ...after, ...confirm })
      .onConflictDoUpdate({ target: [members.platform, members.tenantKey, members.userId], set: { ...after, ...confirm, active } })
      .returning({ id: members.id });
    const linkWrite =
      word === 'leader'
        ? db.insert(leaderLinks).values({ leaderId: row!.id, branchId: branch.id }).onConflictDoNothing()
        : after.committee
          ? null
          : db.delete(leaderLinks).where(eq(leaderLinks.leaderId, row!.id));
    const audit = auditEntry(db, clock.now(), event, 'member.role', target.userId, {
      role: after.role,
      committee: after.committee,
      branch: branch.name,
      ...(active ? {} : { left: true }),
    });
    await db.batch(linkWrite ? [linkWrite, audit] : [audit]);
    const [home] =
      after.branchId === null || after.branchId === branch.id
        ? [branch]
        : await db.select({ name: branches.name }).from(branches).where(eq(branches.id, after.branchId));
    return { text: describe(name, after, home?.name ?? branch.name, branch.name, word) };
  },
};
