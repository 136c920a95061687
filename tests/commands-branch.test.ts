// /bind, /sync and /role over signed webhooks, checked in the database and at the fake Open API.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { auditLog, branches, leaderLinks, members } from '../db/schema.js';
import { cardActionEvent, groupCommand, messageEvent } from './support/feishu-wire.js';
import { startTestBot, type TestBot } from './support/harness.js';

const ADMIN = 'ou_admin';
const CHAT = 'oc_branch_one';

let bot: TestBot;
beforeEach(async () => {
  bot = await startTestBot({ admins: [ADMIN] });
});
afterEach(async () => bot.close());

async function command(from: string, text: string, others: Array<{ openId: string; name: string }> = [], chatId = CHAT) {
  const res = await bot.deliver(groupCommand(from, chatId, text, others));
  expect(res.status).toBe(200);
  await bot.settle();
  return bot.fake.sent.at(-1)!;
}

describe('/bind', () => {
  it('binds the group chat to a branch (admin) and audits it', async () => {
    const reply = await command(ADMIN, '/绑定 后勤第一党支部');
    expect(JSON.stringify(reply.content)).toContain('本群已绑定为 **后勤第一党支部**');
    const rows = await bot.db.select().from(branches);
    expect(rows).toMatchObject([{ name: '后勤第一党支部', chatId: CHAT }]);
    const audit = await bot.db.select().from(auditLog);
    expect(audit).toMatchObject([{ action: 'branch.bind', target: '后勤第一党支部', actorId: ADMIN }]);
  });

  it('refuses a non-admin politely, naming who may', async () => {
    const reply = await command('ou_alice', '/bind 后勤第一党支部');
    expect(reply.content).toEqual({ text: '抱歉，/bind（/绑定） 仅限管理员使用。' });
    expect(await bot.db.select().from(branches)).toHaveLength(0);
  });

  it('asks for the branch name when it is missing', async () => {
    const reply = await command(ADMIN, '/bind');
    expect(reply.content).toEqual({ text: '请在命令后写上支部名称，例如：/绑定 后勤第一党支部' });
  });

  it('says it needs a group when used in a direct chat', async () => {
    await bot.deliver(messageEvent({ from: ADMIN, text: '/bind 一支部' }));
    await bot.settle();
    expect(bot.fake.sent[0]!.content).toEqual({ text: '/bind（/绑定） 需要在支部群中 @我 使用。' });
  });

  it('asks before re-binding, and the confirm button (a card callback) re-binds in the HTTP answer', async () => {
    await command(ADMIN, '/bind 一支部');
    const confirm = await command(ADMIN, '/bind 二支部');
    const card = confirm.content as { body: { elements: Array<Record<string, unknown>> } };
    const buttons = JSON.stringify(card.body.elements);
    expect(buttons).toContain('"a":"bind.confirm"');
    expect(buttons).toContain('"branch":"二支部"');
    expect((await bot.db.select().from(branches).where(eq(branches.chatId, CHAT)))[0]!.name).toBe('一支部');

    const res = await bot.deliver(cardActionEvent({ from: ADMIN, chatId: CHAT, value: { a: 'bind.confirm', v: 1, branch: '二支部' } }));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { toast: { type: string; content: string }; card: { type: string; data: unknown } };
    expect(body.toast).toEqual({ type: 'success', content: '已绑定为「二支部」' });
    expect(body.card.type).toBe('raw');
    expect(JSON.stringify(body.card.data)).toContain('本群已绑定为 **二支部**');
    const bound = await bot.db.select().from(branches);
    expect(bound.find((b) => b.name === '二支部')!.chatId).toBe(CHAT);
    expect(bound.find((b) => b.name === '一支部')!.chatId).toBeNull();
  });

  it('refuses the confirm button to a non-admin with a toast and changes nothing', async () => {
    await command(ADMIN, '/bind 一支部');
    const res = await bot.deliver(cardActionEvent({ from: 'ou_alice', chatId: CHAT, value: { a: 'bind.confirm', v: 1, branch: '二支部' } }));
    expect(await res.json()).toEqual({ toast: { type: 'error', content: '仅限管理员操作。' } });
    expect((await bot.db.select().from(branches).where(eq(branches.chatId, CHAT)))[0]!.name).toBe('一支部');
  });

  it('answers a stale or unknown card action with a toast', async () => {
    const res = await bot.deliver(cardActionEvent({ from: ADMIN, value: { a: 'bind.confirm', v: 99 } }));
    expect(await res.json()).toEqual({ toast: { type: 'warning', content: '该卡片已失效，请重新发送命令获取新卡片。' } });
  });
});

