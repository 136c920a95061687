// A named jump (/活动 阶段 <later phase>): the phases jumped over never ran — /活动 shows the phase
// after the target as next, and no "阶段结束" summary is posted for a phase never announced.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cardOf, cardText, type NeutralBot, pushed, startNeutralBot, textOf } from '../support/neutral.js';
import { ADMIN, answered, CHAT_A, setUpOrg } from '../support/neutral-org.js';

let bot: NeutralBot;

beforeEach(async () => {
  bot = await startNeutralBot({ admins: [ADMIN], now: '2026-09-01T10:00:00+08:00' });
  await setUpOrg(bot);
  await answered(bot, ADMIN, CHAT_A, '/活动 新建 三亮三比三评 2026-09-01');
  await bot.tick();
});
afterEach(async () => bot.close());

describe('a named phase jump', () => {
  it('skips the phases in between: not next, never summarised', async () => {
    bot.clock.set(new Date('2026-09-03T10:00:00+08:00'));
    const reply = textOf(await answered(bot, ADMIN, CHAT_A, '/活动 阶段 领导点评'))!;
    expect(reply).toMatch(/^已开始「领导点评」（截止 .*），并结束了「动员部署（亮标准、亮身份）」，跳过了「亮承诺、三比（比技能、比服务、比业绩）」。$/);
    const m = bot.sent.length;
    await bot.tick();
    bot.clock.set(new Date('2026-09-04T10:00:00+08:00'));
    await bot.tick();
    const after = pushed(bot, m);
    expect(after.some((s) => s.includes('领导点评'))).toBe(true);
    // The phase that ran is summarised; those jumped over are not.
    expect(after.filter((s) => s.includes('阶段结束'))).toEqual(['chat_a 动员部署（亮标准、亮身份） 阶段结束', 'chat_b 动员部署（亮标准、亮身份） 阶段结束']);
    expect(after.some((s) => s.includes('亮承诺 阶段结束') || s.includes('三比（比技能、比服务、比业绩） 阶段结束'))).toBe(false);
    const status = cardText(cardOf(await answered(bot, ADMIN, CHAT_A, '/活动')));
    expect(status).toContain('下一阶段：党员互评');
  });
});
