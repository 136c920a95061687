// The sandbox in a real browser, as a newcomer meets it after `npm start`: pick a member, ask for
// help, pledge (a wrong date first), see the branch's pledge wall, move the clock and see the
// reminder reach only the member who has not pledged. Phone and desktop screenshots are kept.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { artifact, DESKTOP, launchBrowser, PHONE } from '../../support/browser.js';
import { startSandbox, type SandboxProcess } from '../../support/sandbox-process.js';
import { localInput } from '../../support/web-sandbox.js';

let sandbox: SandboxProcess;
let browser: Browser;

beforeAll(async () => {
  sandbox = await startSandbox();
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await sandbox?.stop();
});

async function as(page: Page, person: string): Promise<void> {
  await page.goto(`${sandbox.url}/`);
  await Promise.all([page.waitForNavigation(), page.selectOption('#who', person)]);
}

async function openChat(page: Page, label: string): Promise<void> {
  await Promise.all([page.waitForNavigation(), page.click(`.chats a:has-text("${label}")`)]);
}

async function say(page: Page, text: string): Promise<void> {
  await page.fill('.say input[name=text]', text);
  await Promise.all([page.waitForNavigation(), page.click('.say button')]);
}

const feedText = (page: Page) => page.locator('.feed').innerText();

describe('the sandbox in Chromium', () => {
  it('runs a whole pledge flow and a reminder, at a phone and a desktop size', async () => {
    const page = await browser.newPage({ viewport: PHONE });
    await as(page, 'a2');
    expect(await page.locator('.main h2').first().innerText()).toBe('与党建助手的单聊');

    await say(page, '/帮助');
    await expect.poll(() => feedText(page), { timeout: 10_000 }).toContain('/pledge（/承诺）');

    await say(page, '/承诺');
    const form = page.locator('.card-form:has([name=promise_1])').last();
    await form.locator('select[name=area_1]').selectOption({ index: 1 });
    await form.locator('textarea[name=promise_1]').fill('每周为师生义务维修一次<script>alert(1)</script>');
    await form.locator('input[name=due_1]').fill('2020-01-01');
    await Promise.all([page.waitForNavigation(), form.locator('button[type=submit]').click()]);
    const retry = page.locator('.card-form:has([name=promise_1])').last();
    const errors = page.locator('.card:has(.card-form) .tone-red').last();
    await expect.poll(() => errors.innerText()).toContain('请修改以下 1 处后再提交');
    expect(await page.locator('.card:has(.card-form)').last().innerText()).toContain('第1项·计划完成日期：不能早于今天');
    // What was typed is kept beside the error, as text (the script is not markup).
    expect(await retry.locator('textarea[name=promise_1]').inputValue()).toBe('每周为师生义务维修一次<script>alert(1)</script>');
    await page.screenshot({ path: artifact('sandbox-phone-pledge-error.png'), fullPage: true });

    const dueLater = localInput(new Date(Date.now() + 30 * 86_400_000)).slice(0, 10);
    await retry.locator('input[name=due_1]').fill(dueLater);
    await Promise.all([page.waitForNavigation(), retry.locator('button[type=submit]').click()]);
    await expect.poll(() => page.locator('.flash').innerText()).toContain('承诺');

    await openChat(page, '后勤第一党支部群');
    await expect
      .poll(
        async () => {
          await page.reload();
          return feedText(page);
        },
        { timeout: 10_000 },
      )
      .toContain('每周为师生义务维修一次<script>alert(1)</script>');
    expect(await page.locator('.card:has-text("张秀英")').last().innerText()).toContain('承诺墙');
    await page.screenshot({ path: artifact('sandbox-phone-wall.png'), fullPage: true });

    // Three days before the pledge phase closes, at 10:00: the tick sends the 3-day reminders.
    const phase = await sandbox.read().execute("SELECT closes_at FROM campaign_phases WHERE kind = 'pledge' ORDER BY seq LIMIT 1");
    const closesAt = Number(phase.rows[0]!.closes_at);
    await page.fill('input[name=at]', localInput(new Date(closesAt - 3 * 86_400_000 + 10 * 3600_000)));
    await Promise.all([page.waitForNavigation(), page.click('form:has(input[name=at]) button')]);
    expect(await page.locator('.flash').innerText()).toContain('定时任务已运行');

    const other = await browser.newPage({ viewport: DESKTOP });
    await as(other, 'a3');
    await expect
      .poll(
        async () => {
          await other.reload();
          return feedText(other);
        },
        { timeout: 10_000 },
      )
      .toContain('还有 3 天截止');
    await other.screenshot({ path: artifact('sandbox-desktop-nudge.png'), fullPage: true });
    await openChat(page, '与党建助手的单聊');
    expect(await feedText(page)).not.toContain('还有 3 天截止');
    expect(page.url()).not.toContain('error');
    await page.close();
    await other.close();
  }, 120_000);
});
