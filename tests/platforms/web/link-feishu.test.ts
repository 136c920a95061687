// A personal web link for a Feishu member: the page shows their own pledge card from the Feishu
// organisation's data, its form posts through the same dispatch, and the pledge reaches the branch's
// wall in the Feishu group through the Open API.
import { asc } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { linkToken } from '../../../bot/platforms/web/links.js';
import { campaignPhases, pledges } from '../../../db/schema.js';
import { TEST_APP } from '../../support/feishu-wire.js';
import { startTestBot, TEST_LINK_SECRET, type TestBot } from '../../support/harness.js';
import { ADMIN, CHAT_A, headline, say, setUpOrg } from '../../support/org.js';

let bot: TestBot;

beforeEach(async () => {
  bot = await startTestBot({ admins: [ADMIN], now: '2026-07-20T10:00:00+08:00' });
  await setUpOrg(bot);
  await say(bot, ADMIN, CHAT_A, '/活动 新建 创先争优 2026-08-01');
  const phase = (await bot.db.select().from(campaignPhases).orderBy(asc(campaignPhases.seq))).find((p) => p.kind === 'pledge')!;
  bot.clock.set(new Date(phase.opensAt.getTime() + 10 * 3600_000));
});
afterEach(async () => bot.close());

const field = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1]?.replace(/&quot;/g, '"') ?? '';

describe('a personal link of a Feishu member', () => {
  it('opens their pledge card as a page and takes the pledge, which Feishu then shows on the wall', async () => {
    const token = linkToken(TEST_LINK_SECRET, {
      platform: 'feishu',
      tenantKey: TEST_APP.tenantKey,
      userId: 'ou_a2',
      purpose: '承诺',
      expiresAt: new Date(bot.clock.now().getTime() + 86_400_000),
    });
    const page = await bot.app.request(`/p/${token}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('亮承诺：填写我的承诺');
    const form = html.slice(html.indexOf('class="card-form"'));
    const body = new URLSearchParams({
      _csrf: field(form, '_csrf'),
      _n: field(form, '_n'),
      _a: field(form, '_a'),
      _v: field(form, '_v'),
      _args: field(form, '_args'),
      _sig: field(form, '_sig'),
      area_1: '服务师生',
      promise_1: '网页上填写的承诺',
      due_1: '2026-12-31',
    });
    const posted = await bot.app.request(`/p/${token}`, {
      method: 'POST',
      body: body.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(posted.status).toBe(200);
    expect(await posted.text()).toContain('承诺已提交，已在承诺墙公示');
    await bot.settle();
    expect((await bot.db.select().from(pledges))[0]).toMatchObject({ kind: 'member', items: [{ promise: '网页上填写的承诺', due: '2026-12-31' }] });
    const wall = bot.fake.sent.find((m) => m.receiveId === CHAT_A && headline(m).startsWith('承诺墙'))!;
    expect(JSON.stringify(wall.content)).toContain('网页上填写的承诺');
  });
});
