// 师生评议 on Feishu: the secretary opens the survey in the branch group, people answer on the web
// page (no Feishu account), and the result card with the 90 % verdict reaches the secretary in Feishu.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { groupCommand } from '../../support/feishu-wire.js';
import { startTestBot, type TestBot } from '../../support/harness.js';
import { ADMIN, CHAT_A, say, setUpOrg } from '../../support/org.js';

let bot: TestBot;

beforeEach(async () => {
  bot = await startTestBot({ admins: [ADMIN], now: '2026-10-20T10:00:00+08:00' });
  await setUpOrg(bot);
});
afterEach(async () => bot.close());

const cookieOf = (res: Response) =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');

async function answer(url: string, rating: string): Promise<number> {
  const page = await bot.app.request(url);
  const html = await page.text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
  const res = await bot.app.request(url, {
    method: 'POST',
    body: new URLSearchParams({ _csrf: csrf, rating }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieOf(page), host: 'localhost' },
  });
  return res.status;
}

describe('a survey opened from Feishu', () => {
  it('is answered on the web and its result with the verdict reaches the secretary in Feishu', async () => {
    const before = bot.fake.sent.length;
    expect((await bot.deliver(groupCommand('ou_a1', CHAT_A, '/满意度 开启'))).status).toBe(200);
    await bot.settle();
    const sent = bot.fake.sent.slice(before);
    expect(sent).toHaveLength(2);
    const card = JSON.stringify(sent.find((m) => m.receiveId !== 'ou_a1')!.content);
    expect(card).toContain('满意度测评已开启 · 后勤第一党支部');
    const url = /"default_url":"([^"]+)"/.exec(card)![1]!;
    expect(url).toMatch(/^\/s\/\d+\.[\w-]{12}$/);
    // The QR sheet goes privately to the secretary.
    expect(JSON.stringify(sent.find((m) => m.receiveId === 'ou_a1')!.content)).toContain('打印二维码');

    for (let i = 0; i < 30; i++) expect(await answer(url, i < 28 ? 'satisfied' : 'unsatisfied')).toBe(200);
    await bot.deliver(groupCommand('ou_a1', CHAT_A, '/满意度 结果'));
    await bot.settle();
    const result = bot.fake.sent.filter((m) => m.receiveId === 'ou_a1').at(-1)!;
    const text = JSON.stringify(result.content);
    expect(text).toContain('满意度测评结果 · 后勤第一党支部');
    expect(text).toContain('**有效评价**：30 份');
    expect(text).toContain('达到要求');
    expect(text).toContain('93.3%');
    expect(text).toContain('"tag":"chart"');
  });

  it('needs a secretary or the committee: a member is refused', async () => {
    const reply = await say(bot, 'ou_a2', CHAT_A, '/满意度 开启');
    expect(JSON.stringify(reply.content)).toContain('仅限本支部书记或党委委员或管理员使用');
  });
});
