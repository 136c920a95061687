// 师生评议 over the web edge: a secretary opens a survey in the branch chat; people with no account
// answer on its page (once per browser; coded: once per code); the secretary reads the result with
// the 90 % verdict only once the sample is large enough; a flood from one network is held back.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localInput, postedForms, startWebSandbox, type Visitor, type WebSandbox } from '../../support/web-sandbox.js';

let sandbox: WebSandbox;
let secretary: Visitor;

const count = async (table: string) => (await sandbox.database.db.all<{ n: number }>(sql.raw(`SELECT count(*) AS n FROM ${table}`)))[0]!.n;

async function say(v: Visitor, chat: string, text: string) {
  await v.get(`/?chat=${encodeURIComponent(chat)}`);
  const res = await v.post('/sandbox/say', { _csrf: v.csrf(), _n: crypto.randomUUID(), chat, text });
  expect(res.status).toBe(303);
  await sandbox.idle();
  await v.get(`/?chat=${encodeURIComponent(chat)}`);
  return v.lastPage();
}

/** The newest link with this label on a page (chats show the oldest message first). */
const linkIn = (html: string, label: string) => {
  const m = [...html.matchAll(new RegExp(`href="([^"]+)"[^>]*>${label}<`, 'g'))].at(-1);
  return m ? m[1]!.replace(/&amp;/g, '&') : null;
};

/** A phone that scanned the code: its own cookies, the page's own token. */
async function answer(url: string, fields: Record<string, string>, phone = sandbox.visitor()) {
  const page = await phone.get(url);
  if (page.status !== 200) return { status: page.status, text: await page.text(), phone };
  const res = await phone.post(new URL(url, 'http://localhost').pathname, { _csrf: phone.csrf(), ...fields });
  return { status: res.status, text: await res.text(), phone };
}

beforeAll(async () => {
  sandbox = await startWebSandbox();
  secretary = sandbox.visitor();
  await secretary.get('/');
  await secretary.post('/sandbox/who', { _csrf: secretary.csrf(), person: 'a1' });
}, 60_000);
afterAll(async () => sandbox?.close());

