import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { groupCommand, messageEvent } from './support/feishu-wire.js';
import { startTestBot, type TestBot } from './support/harness.js';

function cardText(content: unknown): string {
  return JSON.stringify(content);
}

describe('/help', () => {
  let bot: TestBot;
  beforeEach(async () => {
    bot = await startTestBot({ admins: ['ou_admin'] });
  });
  afterEach(async () => bot.close());

  it('answers a direct message with a card of the commands a member may use', async () => {
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
    const text = cardText(card);
    expect(text).toContain('/help');
    expect(text).not.toContain('/bind');
    expect(text).not.toContain('/role');
  });

  it('lists admin commands for an admin, with Chinese aliases', async () => {
    await bot.deliver(messageEvent({ from: 'ou_admin', text: '／帮助' }));
    await bot.settle();
    const text = cardText(bot.fake.sent[0]!.content);
    expect(text).toContain('/bind <支部名称>');
    expect(text).toContain('/绑定');
    expect(text).toContain('/同步');
    expect(text).toContain('/角色');
    expect(text).toContain('管理员');
  });

  it('answers /help after the bot mention in a group, replying to that message', async () => {
    const event = groupCommand('ou_alice', 'oc_branch1', '/help');
    await bot.deliver(event);
    await bot.settle();
    expect(bot.fake.sent).toHaveLength(1);
    expect(bot.fake.sent[0]!.replyTo).toBe(event.event.message.message_id);
    expect(bot.fake.sent[0]!.msgType).toBe('interactive');
  });

  it('hints at /help for an unknown command', async () => {
    await bot.deliver(messageEvent({ from: 'ou_alice', text: '/frobnicate now' }));
    await bot.settle();
    expect(bot.fake.sent[0]!.content).toEqual({ text: '未知命令「/frobnicate」。发送 /帮助 查看可用命令。' });
  });

  it('tells a sender their open_id with /我是谁, for BOT_ADMINS', async () => {
    await bot.deliver(messageEvent({ from: 'ou_newcomer', text: '/我是谁' }));
    await bot.settle();
    expect((bot.fake.sent[0]!.content as { text: string }).text).toContain('ou_newcomer');
  });

  it('greets plain text in a direct chat with a hint', async () => {
    await bot.deliver(messageEvent({ from: 'ou_alice', text: '你好' }));
    await bot.settle();
    expect(bot.fake.sent[0]!.content).toEqual({ text: '你好！我是党建助手。发送 /帮助 查看我能做什么。' });
  });
});
