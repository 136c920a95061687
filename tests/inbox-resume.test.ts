// The durable inbox over the public surface: an event whose process died mid-handler is resumed by the
// next process (or by Feishu's redelivery), its answer delivered once, and its stored payload erased.
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { processedEvents } from '../db/schema.js';
import type { ActionSpec, CommandSpec } from '../bot/registry.js';
import type { Registry } from '../bot/registry.js';
import { defaultRegistry } from '../handlers/index.js';
import { cardActionEvent, messageEvent } from './support/feishu-wire.js';
import { startTestBot, type TestBot } from './support/harness.js';

let bot: TestBot;
afterEach(async () => bot?.close());

/** The first run never finishes (its process is about to die); later runs answer at once, unless all die. */
let runs = 0;
let allDie = false;
const never = new Promise<never>(() => {});
const dyingAction: ActionSpec = {
  id: 'test.dying',
  v: 1,
  access: ['anyone'],
  async run() {
    runs += 1;
    if (runs === 1) await never;
    return { card: { title: '已保存', blocks: [{ type: 'markdown', text: '第二次运行完成' }] }, toast: { type: 'success', text: '已保存' } };
  },
};
const dyingCommand: CommandSpec = {
  name: 'dying',
  aliases: ['中断'],
  usage: '/dying',
  summary: 'dies the first time',
  access: ['anyone'],
  async run() {
    runs += 1;
    if (runs === 1 || allDie) await never;
    return { text: `第 ${runs} 次运行完成` };
  },
};
const registry: Registry = { ...defaultRegistry, commands: [...defaultRegistry.commands, dyingCommand], actions: [...defaultRegistry.actions, dyingAction] };

/** Waits until the handler has been entered `n` times: a crash is meant to cut a run inside the handler. */
async function untilRuns(n: number): Promise<void> {
  for (let i = 0; i < 400 && runs < n; i++) await new Promise((r) => setTimeout(r, 5));
  expect(runs).toBe(n);
}

async function rowOf(eventId: string) {
  const [row] = await bot.db.select().from(processedEvents).where(eq(processedEvents.eventId, eventId));
  return row;
}

describe('an event cut short by a crash', () => {
  afterEach(() => {
    allDie = false;
  });

  it('a card action is resumed by the next process and its card delivered through the update token', async () => {
    runs = 0;
    bot = await startTestBot({ registry, cardAckBudgetMs: 30, now: '2026-09-15T10:00:00+08:00' });
    const click = cardActionEvent({ from: 'ou_a', value: { a: 'test.dying', v: 1 }, formValue: { grade: '优秀' } });
    const res = await bot.deliver(click);
    expect(await res.json()).toEqual({ toast: { type: 'info', content: '正在处理，请稍候…' } });
    expect(await rowOf(click.header.event_id)).toMatchObject({ status: 'pending' });
    expect((await rowOf(click.header.event_id))!.payload).toContain('优秀');

    await bot.crash();
    await bot.tick();
    expect(runs).toBe(2);
    expect(bot.fake.cardUpdates).toHaveLength(1);
    expect(bot.fake.cardUpdates[0]!.token).toBe(click.event.token);
    expect(JSON.stringify(bot.fake.cardUpdates[0]!.card)).toContain('第二次运行完成');
    const row = await rowOf(click.header.event_id);
    expect(row).toMatchObject({ status: 'done', payload: null });

    // Feishu's redelivery of the finished event changes nothing.
    await bot.deliver(click);
    await bot.tick();
    expect(runs).toBe(2);
    expect(bot.fake.cardUpdates).toHaveLength(1);
  });

  it('after the card token has expired (30 min), the answer goes to the direct chat instead', async () => {
    runs = 0;
    bot = await startTestBot({ registry, cardAckBudgetMs: 30, now: '2026-09-15T10:00:00+08:00' });
    const click = cardActionEvent({ from: 'ou_a', value: { a: 'test.dying', v: 1 } });
    await bot.deliver(click);
    await bot.crash();
    bot.clock.advance(40 * 60_000);
    await bot.tick();
    expect(bot.fake.cardUpdates).toHaveLength(0);
    expect(bot.fake.sent.map((m) => [m.receiveId, m.content])).toEqual([['ou_a', { text: '已保存' }]]);
  });

  it('a command answered 200 is resumed by the redelivery, not swallowed, and replied to once', async () => {
    runs = 0;
    bot = await startTestBot({ registry });
    const command = messageEvent({ from: 'ou_a', text: '/dying' });
    expect((await bot.deliver(command)).status).toBe(200);
    await untilRuns(1);
    await bot.crash();
    expect((await bot.deliver(command)).status).toBe(200);
    await bot.settle();
    await bot.tick();
    expect(runs).toBe(2);
    expect(bot.fake.sent.filter((m) => m.replyTo === command.event.message.message_id).map((m) => m.content)).toEqual([{ text: '第 2 次运行完成' }]);
    expect(await rowOf(command.header.event_id)).toMatchObject({ status: 'done', payload: null, attempts: 2 });
  });

  it('an event that keeps dying is given up after 3 runs and its sender told', async () => {
    bot = await startTestBot({ registry });
    runs = 0;
    allDie = true;
    const command = messageEvent({ from: 'ou_a', text: '/dying' });
    await bot.deliver(command);
    for (let i = 0; i < 2; i++) {
      await untilRuns(i + 1);
      await bot.crash();
      await bot.deliver(command); // Feishu's redelivery resumes it: the run dies again
    }
    await untilRuns(3);
    await bot.crash();
    await bot.tick();
    allDie = false;
    expect(runs).toBe(3);
    const replies = bot.fake.sent.filter((m) => m.replyTo === command.event.message.message_id);
    expect(replies.map((m) => m.content)).toEqual([{ text: '处理时出现问题，已记录，请稍后再试或联系管理员。' }]);
    expect(await rowOf(command.header.event_id)).toMatchObject({ status: 'failed', payload: null });
  });
});

describe('an event that cannot be stored', () => {
  it('is answered 503 (Feishu delivers again) and its ballot is not written to the log', async () => {
    bot = await startTestBot({ registry });
    bot.client.close(); // the database goes away under the running bot
    const click = cardActionEvent({ from: 'ou_rater', value: { a: 'test.dying', v: 1 }, formValue: { grade: 'SECRET_GRADE' } });
    const res = await bot.deliver(click);
    expect(res.status).toBe(503);
    const line = bot.logLines.find((l) => l.includes('"event not recorded"'));
    expect(line).toBeDefined();
    expect(line).toContain('params: (not logged)');
    expect(bot.logLines.join('\n')).not.toContain('SECRET_GRADE');
    expect(bot.logLines.join('\n')).not.toContain('ou_rater');
    await bot.crash();
  });
});

describe('card actions answered in time', () => {
  it('are marked done, their payload erased, before the answer goes out, also when many arrive at once', async () => {
    runs = 10; // every run answers at once
    bot = await startTestBot({ registry });
    const clicks = Array.from({ length: 25 }, (_, i) => cardActionEvent({ from: `ou_c${i}`, value: { a: 'test.dying', v: 1 }, formValue: { grade: '合格' } }));
    const answers = await Promise.all(clicks.map((c) => bot.deliver(c)));
    for (const a of answers) expect(await a.json()).toMatchObject({ toast: { type: 'success', content: '已保存' } });
    const rows = await bot.db.select().from(processedEvents);
    expect(rows).toHaveLength(25);
    expect(rows.every((r) => r.status === 'done' && r.payload === null && r.doneAt !== null)).toBe(true);
  });
});
