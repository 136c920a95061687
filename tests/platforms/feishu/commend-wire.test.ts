// 评选表彰 over the Feishu wire: a leader's review by card callback, /表彰 in a direct chat, a nomination
// by button, the committee's vote by form, 公示 posted in both branch chats with its public page, an
// objection from the web, and the confirmed list with a certificate link — all through the fake Open API.
import { asc, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { branches, campaignPhases, commendations, commendNominees } from '../../../db/schema.js';
import { cardActionEvent, messageEvent } from '../../support/feishu-wire.js';
import { startTestBot, type TestBot } from '../../support/harness.js';
import { ADMIN, CHAT_A, CHAT_B, headline, LEADER, say, sayPrivately, setUpOrg } from '../../support/org.js';

const HOUR = 3600_000;
let bot: TestBot;

beforeEach(async () => {
  bot = await startTestBot({ admins: [ADMIN], now: '2026-07-20T10:00:00+08:00' });
  await setUpOrg(bot);
  await say(bot, ADMIN, CHAT_A, '/活动 新建 创先争优 2026-08-01');
});
afterEach(async () => bot.close());

async function press(from: string, value: Record<string, unknown>, formValue?: Record<string, unknown>) {
  const res = await bot.deliver(cardActionEvent({ from, chatId: 'oc_p2p', value, ...(formValue ? { formValue } : {}) }));
  expect(res.status).toBe(200);
  const body = (await res.json()) as { toast?: { type: string; content: string } };
  await bot.settle();
  return body;
}

/** A command in the sender's direct chat that also sends to others: returns the sender's answer. */
async function command(from: string, text: string) {
  const before = bot.fake.sent.length;
  expect((await bot.deliver(messageEvent({ from, text }))).status).toBe(200);
  await bot.settle();
  return bot.fake.sent.slice(before).find((m) => m.via === 'reply')!;
}

const cookieOf = (res: Response) =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');

describe('评选表彰 on Feishu', () => {
  it('runs from the leader review to a confirmed list with a certificate', async () => {
    const phases = await bot.db.select().from(campaignPhases).orderBy(asc(campaignPhases.seq));
    const leaderPhase = phases.find((p) => p.kind === 'review' && p.respond === 'leader')!;
    bot.clock.set(new Date(leaderPhase.opensAt.getTime() + 10 * HOUR));
    const [branchA] = await bot.db.select().from(branches).where(eq(branches.chatId, CHAT_A));
    const grades = { g_leadership: 'good', g_members: 'good', g_mechanism: 'fair', g_performance: 'good', g_reputation: 'good' };
    const reviewed = await press(
      LEADER.openId,
      { a: 'review.leader', v: 1, p: String(leaderPhase.id), b: String(branchA!.id) },
      {
        ...grades,
        strengths: '学习扎实',
        problems: '台账不全',
        direction: '完善制度',
      },
    );
    expect(reviewed.toast?.type).toBe('success');

    bot.clock.set(new Date(phases.find((p) => p.kind === 'commend')!.opensAt.getTime() + 10 * HOUR));
    const results = await sayPrivately(bot, ADMIN, '/表彰');
    expect(headline(results)).toBe('活动结果：深入开展创先争优活动');
    const json = JSON.stringify(results.content);
    expect(json).toContain('后勤第二党支部');
    expect(json).toContain('无法计算（领导点评（五个好）：未开展）');
    const [c] = await bot.db.select().from(commendations);
    const nominated = await press(ADMIN, { a: 'commend.nominate', v: 1, c: String(c!.id), t: 'advanced-branch', s: String(branchA!.id) });
    expect(nominated.toast?.content).toMatch(/^已提名 后勤第一党支部 为「先进党支部」候选/);

    await command(ADMIN, '/表彰 表决');
    expect(bot.fake.sent.some((m) => m.receiveId === LEADER.openId && headline(m) === '评选表彰表决：深入开展创先争优活动')).toBe(true);
    const [n] = await bot.db.select().from(commendNominees);
    const voted = await press(LEADER.openId, { a: 'commend.vote', v: 1, c: String(c!.id) }, { [`v_${n!.id}`]: 'yes' });
    expect(voted.toast).toEqual({ type: 'success', content: '表决已提交' });

    const before = bot.fake.sent.length;
    await command(ADMIN, '/表彰 公示');
    await bot.settle();
    const posted = bot.fake.sent.slice(before).filter((m) => headline(m) === '评选表彰公示：深入开展创先争优活动');
    expect(posted.map((m) => m.receiveId).sort()).toEqual([CHAT_A, CHAT_B].sort());
    const url = /"default_url":"(\/g\/[^"]+)"/.exec(JSON.stringify(posted[0]!.content))![1]!;

    // An anonymous objection from the public page (no Feishu account) reaches the committee in Feishu.
    const page = await bot.app.request(url);
    expect(page.status).toBe(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
    const objected = await bot.app.request(url, {
      method: 'POST',
      body: new URLSearchParams({ _csrf: csrf, nominee: String(n!.id), text: '支部台账仍不完整' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieOf(page), host: 'localhost' },
    });
    expect(objected.status).toBe(303);
    await bot.tick();
    await bot.settle();
    const notices = bot.fake.sent.filter((m) => headline(m) === '公示异议：深入开展创先争优活动');
    expect(notices.map((m) => m.receiveId).sort()).toEqual([ADMIN, LEADER.openId].sort());
    expect(JSON.stringify(notices[0]!.content)).toContain('匿名');
    // A forged post is refused, a malformed one too: never a 500.
    const forged = await bot.app.request(url, {
      method: 'POST',
      body: 'text=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded', host: 'localhost' },
    });
    expect(forged.status).toBe(403);

    bot.clock.set(new Date(bot.clock.now().getTime() + 10 * 24 * HOUR));
    const done = await command(ADMIN, '/表彰 确认');
    expect(headline(done)).toBe('表彰名单已确认：1 名，已在各支部群公布并向受表彰者致贺。');
    await bot.settle();
    expect(
      bot.fake.sent
        .filter((m) => headline(m) === '表彰决定：深入开展创先争优活动')
        .map((m) => m.receiveId)
        .sort(),
    ).toEqual([CHAT_A, CHAT_B].sort());
    const congrats = bot.fake.sent.find((m) => headline(m) === '热烈祝贺：先进党支部')!;
    expect(congrats.receiveId).toBe(CHAT_A);
    const cert = /"default_url":"(\/cert\/[^"]+)"/.exec(JSON.stringify(congrats.content))![1]!;
    const certPage = await bot.app.request(cert);
    expect(certPage.status).toBe(200);
    const html = await certPage.text();
    expect(html).toContain('荣誉证书');
    expect(html).toContain('授予“<strong>先进党支部</strong>”称号');
  });
});
