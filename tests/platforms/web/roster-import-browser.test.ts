// The roster import page in Chromium, as a secretary would use it on a phone: open the link, pick the
// committee's xlsx, read the preview, import; the roster in the database is then what the file says.
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import ExcelJS from 'exceljs';
import { eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rosterImportUrl } from '../../../bot/platforms/web/roster-import-routes.js';
import { branches, members } from '../../../db/schema.js';
import { artifact, launchBrowser, PHONE } from '../../support/browser.js';
import { TEST_APP } from '../../support/feishu-wire.js';
import { startTestBot, TEST_LINK_SECRET, type TestBot } from '../../support/harness.js';
import { BRANCH_A, setUpOrg } from '../../support/org.js';

let bot: TestBot;
let server: ServerType;
let base: string;
let browser: Browser;

beforeAll(async () => {
  bot = await startTestBot({ now: '2026-09-01T02:00:00Z' });
  await setUpOrg(bot);
  server = serve({ fetch: bot.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  server?.close();
  await bot?.close();
});

describe('roster import in Chromium', () => {
  it('is done from a phone: choose the file, read the preview, import', async () => {
    const [branch] = await bot.db.select().from(branches).where(eq(branches.name, '后勤第一党支部'));
    const secretary = BRANCH_A[0]!.openId;
    const link = rosterImportUrl(TEST_LINK_SECRET, null, {
      platform: 'feishu',
      tenantKey: TEST_APP.tenantKey,
      userId: secretary,
      branchId: branch!.id,
      expiresAt: new Date(bot.clock.now().getTime() + 3600_000),
    });
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('名册');
    sheet.addRow(['姓名', '工号', '支部', '政治面貌', '入党日期', '职务']);
    sheet.addRow(['张三', 'A002', '后勤第一党支部', '正式党员', new Date(Date.UTC(2010, 6, 1)), '维修班长']);
    sheet.addRow(['李四', 'A003', '后勤第一党支部', '预备党员', '2025-06-30', '']);
    sheet.addRow(['陈新', 'A009', '', '入党积极分子', '', '']);
    const file = join(mkdtempSync(join(tmpdir(), 'roster-')), '名册.xlsx');
    await book.xlsx.writeFile(file);

    const phone = await (await browser.newContext({ viewport: PHONE })).newPage();
    await phone.goto(`${base}${link}`);
    expect(await phone.locator('h1').innerText()).toBe('名册导入');
    expect(await phone.locator('.hint').first().innerText()).toBe('导入范围：后勤第一党支部');
    await phone.setInputFiles('input[type=file]', file);
    await Promise.all([phone.waitForNavigation(), phone.click('button[type=submit]')]);
    expect(await phone.locator('h2').first().innerText()).toBe('预览：名册.xlsx');
    const table = await phone.locator('table').innerText();
    expect(table).toContain('政治面貌：正式党员 → 预备党员');
    expect(table).toContain('陈新');
    await phone.screenshot({ path: artifact('roster-import-preview-phone.png'), fullPage: true });
    await Promise.all([phone.waitForNavigation(), phone.click('text=确认导入 3 处变更')]);
    expect(await phone.locator('.flash').innerText()).toContain('已导入');
    await phone.screenshot({ path: artifact('roster-import-done-phone.png'), fullPage: true });

    const rows = await bot.db.select().from(members).where(eq(members.branchId, branch!.id));
    const byName = Object.fromEntries(rows.map((m) => [m.name, m]));
    expect(byName.李四).toMatchObject({ politicalStatus: 'probationary', employeeNo: 'A003' });
    expect(byName.张三).toMatchObject({ joinedPartyOn: '2010-07-01', title: '维修班长' });
    expect(byName.陈新).toMatchObject({ politicalStatus: 'activist', awaitingChat: true, active: false });
  });
});
