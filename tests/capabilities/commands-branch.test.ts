// /bind, /sync and /role over the neutral harness, checked in the database and in the CardModels
// sent. What Feishu adds (paging of the chat-members API, its refusal code 232011, the callback
// answered as raw card JSON) is tested in tests/platforms/feishu/commands-wire.test.ts.
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIND_CONFIRM } from '../../cards/bind-cards.js';
import { auditLog, branches, leaderLinks, members } from '../../db/schema.js';
import { actionsOf, cardOf, cardText, type NeutralBot, type Person, startNeutralBot, textOf } from '../support/neutral.js';
import { ADMIN, answered, CHAT_A, CHAT_B, LEADER } from '../support/neutral-org.js';

const CHAT = CHAT_A;

let bot: NeutralBot;
beforeEach(async () => {
  bot = await startNeutralBot({ admins: [ADMIN] });
});
afterEach(async () => bot.close());

/** A group command that must be answered; returns the answer. */
const command = (from: string, text: string, mentions: Person[] = [], chatId = CHAT) => answered(bot, from, chatId, text, mentions);

describe('/bind', () => {
  it('binds the group chat to a branch (admin) and audits it', async () => {
    const reply = await command(ADMIN, '/绑定 后勤第一党支部');
    expect(cardText(cardOf(reply))).toContain('本群已绑定为 **后勤第一党支部**');
    const rows = await bot.db.select().from(branches);
    expect(rows).toMatchObject([{ name: '后勤第一党支部', chatId: CHAT }]);
    const audit = await bot.db.select().from(auditLog);
    expect(audit).toMatchObject([{ action: 'branch.bind', target: '后勤第一党支部', actorId: ADMIN }]);
  });

  it('refuses a non-admin politely, naming who may', async () => {
    const reply = await command('alice', '/bind 后勤第一党支部');
    expect(textOf(reply)).toBe('抱歉，/bind（/绑定） 仅限管理员使用。');
    expect(await bot.db.select().from(branches)).toHaveLength(0);
  });

  it('asks for the branch name when it is missing', async () => {
    const reply = await command(ADMIN, '/bind');
    expect(textOf(reply)).toBe('请在命令后写上支部名称，例如：/绑定 后勤第一党支部');
  });

  it('says it needs a group when used in a direct chat', async () => {
    const reply = await bot.sayPrivately(ADMIN, '/bind 一支部');
    expect(textOf(reply)).toBe('/bind（/绑定） 需要在支部群中 @我 使用。');
  });

  it('asks before re-binding, and the confirm button re-binds in the callback answer', async () => {
    await command(ADMIN, '/bind 一支部');
    const confirm = cardOf(await command(ADMIN, '/bind 二支部'));
    const action = actionsOf(confirm).find((a) => a.id === BIND_CONFIRM.id);
    expect(action).toEqual({ ...BIND_CONFIRM, args: { branch: '二支部' } });
    expect((await bot.db.select().from(branches).where(eq(branches.chatId, CHAT)))[0]!.name).toBe('一支部');

    const reply = await bot.press(ADMIN, action!, {}, CHAT);
    expect(reply.toast).toEqual({ type: 'success', text: '已绑定为「二支部」' });
    expect(cardText(reply.card)).toContain('本群已绑定为 **二支部**');
    const bound = await bot.db.select().from(branches);
    expect(bound.find((b) => b.name === '二支部')!.chatId).toBe(CHAT);
    expect(bound.find((b) => b.name === '一支部')!.chatId).toBeNull();
  });

  it('re-binds by the command with 确认 after the name (platforms whose messages carry no buttons)', async () => {
    await command(ADMIN, '/bind 一支部');
    expect(cardText(cardOf(await command(ADMIN, '/bind 二支部')))).toContain('也可以发送 /绑定 二支部 确认 完成改绑。');
    expect(textOf(await command('alice', '/绑定 二支部 确认'))).toBe('抱歉，/bind（/绑定） 仅限管理员使用。');
    expect((await bot.db.select().from(branches).where(eq(branches.chatId, CHAT)))[0]!.name).toBe('一支部');
    expect(cardText(cardOf(await command(ADMIN, '/绑定 二支部 确认')))).toContain('本群已绑定为 **二支部**');
    expect((await bot.db.select().from(branches).where(eq(branches.chatId, CHAT)))[0]!.name).toBe('二支部');
  });

  it('refuses the confirm button to a non-admin with a toast and changes nothing', async () => {
    await command(ADMIN, '/bind 一支部');
    const reply = await bot.press('alice', { ...BIND_CONFIRM, args: { branch: '二支部' } }, {}, CHAT);
    expect(reply).toEqual({ toast: { type: 'error', text: '仅限管理员操作。' } });
    expect((await bot.db.select().from(branches).where(eq(branches.chatId, CHAT)))[0]!.name).toBe('一支部');
  });

  it('answers a stale or unknown card action with a toast', async () => {
    const reply = await bot.press(ADMIN, { id: BIND_CONFIRM.id, v: 99 });
    expect(reply).toEqual({ toast: { type: 'warning', text: '该卡片已失效，请重新发送命令获取新卡片。' } });
  });
});

