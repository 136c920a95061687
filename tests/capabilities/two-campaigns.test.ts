// Two campaigns at once (seed 002 runs 示范岗 inside 创先争优): a typed command that could mean either
// asks which, "活动:<编号|名称>" picks one, /活动 lists both, and a card button acts on its own campaign.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { campaigns } from '../../db/schema.js';
import { actionsOf, cardOf, cardText, type NeutralBot, startNeutralBot, textOf } from '../support/neutral.js';
import { ADMIN, answered, CHAT_A, setUpOrg } from '../support/neutral-org.js';

let bot: NeutralBot;

beforeEach(async () => {
  bot = await startNeutralBot({ admins: [ADMIN], now: '2026-08-20T10:00:00+08:00' });
  await setUpOrg(bot);
  await answered(bot, ADMIN, CHAT_A, '/活动 新建 创先争优 2026-08-01');
  await answered(bot, ADMIN, CHAT_A, '/活动 新建 示范岗 2026-09-01');
});
afterEach(async () => bot.close());

describe('two campaigns at once', () => {
  it('asks which for an ambiguous command and takes 活动:<编号|名称>', async () => {
    const rows = await bot.db.select().from(campaigns);
    expect(rows).toHaveLength(2);
    const asked = cardOf(await answered(bot, ADMIN, CHAT_A, '/活动 日期'));
    expect(cardText(asked)).toContain(
      '当前有 2 个进行中的活动：#2 创建“党员示范岗”活动、#1 深入开展创先争优活动。请在命令后加上 活动:编号，例如：/活动 活动:2',
    );
    // One tap answers: the same command for the campaign pressed, its answer in place of the question.
    const buttons = actionsOf(asked);
    expect(buttons.map((b) => b.args?.c)).toEqual(['2', '1']);
    const chosen = await bot.press(ADMIN, buttons[1]!, {}, CHAT_A);
    expect(cardText(chosen.card)).toContain('学习动员');
    expect(cardText(chosen.card)).not.toContain('申报与自评打分');
    // A member pressing it gets a member's answer, not the admin's.
    const member = await bot.press('a2', buttons[1]!, {}, CHAT_A);
    expect(cardText(member.card)).toContain('仅限管理员');
    // A mention travels with the command.
    const amend = cardOf(await answered(bot, ADMIN, CHAT_A, '/活动 名册 移除 @张三', [{ id: 'a2', name: '张三' }]));
    const removed = await bot.press(ADMIN, actionsOf(amend).find((b) => b.args?.c === '2')!, {}, CHAT_A);
    expect(cardText(removed.card)).toContain('已移出活动名册：张三');
    expect(textOf(await answered(bot, ADMIN, CHAT_A, '/活动 日期 活动:1'))).toContain('学习动员');
    expect(textOf(await answered(bot, ADMIN, CHAT_A, '/活动 日期 活动:示范岗'))).toContain('申报与自评打分');
    expect(textOf(await answered(bot, ADMIN, CHAT_A, '/活动 日期 活动:9'))).toMatch(/^没有编号为 9 的活动。现有活动：/);
    // /活动 shows the newest and names the other.
    const status = cardText(cardOf(await answered(bot, ADMIN, CHAT_A, '/活动')));
    expect(status).toContain('同时进行：#1 深入开展创先争优活动');
    expect(cardText(cardOf(await answered(bot, ADMIN, CHAT_A, '/活动 活动:1')))).toContain('深入开展创先争优活动');
  });
});
