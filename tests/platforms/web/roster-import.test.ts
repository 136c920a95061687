// Bulk roster import (issue 13) over the Feishu wire and the web edge: /名册 导入 sends a signed link
// privately; the page takes the committee's xlsx or CSV (UTF-8 or GB18030), previews every change, names
// every bad row in Chinese and applies nothing while one is wrong; then applies all at once, audited.
// People imported before they are in a chat are linked by /同步, arriving confirmed (not 待确认).
import ExcelJS from 'exceljs';
import { and, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditLog, members, rosterImports } from '../../../db/schema.js';
import { groupCommand, messageEvent } from '../../support/feishu-wire.js';
import { startTestBot, type TestBot } from '../../support/harness.js';
import { ADMIN, BRANCH_A, BRANCH_B, CHAT_A, CHAT_B, LEADER, say, setUpOrg } from '../../support/org.js';

let bot: TestBot;

beforeEach(async () => {
  bot = await startTestBot({ now: '2026-09-01T02:00:00Z' });
  await setUpOrg(bot);
});
afterEach(async () => bot.close());

/** A browser of one person: keeps the page's cookie and its form token. */
function browser() {
  let cookie = '';
  let csrf = '';
  const keep = (res: Response) => {
    const set = res.headers.get('set-cookie');
    if (set) cookie = set.split(';')[0]!;
  };
  return {
    async get(path: string) {
      const res = await bot.app.request(path, { headers: cookie ? { cookie } : {} });
      keep(res);
      const html = await res.text();
      csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? csrf;
      return { status: res.status, html };
    },
    async post(path: string, form: FormData) {
      form.set('_csrf', csrf);
      const res = await bot.app.request(path, { method: 'POST', body: form, headers: { cookie } });
      const html = await res.text();
      csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? csrf;
      return { status: res.status, html };
    },
  };
}

const upload = (name: string, bytes: Uint8Array | string) => {
  const form = new FormData();
  form.set('file', new File([typeof bytes === 'string' ? bytes : new Uint8Array(bytes)], name));
  return form;
};

/** Says /名册 导入 as `from` in `chat` and returns the link the private card holds. */
async function importLink(from: string, chat: string): Promise<string> {
  const before = bot.fake.sent.length;
  expect((await bot.deliver(groupCommand(from, chat, '/名册 导入'))).status).toBe(200);
  await bot.settle();
  const sent = bot.fake.sent.slice(before);
  expect(sent.find((m) => m.via === 'reply')?.content).toEqual({ text: '名册导入链接已私信发送给您。' });
  const card = bot.fake.sent.findLast((m) => m.receiveId === from && m.msgType === 'interactive');
  const link = /\/ri\/[\w.-]+/.exec(JSON.stringify(card?.content ?? ''))?.[0];
  if (!link) throw new Error('no import link in the private card');
  return link;
}

const statusOf = async (name: string) => (await bot.db.select().from(members).where(eq(members.name, name)))[0];

async function xlsx(rows: unknown[][]): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('党员名册');
  sheet.addRow(['后勤集团党员花名册']);
  for (const r of rows) sheet.addRow(r);
  return new Uint8Array(await book.xlsx.writeBuffer());
}

