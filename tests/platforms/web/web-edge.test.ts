// The web edge refuses bad input with a Chinese page and a 4xx, and writes nothing: no session,
// a forged person or chat, a missing or foreign CSRF token, a tampered card, a 1 MB body, a
// tampered or expired personal link, a replayed form. Text people type is escaped everywhere.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkToken } from '../../../bot/platforms/web/links.js';
import { formFields, postedForms, startWebSandbox, type Visitor, type WebSandbox } from '../../support/web-sandbox.js';

let sandbox: WebSandbox;
let member: Visitor;

/** Rows of every table an event or a page could write. */
async function written(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of ['processed_events', 'web_messages', 'outbox', 'pledges', 'audit_log']) {
    const [row] = await sandbox.database.db.all<{ n: number }>(sql.raw(`SELECT count(*) AS n FROM ${t}`));
    out[t] = row!.n;
  }
  return out;
}

async function refused(res: Response, status: number, text: string): Promise<void> {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain('text/html');
  const body = await res.text();
  expect(body).toContain(text);
  expect(body).not.toMatch(/at .*\.(ts|js):\d+|Error:/);
}

beforeAll(async () => {
  sandbox = await startWebSandbox();
  member = sandbox.visitor();
  expect((await member.get('/')).status).toBe(200);
  const who = await member.post('/sandbox/who', { _csrf: member.csrf(), person: 'a2' });
  expect(who.status).toBe(303);
  expect((await member.get('/?chat=dm%3Aa2')).status).toBe(200);
  await sandbox.idle();
}, 60_000);

afterAll(async () => {
  await sandbox?.close();
});

describe('sandbox posts', () => {
  it('refuses a post without a session, with a forged person, or without the right CSRF token', async () => {
    const before = await written();
    const stranger = sandbox.visitor();
    await refused(await stranger.post('/sandbox/say', { chat: 'dm:a2', text: '/帮助' }), 403, '请先选择身份');
    await stranger.get('/');
    await refused(await stranger.post('/sandbox/who', { _csrf: stranger.csrf(), person: 'nobody' }), 400, '没有这个人');
    await refused(await member.post('/sandbox/say', { chat: 'dm:a2', text: '/帮助' }), 403, '页面已过期');
    await refused(await member.post('/sandbox/say', { _csrf: 'forged', chat: 'dm:a2', text: '/帮助' }), 403, '页面已过期');
    await refused(
      await member.post('/sandbox/say', { _csrf: member.csrf(), chat: 'dm:a2', text: '/帮助' }, { origin: 'https://evil.example' }),
      403,
      '请求来源不对',
    );
    // Another person's direct chat, and a group this member is not in.
    await refused(await member.post('/sandbox/say', { _csrf: member.csrf(), chat: 'dm:a3', text: '/帮助' }), 403, '无权查看这个会话');
    await refused(await member.post('/sandbox/say', { _csrf: member.csrf(), chat: 'g2', text: '/帮助' }), 403, '无权查看这个会话');
    expect(await written()).toEqual(before);
  });

  it('refuses a 1 MB body, an oversized field, a missing card action and a tampered card, writing nothing', async () => {
    // A second card in the chat, to carry the first one's signature over to.
    expect((await member.post('/sandbox/say', { _csrf: member.csrf(), _n: crypto.randomUUID(), chat: 'dm:a2', text: '/帮助' })).status).toBe(303);
    await sandbox.idle();
    const before = await written();
    await refused(await member.post('/sandbox/say', { _csrf: member.csrf(), chat: 'dm:a2', text: 'x'.repeat(1024 * 1024) }), 413, '提交的内容太大');
    await refused(await member.post('/sandbox/say', { _csrf: member.csrf(), chat: 'dm:a2', text: 'x'.repeat(600) }), 400, '消息太长');
    await member.get('/?chat=dm%3Aa2');
    const real = formFields(member.lastPage());
    expect(real._a).toBe('pledge.submit');
    const [other] = await sandbox.database.db.all<{ id: number }>(
      sql`SELECT id FROM web_messages WHERE chat_id = 'dm:a2' AND json_extract(content, '$.kind') = 'card' AND id != ${Number(real._m)} LIMIT 1`,
    );
    const { _a, _v, _args, _sig, ...base } = real;
    await refused(await member.post('/sandbox/act', base), 400, '卡片信息缺失或已损坏');
    // Only the actions the card offered, with its own arguments, from the message it is in.
    await refused(await member.post('/sandbox/act', { ...real, _args: '{"p":"1","o":"branch","b":"1"}' }), 400, '卡片信息已损坏或被改动');
    await refused(await member.post('/sandbox/act', { ...real, _a: 'bind.confirm', _args: '{"branch":"后勤第一党支部"}' }), 400, '卡片信息已损坏或被改动');
    await refused(await member.post('/sandbox/act', { ...real, _m: String(other!.id) }), 400, '卡片信息已损坏或被改动');
    await refused(await member.post('/sandbox/act', { ...real, 'Bad Name': 'x' }), 400, '不符合要求');
    await refused(await member.post('/sandbox/act', { ...real, _m: '999999' }), 400, '卡片不存在');
    await refused(await member.post('/sandbox/act', { ...real, _m: 'abc' }), 400, '卡片不存在');
    await refused(await member.post('/sandbox/act', { ...real, _n: 'not-a-nonce' }), 400, '表单缺少编号');
    await refused(
      await member.post('/sandbox/who', { _csrf: member.csrf(), person: 'a3' }, { 'content-type': 'multipart/form-data; boundary=zz' }),
      400,
      '提交的内容无法处理',
    );
    await refused(await member.post('/sandbox/reset', { _csrf: member.csrf() }, { origin: 'null' }), 403, '请求来源不对');
    await refused(await member.post('/sandbox/reset', { _csrf: member.csrf() }, { 'sec-fetch-site': 'cross-site' }), 403, '请求来源不对');
    expect(await written()).toEqual(before);
  });

  it('shows what people type as text, never as markup, and takes a form posted twice once', async () => {
    const before = await written();
    const say = { _csrf: member.csrf(), _n: crypto.randomUUID(), chat: 'dm:a2', text: '<img src=x onerror=alert(1)> 你好' };
    const res = await member.post('/sandbox/say', say);
    expect(res.status).toBe(303);
    expect((await member.post('/sandbox/say', say)).status).toBe(303);
    const after = await written();
    // One typed message and the bot's one answer; one event.
    expect(after.web_messages! - before.web_messages!).toBe(2);
    expect(after.processed_events! - before.processed_events!).toBe(1);
    await sandbox.idle();
    await member.get('/?chat=dm%3Aa2');
    const page = member.lastPage();
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt; 你好');
    expect(page).not.toContain('<img src=x');
  });
});

