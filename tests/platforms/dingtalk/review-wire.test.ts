// A peer-review round on DingTalk, start to results: the secretary starts it in the group, each member
// gets a 1:1 invitation whose button opens their ballot page, ballots are posted there, and at the
// close everyone gets their own results 1:1 (the chart as lines with the same numbers).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { members, reviewBallots } from '../../../db/schema.js';
import { GROUP_A, ORG_ENV, setUpDingTalkOrg, startDingTalkBot, type DtBot } from '../../support/dingtalk-harness.js';
import { openPage, pagePath, postPage } from '../../support/dingtalk-pages.js';
import { dtMessage } from '../../support/dingtalk-wire.js';
import { dtText } from '../../support/fake-dingtalk.js';

let bot: DtBot;
let ids: Map<string, number>;
const BRANCH = ['a1', 'a2', 'a3'];

beforeEach(async () => {
  bot = await startDingTalkBot({ env: { ...ORG_ENV, REVIEW_MIN_BALLOTS: '2' }, now: '2026-11-02T10:00:00+08:00' });
  await setUpDingTalkOrg(bot);
  ids = new Map((await bot.db.select().from(members)).map((m) => [m.userId, m.id]));
});
afterEach(async () => bot.close());

function ballot(who: string): Record<string, string> {
  const form: Record<string, string> = {};
  for (const p of BRANCH) {
    if (p === who) continue;
    const id = ids.get(p)!;
    form[`grade_${id}`] = 'excellent';
    form[`s1_${id}`] = '5';
    form[`s3_${id}`] = '4';
    form[`comment_${id}`] = `好评-${p}`;
  }
  return form;
}

describe('a peer-review round on DingTalk', () => {
  it('invites 1:1 with a page link, takes ballots on the pages, and sends each member their results', async () => {
    const before = bot.fake.sent.length;
    expect((await bot.deliver(dtMessage({ from: 'a1', group: GROUP_A, text: '/评议 开始' }))).status).toBe(200);
    await bot.settle();
    const started = bot.fake.sent.slice(before);
    const invitations = started.filter((m) => m.via === 'oto');
    expect(invitations.map((m) => m.to).sort()).toEqual(BRANCH);

    for (const who of BRANCH) {
      const invite = invitations.find((m) => m.to === who)!;
      const path = pagePath(invite);
      const page = await openPage(bot, path);
      const answered = await postPage(bot, path, page, ballot(who));
      expect(answered).not.toContain('请修改');
    }
    // One line per (rater, ratee): three raters, two others each.
    expect(await bot.db.select().from(reviewBallots)).toHaveLength(6);

    const closing = bot.fake.sent.length;
    expect((await bot.deliver(dtMessage({ from: 'a1', group: GROUP_A, text: '/评议 结束' }))).status).toBe(200);
    await bot.settle();
    const out = bot.fake.sent.slice(closing);
    const mine = out.find((m) => m.via === 'oto' && m.to === 'a2' && dtText(m).includes('我的互评结果'))!;
    expect(dtText(mine)).toContain('共 2 份评价：优秀 2');
    // The chart degrades to lines with the same numbers.
    expect(dtText(mine)).toMatch(/- 优秀：2 ▇+/);
    // Comments are shown to the ratee, never with who wrote them.
    expect(dtText(mine)).toContain('好评-a2');
    expect(dtText(mine)).not.toMatch(/王书记|李四/);
    expect(out.some((m) => m.via === 'group' && m.to === GROUP_A && dtText(m).includes('党员互评结束'))).toBe(true);
  });
});