describe('roster import', () => {
  it('refuses a file with two bad rows whole, naming each, then applies the corrected xlsx at once', async () => {
    const link = await importLink(ADMIN, CHAT_A);
    const page = browser();
    const start = await page.get(link);
    expect(start.status).toBe(200);
    expect(start.html).toContain('导入范围：全部支部');
    const template = await bot.app.request(`${link}/template.csv`);
    // With a BOM, so that Excel opens it as UTF-8.
    const bytes = Buffer.from(await template.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).toString('utf8').trim()).toBe('姓名,工号,手机,支部,政治面貌,入党日期,职务');

    const bad = [
      '姓名,工号,手机,支部,政治面貌,入党日期,职务',
      '张三,A002,13800000002,后勤第一党支部,正式党员,2010-07-01,维修班长',
      '李四,A003,,后勤第一党支部,党员员,2025-06-30,',
      '周新,,13800000009,后勤第二党支部,预备党员,2026-06-30,',
      '吴六,A010,,后勤第九党支部,正式党员,2031-02-30,',
    ].join('\r\n');
    const refused = await page.post(link, upload('名册.csv', bad));
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('本文件不会导入任何一行');
    expect(refused.html).toContain('第 3 行：政治面貌「党员员」无法识别（可填：正式党员、预备党员、入党积极分子、群众）');
    expect(refused.html).toContain('第 5 行：支部「后勤第九党支部」不存在（现有支部：后勤第一党支部、后勤第二党支部）');
    expect(refused.html).toContain('第 5 行：入党日期「2031-02-30」无法识别');
    expect(refused.html).not.toContain('确认导入');
    // Forcing the apply of that upload changes nothing either.
    const [kept] = await bot.db.select().from(rosterImports);
    const forced = new FormData();
    forced.set('upload', String(kept!.id));
    expect((await page.post(`${link}?apply=1`, forced)).status).toBe(400);
    expect((await statusOf('张三'))!.employeeNo).toBeNull();
    expect(await statusOf('周新')).toBeUndefined();

    const good = await xlsx([
      ['姓名', '工号', '手机', '支部', '政治面貌', '入党日期', '职务'],
      ['张三', 'A002', '138 0000 0002', '后勤第一党支部', '正式党员', new Date(Date.UTC(2010, 6, 1)), '维修班长'],
      ['李四', 'A003', '', '后勤第一党支部', '预备党员', '2025年6月30日', ''],
      ['周新', '', '13800000009', '后勤第二党支部', '预备党员', '2026/6/30', ''],
      ['钱五', 'B002', '', '后勤第二党支部', '正式党员', '', ''],
    ]);
    const preview = await page.post(link, upload('党员名册.xlsx', good));
    expect(preview.status).toBe(200);
    expect(preview.html).toContain('新增 1 人，更新 3 人，不变 0 人');
    expect(preview.html).toContain('政治面貌：正式党员 → 预备党员');
    expect(preview.html).toContain('入党日期：（空） → 2010-07-01');
    const id = /name="upload" value="(\d+)"/.exec(preview.html)![1]!;
    const apply = new FormData();
    apply.set('upload', id);
    const applied = await page.post(`${link}?apply=1`, apply);
    expect(applied.status).toBe(200);
    expect(applied.html).toContain('已导入');

    expect(await statusOf('张三')).toMatchObject({
      employeeNo: 'A002',
      mobile: '13800000002',
      joinedPartyOn: '2010-07-01',
      title: '维修班长',
      politicalStatus: 'full',
    });
    expect(await statusOf('李四')).toMatchObject({ politicalStatus: 'probationary', joinedPartyOn: '2025-06-30', active: true });
    expect(await statusOf('周新')).toMatchObject({ politicalStatus: 'probationary', active: false, awaitingChat: true, mobile: '13800000009' });
    const audits = await bot.db.select().from(auditLog).where(eq(auditLog.action, 'roster.import'));
    expect(audits.map((a) => a.detail)).toEqual([{ file: '党员名册.xlsx', rows: 4, added: 1, updated: 3 }]);
    // Applying the same upload again writes nothing twice.
    expect((await page.post(`${link}?apply=1`, apply)).html).toContain('已导入');
    expect(await bot.db.select().from(members).where(eq(members.name, '周新'))).toHaveLength(1);

    // 周新 joins the branch chat: /同步 links the imported row, confirmed, not 待确认.
    bot.fake.setChatMembers(CHAT_B, [...BRANCH_B, { openId: 'ou_zhou', name: '周新' }], 2);
    const synced = await say(bot, ADMIN, CHAT_B, '/同步');
    const text = JSON.stringify(synced.content);
    expect(text).toContain('与导入名册对应 1 人：周新');
    expect(text).not.toContain('待确认政治面貌');
    expect(await statusOf('周新')).toMatchObject({ userId: 'ou_zhou', active: true, awaitingChat: false, politicalStatus: 'probationary' });
  });

  it('keeps a secretary to their branch, reads a GB18030 CSV, and refuses forged, expired and no-longer-held links', async () => {
    const link = await importLink(BRANCH_A[0]!.openId, CHAT_A);
    const page = browser();
    expect((await page.get(link)).html).toContain('导入范围：后勤第一党支部');
    // "姓名,工号,支部,政治面貌,入党日期 / 李四,A003,后勤第一党支部,预备党员,2025-06-30 / 钱五,B002,后勤第二党支部,正式党员," as Excel saves it on Chinese Windows.
    const gb = Buffer.from(
      'd0d5c3fb2cb9a4bac52cd6a7b2bf2cd5fed6cec3e6c3b22cc8ebb5b3c8d5c6da0d0ac0eecbc42c413030332cbaf3c7dab5dad2bbb5b3d6a7b2bf2cd4a4b1b8b5b3d4b12c323032352d30362d33300d0ac7aecee52c423030322cbaf3c7dab5dab6feb5b3d6a7b2bf2cd5fdcabdb5b3d4b12c0d0a',
      'hex',
    );
    const res = await page.post(link, upload('名册.csv', new Uint8Array(gb)));
    expect(res.status).toBe(400);
    expect(res.html).toContain('李四');
    expect(res.html).toContain('第 3 行：支部「后勤第二党支部」不是您的支部（您只能导入「后勤第一党支部」的名册）');

    const notTable = await page.post(link, upload('名册.xlsx', 'PK\u0003\u0004 not really a zip'));
    expect(notTable.status).toBe(400);
    expect(notTable.html).toContain('无法读取该 Excel 文件');
    expect((await page.post(link, upload('photo.png', 'x'))).html).toContain('请上传 Excel（.xlsx）或 CSV 文件。');

    const flipped = `${link.slice(0, -1)}${link.endsWith('A') ? 'B' : 'A'}`;
    expect((await bot.app.request(flipped)).status).toBe(404);
    await bot.db
      .update(members)
      .set({ role: 'member' })
      .where(and(eq(members.userId, BRANCH_A[0]!.openId)));
    const gone = await bot.app.request(link);
    expect(gone.status).toBe(403);
    expect(await gone.text()).toContain('无法导入');
    bot.clock.set(new Date(bot.clock.now().getTime() + 3 * 3600_000));
    expect((await bot.app.request(link)).status).toBe(403);
  });

  it('answers a member who asks for the link with the rule, and the link only ever privately', async () => {
    const member = await say(bot, BRANCH_A[1]!.openId, CHAT_A, '/名册 导入');
    expect(JSON.stringify(member.content)).toContain('仅限管理员或本支部书记使用');
    const before = bot.fake.sent.length;
    await bot.deliver(messageEvent({ from: LEADER.openId, text: '/名册 导入' }));
    await bot.settle();
    expect(JSON.stringify(bot.fake.sent.slice(before))).not.toContain('/ri/');
  });
});