describe('anonymous ballots on the web', () => {
  it('show the ballot to its rater but never store it next to them', async () => {
    const secretary = sandbox.visitor();
    await secretary.get('/');
    await secretary.post('/sandbox/who', { _csrf: secretary.csrf(), person: 'a1' });
    await secretary.get('/?chat=g1');
    expect((await secretary.post('/sandbox/say', { _csrf: secretary.csrf(), _n: crypto.randomUUID(), chat: 'g1', text: '/评议 开始' })).status).toBe(303);
    await sandbox.idle();
    await member.get('/?chat=dm%3Aa2');
    const open = postedForms(member.lastPage()).find((f) => f.fields._a === 'review.open');
    expect(
      open,
      member
        .lastPage()
        .replace(/<[^>]+>/g, ' ')
        .slice(-1500),
    ).toBeDefined();
    expect((await member.post('/sandbox/act', open!.fields)).status).toBe(303);
    await member.get('/?chat=dm%3Aa2');
    // The rater sees the ballot form …
    expect(member.lastPage()).toContain('name="grade_');
    // … and nothing stored names whom they rate how: the row holds a placeholder.
    const rows = await sandbox.database.db.all<{ content: string }>(sql`SELECT content FROM web_messages WHERE chat_id = 'dm:a2'`);
    expect(rows.some((r) => r.content.includes('不保存在数据库中'))).toBe(true);
    expect(rows.some((r) => r.content.includes('grade_'))).toBe(false);
  });
});

