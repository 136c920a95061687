// /help, /我是谁, unknown commands and plain text, over the neutral harness. How the help card is
// rendered for Feishu (card JSON 2.0, interactive, replying to the message) is tested under
// tests/platforms/feishu/commands-wire.test.ts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommandEvent } from '../../bot/types.js';
import { outbox } from '../../db/schema.js';
import { cardOf, cardText, type NeutralBot, PLATFORM, startNeutralBot, TENANT, textOf } from '../support/neutral.js';
import { ADMIN } from '../support/neutral-org.js';

describe('/help', () => {
  let bot: NeutralBot;
  beforeEach(async () => {
    bot = await startNeutralBot({ admins: [ADMIN] });
  });
  afterEach(async () => bot.close());

  it('answers a direct message with a card of the commands a member may use', async () => {
    const reply = await bot.sayPrivately('alice', '/help');
    expect(bot.sent).toHaveLength(1);
    const [msg] = bot.sent;
    expect(msg!.via).toBe('reply');
    expect(msg!.to).toBe('dm:alice');
    expect(msg!.content.kind).toBe('card');
    expect(reply).toBe(msg!.content);
    const card = cardOf(reply)!;
    expect(card.title).toBe('党建助手 · 使用帮助');
    const text = cardText(card);
    expect(text).toContain('/help');
    expect(text).not.toContain('/bind');
    expect(text).not.toContain('/role');
  });

  it('lists admin commands for an admin, with Chinese aliases', async () => {
    const text = cardText(cardOf(await bot.sayPrivately(ADMIN, '／帮助')));
    expect(text).toContain('/bind <支部名称>');
    expect(text).toContain('/绑定');
    expect(text).toContain('/同步');
    expect(text).toContain('/角色');
    expect(text).toContain('管理员');
  });

  it('answers /help after the bot mention in a group, replying to that message', async () => {
    const event: CommandEvent = {
      kind: 'command',
      eventId: 'help-in-group',
      platform: PLATFORM,
      tenantKey: TENANT,
      chatId: 'chat_branch1',
      userId: 'alice',
      messageId: 'msg_help_1',
      chatType: 'group',
      name: 'help',
      args: [],
      mentions: [],
    };
    await bot.deliver(event);
    expect(bot.sent).toHaveLength(1);
    expect(bot.sent[0]).toMatchObject({ via: 'reply', to: 'chat_branch1' });
    expect(bot.sent[0]!.content.kind).toBe('card');
    // The reply's target is the message that asked: the outbox keeps it.
    const rows = await bot.db.select().from(outbox);
    expect(rows).toMatchObject([{ receiveIdType: 'reply', receiveId: 'msg_help_1', chatId: 'chat_branch1', status: 'sent' }]);
  });

  it('hints at /help for an unknown command', async () => {
    expect(textOf(await bot.sayPrivately('alice', '/frobnicate now'))).toBe('未知命令「/frobnicate」。发送 /帮助 查看可用命令。');
  });

  it('tells a sender their user id with /我是谁, as BOT_ADMINS wants it', async () => {
    const text = textOf(await bot.sayPrivately('newcomer', '/我是谁'));
    expect(text).toContain('您的用户 ID：newcomer');
    expect(text).toContain(`${PLATFORM}:newcomer`);
  });

  it('greets plain text in a direct chat with a hint', async () => {
    expect(textOf(await bot.sayPrivately('alice', '你好'))).toBe('你好！我是党建助手。发送 /帮助 查看我能做什么。');
  });
});
