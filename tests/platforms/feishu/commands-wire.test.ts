// The commands on Feishu's wire: /help answered as interactive card JSON 2.0 in reply to the message,
// /sync following every page of the chat-members API and explaining Feishu's refusal, and the
// /bind confirm button carried as a card value and answered in the callback body as raw card JSON.
// What the commands do is tested over the neutral harness in tests/capabilities/commands-*.test.ts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { members } from '../../../db/schema.js';
import { cardActionEvent, groupCommand, messageEvent } from '../../support/feishu-wire.js';
import { startTestBot, type TestBot } from '../../support/harness.js';

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

describe('/help on Feishu', () => {
  it('answers a direct message with an interactive card in JSON 2.0', async () => {
    const res = await bot.deliver(messageEvent({ from: 'ou_alice', text: '/help' }));
    expect(res.status).toBe(200);
    await bot.settle();
    expect(bot.fake.sent).toHaveLength(1);
    const [msg] = bot.fake.sent;
    expect(msg!.via).toBe('reply');
    expect(msg!.msgType).toBe('interactive');
    const card = msg!.content as { schema: string; header: { title: { content: string } } };
    expect(card.schema).toBe('2.0');
    expect(card.header.title.content).toBe('党建助手 · 使用帮助');
  });

  it('answers /help after the bot mention in a group, replying to that message', async () => {
    const event = groupCommand('ou_alice', 'oc_branch1', '/help');
    await bot.deliver(event);
    await bot.settle();
    expect(bot.fake.sent).toHaveLength(1);
    expect(bot.fake.sent[0]!.replyTo).toBe(event.event.message.message_id);
    expect(bot.fake.sent[0]!.msgType).toBe('interactive');
  });
});

describe('/bind on Feishu', () => {
  it('carries the confirm action in the button value and answers the callback with raw card JSON', async () => {
    await command(ADMIN, '/bind 一支部');
    const confirm = await command(ADMIN, '/bind 二支部');
    const card = confirm.content as { body: { elements: Array<Record<string, unknown>> } };
    const buttons = JSON.stringify(card.body.elements);
    expect(buttons).toContain('"a":"bind.confirm"');
    expect(buttons).toContain('"branch":"二支部"');

    const res = await bot.deliver(cardActionEvent({ from: ADMIN, chatId: CHAT, value: { a: 'bind.confirm', v: 1, branch: '二支部' } }));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { toast: { type: string; content: string }; card: { type: string; data: unknown } };
    expect(body.toast).toEqual({ type: 'success', content: '已绑定为「二支部」' });
    expect(body.card.type).toBe('raw');
    expect(JSON.stringify(body.card.data)).toContain('本群已绑定为 **二支部**');
  });
});

describe('/sync on Feishu', () => {
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
});
