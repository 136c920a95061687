// The rubric item on satisfaction (示范岗 item 17: 满意度测评满意率达90%以上) shows what the member's post
// survey says, to the member while self-assessing.
import { asc } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ASSESS_ACTIONS } from '../../cards/assess-cards.js';
import { campaignPhases, members } from '../../db/schema.js';
import { RATE_RULE } from '../../handlers/survey/results.js';
import { openSurvey, recordAnswer } from '../../handlers/survey/store.js';
import { cardText, type NeutralBot, PLATFORM, startNeutralBot, TENANT } from '../support/neutral.js';
import { campaignRubric, declare, pageForm } from '../support/neutral-assess.js';
import { ADMIN, answered, CHAT_A, setUpOrg } from '../support/neutral-org.js';

let bot: NeutralBot;

beforeEach(async () => {
  bot = await startNeutralBot({ admins: [ADMIN], now: '2026-08-20T10:00:00+08:00' });
  await setUpOrg(bot);
  await answered(bot, ADMIN, CHAT_A, '/活动 新建 示范岗 2026-09-01');
});
afterEach(async () => bot.close());

describe('rubric item 17', () => {
  it("shows the member's post survey result beside it", async () => {
    const phase = (await bot.db.select().from(campaignPhases).orderBy(asc(campaignPhases.seq))).find((p) => p.kind === 'declare')!;
    bot.clock.set(new Date(phase.opensAt.getTime() + 10 * 3600_000));
    expect((await declare(bot, 'a2', phase.id)).toast?.type).toBe('success');
    const rubric = await campaignRubric(bot);
    const page = rubric.categories.find((c) => c.items.some((i) => i.text.includes('满意率')))!;
    const item = page.items.find((i) => i.text.includes('满意率'))!;
    const show = async () =>
      cardText(
        (
          await bot.press(
            'a2',
            { ...ASSESS_ACTIONS.page, args: { p: String(phase.id), pg: page.id } },
            { ...pageForm(rubric, page.id), [`score_${item.no}`]: 'x' },
          )
        ).card,
      );

    expect(await show()).not.toContain('师生评议');
    const member = (await bot.db.select().from(members)).find((m) => m.userId === 'a2')!;
    const survey = await openSurvey(bot.db, 'neutral-review-secret', {
      platform: PLATFORM,
      tenantKey: TENANT,
      branchId: member.branchId!,
      campaignId: null,
      phaseId: null,
      memberId: member.id,
      postTitle: '服务育人示范岗',
      title: '张三 · 服务育人示范岗 服务满意度测评',
      mode: 'open',
      codes: 0,
      criteria: [],
      threshold: 90,
      minSample: 30,
      rateRule: RATE_RULE,
      openedBy: 'a1',
      now: bot.clock.now(),
    });
    for (let i = 0; i < 4; i++)
      await recordAnswer(bot.db, survey, { rating: i < 3 ? 'satisfied' : 'unsatisfied', criteria: {}, comment: '' }, { voterTag: `t${i}` }, bot.clock.now());
    const text = await show();
    expect(text).toContain(`第${item.no}项`);
    expect(text).toContain('师生评议（进行中）：满意率 75.0%，4 份，样本不足（4/30）');
  });
});