describe('/sync', () => {
  const people: Person[] = [
    { id: ADMIN, name: '管理员' },
    { id: 'a', name: '张三' },
    { id: 'b', name: '李四' },
    { id: 'c', name: '王五' },
    { id: 'd', name: '赵六' },
    { id: 'e', name: '钱七' },
  ];
  const zhang = people[1]!;

  it('pulls the chat members into the branch roster', async () => {
    await command(ADMIN, '/bind 一支部');
    bot.setChatMembers(CHAT, people);
    const reply = await command(ADMIN, '/同步');
    expect(cardText(cardOf(reply))).toContain('现有 **6** 人');
    const rows = await bot.db.select().from(members);
    expect(rows.map((r) => r.name).sort()).toEqual(people.map((p) => p.name).sort());
    expect(new Set(rows.map((r) => r.branchId)).size).toBe(1);
  });

  it('marks people who left the chat inactive on the next sync', async () => {
    await command(ADMIN, '/bind 一支部');
    bot.setChatMembers(CHAT, people);
    await command(ADMIN, '/sync');
    bot.setChatMembers(CHAT, people.slice(0, 4));
    const reply = await command(ADMIN, '/sync');
    expect(cardText(cardOf(reply))).toContain('移出名册 2 人');
    const inactive = await bot.db.select().from(members).where(eq(members.active, false));
    expect(inactive.map((m) => m.name).sort()).toEqual(['赵六', '钱七'].sort());
  });

  it('lets the branch secretary sync, but not a plain member', async () => {
    await command(ADMIN, '/bind 一支部');
    bot.setChatMembers(CHAT, people);
    await command(ADMIN, '/sync');
    const refused = await command('b', '/sync');
    expect(textOf(refused)).toBe('抱歉，/sync（/同步） 仅限管理员或本支部书记使用。');
    await command(ADMIN, `/role @${zhang.name} secretary`, [zhang]);
    const ok = await command(zhang.id, '/sync');
    expect(cardText(cardOf(ok))).toContain('成员同步完成');
  });

  it('makes a secretary who moves to another branch a plain member there', async () => {
    await command(ADMIN, '/bind 一支部');
    bot.setChatMembers(CHAT, people);
    await command(ADMIN, '/sync');
    await command(ADMIN, `/role @${zhang.name} secretary`, [zhang]);
    bot.setChatMembers(
      CHAT,
      people.filter((p) => p.id !== zhang.id),
    );
    await command(ADMIN, '/sync');
    await command(ADMIN, '/bind 二支部', [], CHAT_B);
    bot.setChatMembers(CHAT_B, [zhang]);
    await command(ADMIN, '/sync', [], CHAT_B);
    const [moved] = await bot.db.select().from(members).where(eq(members.userId, zhang.id));
    expect(moved).toMatchObject({ role: 'member', active: true });
    const refused = await command(zhang.id, '/sync', [], CHAT_B);
    expect(textOf(refused)).toBe('抱歉，/sync（/同步） 仅限管理员或本支部书记使用。');
  });

  it('tells the secretary to bind first when the chat has no branch', async () => {
    const reply = await command(ADMIN, '/sync');
    expect(textOf(reply)).toBe('本群尚未绑定支部，请管理员先发送 /绑定 <支部名称>。');
  });
});

describe('/role', () => {
  const zhang: Person = { id: 'a', name: '张三' };
  const li: Person = { id: 'b', name: '李四' };

  it('makes a mentioned person secretary of this branch, and a leader linked to it', async () => {
    await command(ADMIN, '/bind 一支部');
    const a = await command(ADMIN, `/角色 @${zhang.name} 书记`, [zhang]);
    expect(textOf(a)).toBe('已将 张三 设为「一支部」的支部书记。');
    const l = await command(ADMIN, `/role @${LEADER.name} leader`, [LEADER]);
    expect(textOf(l)).toBe('已将 刘委员 设为党委委员，联系「一支部」。');
    const rows = await bot.db.select().from(members);
    expect(rows.find((r) => r.userId === zhang.id)).toMatchObject({ role: 'secretary' });
    const leader = rows.find((r) => r.userId === LEADER.id)!;
    expect(leader).toMatchObject({ role: 'leader', branchId: null });
    expect(await bot.db.select().from(leaderLinks)).toMatchObject([{ leaderId: leader.id }]);
    expect((await bot.db.select().from(auditLog)).map((r) => r.action)).toEqual(['branch.bind', 'member.role', 'member.role']);
  });

  it('names the field when the role word is wrong or nobody is mentioned', async () => {
    await command(ADMIN, '/bind 一支部');
    const bad = await command(ADMIN, `/role @${zhang.name} boss`, [zhang]);
    expect(textOf(bad)).toContain('身份只能是 书记、委员、党员 或 取消委员');
    const nobody = await command(ADMIN, '/role secretary');
    expect(textOf(nobody)).toBe('请 @ 要设置的人，例如：/角色 @张三 书记');
  });

  it('refuses a secretary (roles are for admins)', async () => {
    await command(ADMIN, '/bind 一支部');
    await command(ADMIN, `/role @${zhang.name} secretary`, [zhang]);
    const r = await command(zhang.id, `/role @${li.name} secretary`, [li]);
    expect(textOf(r)).toBe('抱歉，/role（/角色） 仅限管理员使用。');
  });
});
