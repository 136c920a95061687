// Card callbacks inside Feishu's 3-second window, and handler failures that never reach the user raw.
import { afterEach, describe, expect, it } from 'vitest';
import type { Registry } from '../bot/registry.js';
import { defaultRegistry } from '../handlers/index.js';
import { outbox } from '../db/schema.js';
import { InputError } from '../bot/errors.js';
import type { ActionSpec, CommandSpec } from '../bot/registry.js';
import { cardActionEvent, messageEvent } from './support/feishu-wire.js';
import { startTestBot, type TestBot } from './support/harness.js';

let bot: TestBot;
afterEach(async () => bot?.close());

let release: () => void = () => {};
const slowAction: ActionSpec = {
  id: 'test.slow',
  v: 1,
  access: ['anyone'],
  async run() {
    await new Promise<void>((resolve) => {
      release = resolve;
    });
    return { card: { title: '完成', blocks: [{ type: 'markdown', text: '慢操作已完成' }] } };
  },
};
const slowRefusal: ActionSpec = {
  id: 'test.slow-refusal',
  v: 1,
  access: ['anyone'],
  async run() {
    await new Promise<void>((resolve) => {
      release = resolve;
    });
    throw new InputError('阶段', '该阶段已结束。');
  },
};
const brokenCommand: CommandSpec = {
  name: 'broken',
  aliases: ['坏'],
  usage: '/broken',
  summary: 'always fails',
  access: ['anyone'],
  async run() {
    throw new Error('secret internal detail at handlers/x.ts:12');
  },
};
const registry: Registry = {
  commands: [...defaultRegistry.commands, brokenCommand],
  actions: [...defaultRegistry.actions, slowAction, slowRefusal],
};

describe('card callbacks', () => {
  it('acknowledges a slow action with a toast, then delivers the card through the delayed-update API', async () => {
    bot = await startTestBot({ registry, cardAckBudgetMs: 20 });
    const event = cardActionEvent({ from: 'ou_a', value: { a: 'test.slow', v: 1 } });
    const res = await bot.deliver(event);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ toast: { type: 'info', content: '正在处理，请稍候…' } });
    expect(bot.fake.cardUpdates).toHaveLength(0);
    release();
    await bot.settle();
    expect(bot.fake.cardUpdates).toHaveLength(1);
    expect(bot.fake.cardUpdates[0]!.token).toBe(event.event.token);
    expect(JSON.stringify(bot.fake.cardUpdates[0]!.card)).toContain('慢操作已完成');
  });

  it('tells the user privately when a slow action ends with a message instead of a card', async () => {
    bot = await startTestBot({ registry, cardAckBudgetMs: 20 });
    const res = await bot.deliver(cardActionEvent({ from: 'ou_a', value: { a: 'test.slow-refusal', v: 1 } }));
    expect(await res.json()).toEqual({ toast: { type: 'info', content: '正在处理，请稍候…' } });
    release();
    await bot.settle();
    expect(bot.fake.sent.map((m) => [m.receiveId, m.content])).toEqual([['ou_a', { text: '该阶段已结束。' }]]);
  });

  it('answers a repeated callback delivery with an empty body and runs the action once', async () => {
    bot = await startTestBot({ admins: ['ou_admin'] });
    const event = cardActionEvent({ from: 'ou_admin', value: { a: 'bind.cancel', v: 1, branch: 'x' } });
    const first = await bot.deliver(event);
    expect(((await first.json()) as { toast: unknown }).toast).toEqual({ type: 'info', content: '已取消' });
    const second = await bot.deliver(event);
    expect(await second.json()).toEqual({});
  });
});

describe('handler failures', () => {
  it('logs the error once and tells the user in Chinese, without internals', async () => {
    bot = await startTestBot({ registry });
    const res = await bot.deliver(messageEvent({ from: 'ou_a', text: '/broken' }));
    expect(res.status).toBe(200);
    await bot.settle();
    const reply = JSON.stringify(bot.fake.sent[0]!.content);
    expect(reply).toContain('处理时出现问题');
    expect(reply).not.toContain('secret internal detail');
    const errors = bot.logLines.filter((l) => l.includes('"handler failed"'));
    expect(errors).toHaveLength(1);
  });

  it('keeps a reply in the outbox until Feishu accepts it, and sends it on the next try', async () => {
    bot = await startTestBot();
    const event = messageEvent({ from: 'ou_a', text: '/help' });
    bot.fake.failNext(
      '/reply',
      { status: 503, body: { code: 1, msg: 'unavailable' } },
      { status: 503, body: { code: 1, msg: 'unavailable' } },
      { status: 503, body: { code: 1, msg: 'unavailable' } },
      { status: 503, body: { code: 1, msg: 'unavailable' } },
    );
    await bot.deliver(event);
    await bot.settle();
    expect(bot.fake.sent).toHaveLength(0);
    const [row] = await bot.db.select().from(outbox);
    expect(row).toMatchObject({ receiveIdType: 'reply', receiveId: event.event.message.message_id, status: 'pending', priority: 0 });
    bot.clock.advance(10 * 60_000);
    await bot.tick();
    expect(bot.fake.sent).toHaveLength(1);
    expect(bot.fake.sent[0]).toMatchObject({ via: 'reply', replyTo: event.event.message.message_id, msgType: 'interactive' });
  });

  it('logs a reply that could not be delivered instead of crashing', async () => {
    bot = await startTestBot();
    bot.fake.failNext('/reply', { status: 400, body: { code: 230002, msg: 'bot not in chat' } });
    const res = await bot.deliver(messageEvent({ from: 'ou_a', text: '/help' }));
    expect(res.status).toBe(200);
    await bot.settle();
    expect(bot.logLines.some((l) => l.includes('"outbox message dead-lettered"'))).toBe(true);
  });
});