describe('/sync', () => {
  const people = [
    { openId: 'ou_admin', name: '管理员' },
    { openId: 'ou_a', name: '张三' },
    { openId: 'ou_b', name: '李四' },
    { openId: 'ou_c', name: '王五' },
    { openId: 'ou_d', name: '赵六' },
    { openId: 'ou_e', name: '钱七' },
  ];

  it('pulls every page of the chat members into the branch roster', async () => {
    await command(ADMIN, '/bind 一支部');
    bot.fake.setChatMembers(CHAT, people, 2);
    const reply = await command(ADMIN, '/同步');
    expect(JSON.stringify(reply.content)).toContain('现有 **6** 人');
    const memberRequests = bot.fake.requests.filter((r) => r.path.endsWith('/members'));
    expect(memberRequests).toHaveLength(3);
    const rows = await bot.db.select().from(members);
    expect(rows.map((r) => r.name).sort()).toEqual(people.map((p) => p.name).sort());
    expect(new Set(rows.map((r) => r.branchId)).size).toBe(1);
  });

  it('says what to check when Feishu will not list the members (the bot left the chat)', async () => {
    await command(ADMIN, '/bind 一支部');
    // The fake has no members for this chat: it answers like Feishu, 400 code 232011 "operator not in chat".
    const reply = await command(ADMIN, '/同步');
    expect(reply.content).toEqual({ text: '无法读取本群成员列表：请确认机器人仍在本群中，且应用已开通读取群成员的权限（im:chat:readonly）。' });
    expect(bot.logLines.some((l) => l.includes('"handler failed"'))).toBe(false);
  });

  it('marks people who left the chat inactive on the next sync', async () => {
    await command(ADMIN, '/bind 一支部');
    bot.fake.setChatMembers(CHAT, people, 4);
    await command(ADMIN, '/sync');
    bot.fake.setChatMembers(CHAT, people.slice(0, 4), 4);
    const reply = await command(ADMIN, '/sync');
    expect(JSON.stringify(reply.content)).toContain('移出名册 2 人');
    const inactive = await bot.db.select().from(members).where(eq(members.active, false));
    expect(inactive.map((m) => m.name).sort()).toEqual(['赵六', '钱七'].sort());
  });

  it('lets the branch secretary sync, but not a plain member', async () => {
    await command(ADMIN, '/bind 一支部');
    bot.fake.setChatMembers(CHAT, people, 10);
    await command(ADMIN, '/sync');
    const refused = await command('ou_b', '/sync');
    expect(refused.content).toEqual({ text: '抱歉，/sync（/同步） 仅限管理员或本支部书记使用。' });
    await command(ADMIN, '/role @_user_2 secretary', [{ openId: 'ou_a', name: '张三' }]);
    const ok = await command('ou_a', '/sync');
    expect(JSON.stringify(ok.content)).toContain('成员同步完成');
  });

  it('makes a secretary who moves to another branch a plain member there', async () => {
    await command(ADMIN, '/bind 一支部');
    bot.fake.setChatMembers(CHAT, people, 10);
    await command(ADMIN, '/sync');
    await command(ADMIN, '/role @_user_2 secretary', [{ openId: 'ou_a', name: '张三' }]);
    bot.fake.setChatMembers(
      CHAT,
      people.filter((p) => p.openId !== 'ou_a'),
      10,
    );
    await command(ADMIN, '/sync');
    await command(ADMIN, '/bind 二支部', [], 'oc_two');
    bot.fake.setChatMembers('oc_two', [{ openId: 'ou_a', name: '张三' }], 10);
    await command(ADMIN, '/sync', [], 'oc_two');
    const [moved] = await bot.db.select().from(members).where(eq(members.userId, 'ou_a'));
    expect(moved).toMatchObject({ role: 'member', active: true });
    const refused = await command('ou_a', '/sync', [], 'oc_two');
    expect(refused.content).toEqual({ text: '抱歉，/sync（/同步） 仅限管理员或本支部书记使用。' });
  });

  it('tells the secretary to bind first when the chat has no branch', async () => {
    const reply = await command(ADMIN, '/sync');
    expect(reply.content).toEqual({ text: '本群尚未绑定支部，请管理员先发送 /绑定 <支部名称>。' });
  });
});

describe('/role', () => {
  it('makes a mentioned person secretary of this branch, and a leader linked to it', async () => {
    await command(ADMIN, '/bind 一支部');
    const a = await command(ADMIN, '/角色 @_user_2 书记', [{ openId: 'ou_a', name: '张三' }]);
    expect(a.content).toEqual({ text: '已将 张三 设为「一支部」的支部书记。' });
    const l = await command(ADMIN, '/role @_user_2 leader', [{ openId: 'ou_l', name: '刘委员' }]);
    expect(l.content).toEqual({ text: '已将 刘委员 设为党委委员，联系「一支部」。' });
    const rows = await bot.db.select().from(members);
    expect(rows.find((r) => r.userId === 'ou_a')).toMatchObject({ role: 'secretary' });
    const leader = rows.find((r) => r.userId === 'ou_l')!;
    expect(leader).toMatchObject({ role: 'leader', branchId: null });
    expect(await bot.db.select().from(leaderLinks)).toMatchObject([{ leaderId: leader.id }]);
    expect((await bot.db.select().from(auditLog)).map((r) => r.action)).toEqual(['branch.bind', 'member.role', 'member.role']);
  });

  it('names the field when the role word is wrong or nobody is mentioned', async () => {
    await command(ADMIN, '/bind 一支部');
    const bad = await command(ADMIN, '/role @_user_2 boss', [{ openId: 'ou_a', name: '张三' }]);
    expect((bad.content as { text: string }).text).toContain('身份只能是 书记、委员 或 党员');
    const nobody = await command(ADMIN, '/role secretary');
    expect(nobody.content).toEqual({ text: '请 @ 要设置的人，例如：/角色 @张三 书记' });
  });

  it('refuses a secretary (roles are for admins)', async () => {
    await command(ADMIN, '/bind 一支部');
    await command(ADMIN, '/role @_user_2 secretary', [{ openId: 'ou_a', name: '张三' }]);
    const r = await command('ou_a', '/role @_user_2 secretary', [{ openId: 'ou_b', name: '李四' }]);
    expect(r.content).toEqual({ text: '抱歉，/role（/角色） 仅限管理员使用。' });
  });
});