describe('an open survey', () => {
  let url: string;

  it('is opened by the secretary in the branch chat, with its link', async () => {
    const page = await say(secretary, 'g1', '/满意度 开启');
    expect(page).toContain('满意度测评已开启 · 后勤第一党支部');
    url = linkIn(page, '打开评价页面')!;
    expect(url).toMatch(/^\/s\/\d+\.[\w-]{12}$/);
    const dm = await say(secretary, 'dm:a1', '/帮助');
    expect(linkIn(dm, '打印二维码')).toMatch(/^\/s\/print\//);
  });

  it('takes one answer per browser, checks every field, and keeps no address', async () => {
    const first = await answer(url, { rating: 'satisfied', c1: 'basic', comment: '<b>师傅</b>修得很快' });
    expect(first.status).toBe(200);
    expect(first.text).toContain('感谢您的评价');
    expect((await answer(url, { rating: 'basic' }, first.phone)).status).toBe(409);
    const bad = await answer(url, { rating: 'great', c2: 'x', comment: '长'.repeat(301) });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('总体评价：请选择 满意、基本满意 或 不满意。');
    expect(bad.text).toContain('服务质量：「x」不是可选的评价。');
    expect(bad.text).toContain('意见建议：最多 300 字，现在 301 字。');
    expect(await count('survey_answers')).toBe(1);
    const [row] = await sandbox.database.db.all<Record<string, unknown>>(sql`SELECT * FROM survey_answers`);
    expect(Object.keys(row!).sort()).toEqual(['at', 'comment', 'criteria', 'id', 'rating', 'survey_id', 'voter_tag']);
    expect(String(row!.voter_tag)).not.toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses a post from another site and a forged token', async () => {
    const phone = sandbox.visitor();
    await phone.get(url);
    expect((await phone.post(url, { _csrf: phone.csrf(), rating: 'satisfied' }, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await phone.post(url, { _csrf: 'forged', rating: 'satisfied' })).status).toBe(403);
    expect((await phone.get(`${url.slice(0, -2)}xx`)).status).toBe(404);
    expect(await count('survey_answers')).toBe(1);
  });

  it('lets a flood of 1,000 answers from one network move the result only as far as its limit (60 per 10 minutes)', async () => {
    const before = await count('survey_answers');
    const statuses = new Map<number, number>();
    for (let i = 0; i < 1_000; i++) {
      const { status } = await answer(url, { rating: 'unsatisfied' });
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
    const taken = (await count('survey_answers')) - before;
    // Every post from this network counts against it, the refused ones included.
    expect(taken).toBeLessThanOrEqual(60);
    expect(taken).toBeGreaterThan(50);
    expect(statuses.get(429)).toBe(1_000 - taken);
  });

  it('shows the secretary the result: n, the rate, the lower bound and "样本不足" below 30', async () => {
    const dm = await say(secretary, 'g1', '/满意度 结果');
    expect(dm).toContain('已私信发送测评结果');
    const result = await say(secretary, 'dm:a1', '/满意度 结果');
    const n = await count('survey_answers');
    expect(result).toContain(`${n} 份`);
    expect(result).toContain('95% 置信下限');
    // 1 satisfied of n: far below 90 %, and n ≥ 30 gives a verdict.
    expect(result).toContain(n >= 30 ? '未达到要求' : '样本不足');
    expect(result).toContain('&lt;b&gt;师傅&lt;/b&gt;修得很快');
    expect(result).not.toContain('<b>师傅</b>');
  });
});

describe('a coded survey', () => {
  it('prints its codes as QR slips and takes each code once', async () => {
    await say(secretary, 'g1', '/满意度 关闭');
    const opened = await say(secretary, 'g1', '/满意度 开启 编码 3');
    expect(opened).toContain('评价码（每个码只能用一次）');
    const url = linkIn(opened, '打开评价页面')!;
    const dm = await say(secretary, 'dm:a1', '/帮助');
    const print = linkIn(dm, '打印评价码')!;
    const sheet = await secretary.get(print);
    expect(sheet.status).toBe(200);
    const html = await sheet.text();
    const codes = [...html.matchAll(/<strong class="code">([2-9A-Z]{8})<\/strong>/g)].map((m) => m[1]!);
    expect(codes).toHaveLength(3);
    expect((html.match(/<svg/g) ?? []).length).toBe(4);
    expect(await count('survey_codes')).toBe(3);

    const ok = await answer(`${url}?c=${codes[0]}`, { code: codes[0]!, rating: 'satisfied' });
    expect(ok.status).toBe(200);
    expect((await answer(`${url}?c=${codes[0]}`, { code: codes[0]!, rating: 'satisfied' })).status).toBe(409);
    expect((await answer(url, { code: 'ZZZZZZZZ', rating: 'satisfied' })).status).toBe(400);
    // Another code from the same browser is a new answer: codes, not browsers, count here.
    expect((await answer(url, { code: codes[1]!, rating: 'basic' }, ok.phone)).status).toBe(200);
  });
});

describe('the survey page', () => {
  it("shows the branch's public pledges, without members' names, above the form", async () => {
    const member = sandbox.visitor();
    await member.get('/');
    await member.post('/sandbox/who', { _csrf: member.csrf(), person: 'a3' });
    await member.get('/?chat=dm%3Aa3');
    const pledge = postedForms(member.lastPage()).find((f) => f.fields._a === 'pledge.submit')!;
    const area = /<option value="([^"]+)">/.exec(member.lastPage().slice(member.lastPage().indexOf('name="area_1"')))![1]!;
    expect((await member.post('/sandbox/act', { ...pledge.fields, area_1: area, promise_1: '每天检查后厨燃气阀门', due_1: '2099-06-30' })).status).toBe(303);
    await sandbox.idle();
    await say(secretary, 'g1', '/满意度 关闭');
    const url = linkIn(await say(secretary, 'g1', '/满意度 开启'), '打开评价页面')!;
    const page = await sandbox.visitor().get(url);
    const html = await page.text();
    expect(html).toContain('我们的公开承诺');
    expect(html).toContain('每天检查后厨燃气阀门');
    expect(html).not.toContain('李明');
  });
});

describe("a member's post", () => {
  it('has its own survey and a printable plaque with the name, the post, the pledge and the QR code', async () => {
    const opened = await say(secretary, 'g1', '/满意度 开启 @李明');
    expect(opened).toContain('李明 · 党员先锋岗 服务满意度测评');
    const url = linkIn(opened, '打开评价页面')!;
    const page = await (await sandbox.visitor().get(url)).text();
    expect(page).toContain('党员先锋岗 · 李明（后勤第一党支部）');
    expect(page).toContain('李明的承诺');
    expect(page).toContain('每天检查后厨燃气阀门');
    const print = linkIn(await say(secretary, 'dm:a1', '/帮助'), '打印二维码')!;
    const plaque = await (await secretary.get(print)).text();
    expect(plaque).toContain('党员示范岗 · 党员先锋岗');
    expect(plaque).toContain('<h1>李明</h1>');
    expect(plaque).toContain('每天检查后厨燃气阀门');
    expect(plaque).toContain('<svg');
    // The branch's own survey is another one: opening it again is refused only while it runs.
    expect(await say(secretary, 'g1', '/满意度 开启 @李明')).toContain('李明的岗位已有进行中的测评');
  });
});

describe('the committee', () => {
  it('opens a 群众评议 of the 五个好 for a branch it links', async () => {
    const committee = sandbox.visitor();
    await committee.get('/');
    await committee.post('/sandbox/who', { _csrf: committee.csrf(), person: 'c1' });
    // One branch-level survey runs at a time: the secretary's is closed first.
    await say(committee, 'g1', '/满意度 关闭');
    const opened = await say(committee, 'g1', '/满意度 开启 五个好');
    expect(opened).toContain('后勤第一党支部 群众评议（五个好）');
    const page = await (await sandbox.visitor().get(linkIn(opened, '打开评价页面')!)).text();
    for (const good of ['领导班子好', '党员队伍好', '工作机制好', '工作业绩好', '师生员工反映好']) expect(page).toContain(good);
  });
});

describe('the public pledge page', () => {
  it('is there while the secretary keeps it public, without names', async () => {
    const on = await say(secretary, 'g1', '/承诺 公示 开启');
    const url = linkIn(on, '打开公示页')!;
    expect(url).toMatch(/^\/w\/\d+\.[\w-]{12}$/);
    const page = await sandbox.visitor().get(url);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('后勤第一党支部 · 承诺公示');
    expect(html).toContain('每天检查后厨燃气阀门');
    expect(html).not.toContain('李明');
    expect((await sandbox.visitor().get(`${url.slice(0, -2)}zz`)).status).toBe(404);
    await say(secretary, 'g1', '/承诺 公示 关闭');
    expect((await sandbox.visitor().get(url)).status).toBe(404);
  });
});

describe('the 师生评议 phase of the campaign', () => {
  it('opens a survey per branch, announces it in each branch chat, nudges short samples and sends the result at the close', async () => {
    const [phase] = await sandbox.database.db.all<{ id: number; opens_at: number; closes_at: number }>(
      sql`SELECT id, opens_at, closes_at FROM campaign_phases WHERE title = '师生评议'`,
    );
    const at = (ms: number) => secretary.post('/sandbox/time', { _csrf: secretary.csrf(), op: 'set', at: localInput(new Date(ms)) });
    await secretary.get('/?chat=g1');
    expect((await at(phase!.opens_at + 10 * 3600_000)).status).toBe(303);
    await sandbox.idle();
    const phaseSurveys = await sandbox.database.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM surveys WHERE phase_id = ${phase!.id}`);
    expect(phaseSurveys[0]!.n).toBe(3);
    const group = await say(secretary, 'g1', '/帮助');
    expect(group).toContain('满意度测评已开启 · 后勤第一党支部');
    const dm = await say(secretary, 'dm:a1', '/帮助');
    expect(dm).toContain('不足 30 份，暂不能给出结论');

    await secretary.get('/?chat=g1');
    expect((await at(phase!.closes_at + 10 * 3600_000)).status).toBe(303);
    await sandbox.idle();
    const closed = await sandbox.database.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM surveys WHERE phase_id = ${phase!.id} AND status = 'closed'`);
    expect(closed[0]!.n).toBe(3);
    const after = await say(secretary, 'dm:a1', '/帮助');
    expect(after).toContain('满意度测评结果 · 后勤第一党支部');
    expect(after).toContain('测评已结束。');
  });
});