describe('the clock and the reset', () => {
  it('moves the sandbox clock to the next phase and runs the tick, and a reset rebuilds the demo', async () => {
    const count = async (table: string) => (await sandbox.database.db.all<{ n: number }>(sql.raw(`SELECT count(*) AS n FROM ${table}`)))[0]!.n;
    const next = await member.post('/sandbox/time', { _csrf: member.csrf(), op: 'next-phase' });
    expect(next.status).toBe(303);
    await member.get('/?chat=g1');
    expect(member.lastPage()).toContain('定时任务已运行');
    // The 三比 phase opened: its announcement reached the branch group.
    expect(member.lastPage()).toContain('三比（比技能、比服务、比业绩） 阶段开始');
    await refused(await member.post('/sandbox/time', { _csrf: member.csrf(), op: 'set', at: 'tomorrow' }), 400, '时间格式不对');
    await refused(await member.post('/sandbox/time', { _csrf: member.csrf(), op: 'rewind' }), 400, '未知的时间操作');

    await sandbox.idle();
    const reset = await member.post('/sandbox/reset', { _csrf: member.csrf() });
    expect(reset.status).toBe(303);
    expect(await count('pledges')).toBe(0);
    expect(await count('branches')).toBe(3);
    expect(await count('members')).toBe(23);
    expect(await count('campaigns')).toBe(1);
    await member.get('/');
    expect(member.lastPage()).toContain('沙盒已重置');
  });
});

describe('personal links', () => {
  const link = (overrides: Partial<Parameters<typeof linkToken>[1]> = {}) =>
    linkToken(sandbox.secrets.link, {
      platform: 'web',
      tenantKey: 'sandbox',
      userId: 'a5',
      purpose: '承诺',
      expiresAt: new Date(Date.now() + 30 * 86_400_000),
      ...overrides,
    });

  it("opens the person's card from a signed link and takes its form once", async () => {
    const visitor = sandbox.visitor();
    const token = link();
    const page = await visitor.get(`/p/${token}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('填写我的承诺');
    const area = /<option value="([^"]+)">/.exec(html.slice(html.indexOf('name="area_1"')))![1]!;
    const fields = { ...formFields(html), area_1: area, promise_1: '按时巡检配电房', due_1: '2099-06-30' };
    // The link's card offers its own actions only: another one, or other arguments, are refused.
    await refused(await visitor.post(`/p/${token}`, { ...fields, _a: 'bind.confirm', _args: '{"branch":"x"}' }), 400, '卡片信息已损坏或被改动');

    await refused(await visitor.post(`/p/${token}`, { ...fields, _csrf: 'x' }), 403, '页面已过期');
    const saved = await visitor.post(`/p/${token}`, fields);
    expect(saved.status).toBe(200);
    expect(await saved.text()).toContain('按时巡检配电房');
    const [pledge] = await sandbox.database.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM pledges WHERE items LIKE '%按时巡检配电房%'`);
    expect(pledge!.n).toBe(1);
    await refused(await visitor.post(`/p/${token}`, fields), 409, '已经提交过了');
  });

  it('refuses a tampered, foreign-keyed or expired link with a Chinese page, writing nothing', async () => {
    const before = await written();
    const visitor = sandbox.visitor();
    const token = link();
    const [body] = token.split('.');
    const forged = `${Buffer.from(JSON.stringify({ p: 'web', t: 'sandbox', u: 'c1', k: '承诺', e: Date.now() + 3600_000 })).toString('base64url')}.${token.split('.')[1]}`;
    await refused(await visitor.get(`/p/${forged}`), 403, '链接无效');
    await refused(await visitor.get(`/p/${body}.AAAA`), 403, '链接无效');
    await refused(
      await visitor.get(
        `/p/${linkToken('another-secret-of-enough-length', { platform: 'web', tenantKey: 'sandbox', userId: 'a5', purpose: '承诺', expiresAt: new Date(Date.now() + 3600_000) })}`,
      ),
      403,
      '链接无效',
    );
    await refused(await visitor.get(`/p/${link({ expiresAt: new Date(Date.now() - 1000) })}`), 403, '链接已过期');
    await refused(await visitor.post(`/p/${link({ expiresAt: new Date(Date.now() - 1000) })}`, { _csrf: 'x' }), 403, '链接已过期');
    expect(await written()).toEqual(before);
  });
});
