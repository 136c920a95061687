// The pledge flow on Feishu's wire: a signed, encrypted card callback whose form carries Feishu's
// own shapes (a date picker's "YYYY-MM-DD +0800", a select answered as a list), answered in the
// callback body as card JSON 2.0, and the wall posted and patched through the Open API.
import { asc } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseFeishu } from '../../../bot/platforms/feishu/parse.js';
import { campaignPhases, pledges } from '../../../db/schema.js';
import { cardActionEvent } from '../../support/feishu-wire.js';
import { startTestBot, type TestBot } from '../../support/harness.js';
import { ADMIN, CHAT_A, headline, say, setUpOrg } from '../../support/org.js';

let bot: TestBot;
let phaseId: number;

beforeEach(async () => {
  bot = await startTestBot({ admins: [ADMIN], now: '2026-07-20T10:00:00+08:00' });
  await setUpOrg(bot);
  await say(bot, ADMIN, CHAT_A, '/活动 新建 创先争优 2026-08-01');
  const phase = (await bot.db.select().from(campaignPhases).orderBy(asc(campaignPhases.seq))).find((p) => p.kind === 'pledge')!;
  phaseId = phase.id;
  bot.clock.set(new Date(phase.opensAt.getTime() + 10 * 3600_000));
});
afterEach(async () => bot.close());

describe('Feishu form values', () => {
  it('are normalised by the parser: a picked date keeps its day, a list gives its first value, objects are dropped', () => {
    const parsed = parseFeishu(
      cardActionEvent({
        from: 'ou_a2',
        value: { a: 'pledge.submit', v: 1 },
        formValue: { due_1: '2026-12-31 +0800', area_1: ['服务师生', 'x'], promise_1: '  走访  ', bad: { toString: 'x' } },
      }),
    );
    expect(parsed.type === 'event' && parsed.event?.kind === 'cardAction' ? { ...parsed.event.formValue } : null).toEqual({
      due_1: '2026-12-31',
      area_1: '服务师生',
      promise_1: '走访',
    });
  });
});

describe('a pledge over the Feishu wire', () => {
  it('is stored with the picked date, answered with card JSON, and posted then patched on the wall', async () => {
    const submit = async (from: string, formValue: Record<string, unknown>) => {
      const res = await bot.deliver(
        cardActionEvent({ from, chatId: 'oc_p2p', value: { a: 'pledge.submit', v: 1, p: String(phaseId), o: 'member' }, formValue }),
      );
      expect(res.status).toBe(200);
      const body = (await res.json()) as { toast?: { type: string; content: string }; card?: { type: string; data: { schema: string } } };
      await bot.settle();
      return body;
    };
    const first = await submit('ou_a2', { area_1: ['服务师生'], promise_1: '每周走访宿舍楼', due_1: '2026-12-31 +0800' });
    expect(first.toast).toEqual({ type: 'success', content: '承诺已提交，已在承诺墙公示' });
    expect(first.card).toMatchObject({ type: 'raw', data: { schema: '2.0' } });
    expect((await bot.db.select().from(pledges))[0]!.items).toEqual([{ area: '服务师生', promise: '每周走访宿舍楼', due: '2026-12-31' }]);

    await submit('ou_a3', { area_1: '爱岗敬业', promise_1: '全年零差错', due_1: '2026-11-30 +0800' });
    const walls = bot.fake.sent.filter((m) => m.receiveId === CHAT_A && headline(m).startsWith('承诺墙'));
    expect(walls).toHaveLength(1);
    expect(bot.fake.patches.map((p) => p.messageId)).toEqual([walls[0]!.messageId]);
    expect(JSON.stringify(bot.fake.patches[0]!.content)).toContain('已亮承诺 **2/3** 人');
  });

  it('shows a form error in Feishu red (the neutral tone span rendered as <font>)', async () => {
    const res = await bot.deliver(
      cardActionEvent({
        from: 'ou_a2',
        chatId: 'oc_p2p',
        value: { a: 'pledge.submit', v: 1, p: String(phaseId), o: 'member' },
        formValue: { area_1: '服务师生', promise_1: '', due_1: '2026-12-31' },
      }),
    );
    const text = JSON.stringify(await res.json());
    expect(text).toContain("<font color='red'>**请修改以下 1 处后再提交：**</font>");
    expect(text).not.toContain('<t red>');
  });
});
