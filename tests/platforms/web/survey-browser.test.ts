// 师生评议 in Chromium at a phone size, against the built server as `npm start` runs it: a secretary
// opens a survey in the sandbox; a phone answers once and is refused a second time; the printed
// sheet's QR codes decode to the survey and to single-use codes; a code answers once.
import { createRequire } from 'node:module';
import jsQRModule from 'jsqr';
import type { Browser, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifact, DESKTOP, launchBrowser, PHONE } from '../../support/browser.js';
import { startSandbox, type SandboxProcess } from '../../support/sandbox-process.js';

// jsqr is CommonJS: its default export arrives wrapped or bare depending on the loader.
const jsQR = (jsQRModule as unknown as { default?: typeof jsQRModule.default }).default ?? (jsQRModule as unknown as typeof jsQRModule.default);

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

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

async function say(page: Page, chat: string, text: string) {
  await page.goto(`${sandbox.url}/?chat=${encodeURIComponent(chat)}`);
  await page.fill('.say input[name=text]', text);
  await Promise.all([page.waitForNavigation(), page.click('.say button')]);
}

const newest = (page: Page, label: string) => page.locator(`a:has-text("${label}")`).last().getAttribute('href');

async function decodeQr(page: Page, selector: string): Promise<string | null> {
  const png = PNG.sync.read(await page.locator(selector).screenshot());
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data ?? null;
}

describe('a survey in Chromium', () => {
  it('is answered from a phone once per browser, and once per printed code', async () => {
    const desk = await browser.newPage({ viewport: DESKTOP });
    await desk.goto(`${sandbox.url}/`);
    await Promise.all([desk.waitForNavigation(), desk.selectOption('#who', 'a1')]);
    await say(desk, 'g1', '/满意度 开启');
    const openUrl = `${sandbox.url}${await newest(desk, '打开评价页面')}`;

    const phone = await (await browser.newContext({ viewport: PHONE })).newPage();
    await phone.goto(openUrl);
    expect(await phone.locator('h1').innerText()).toContain('后勤第一党支部 服务满意度测评');
    await phone.screenshot({ path: artifact('survey-phone-form.png'), fullPage: true });
    // A basic accessibility check (axe-core: labels, contrast, landmarks, language): nothing serious.
    await phone.addScriptTag({ path: AXE });
    const audit = await phone.evaluate(async () => {
      type Rule = { id: string; impact: string | null };
      const axe = (window as unknown as { axe: { run(o: unknown): Promise<{ violations: Rule[]; passes: Rule[] }> } }).axe;
      const result = await axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } });
      return {
        serious: result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id),
        passed: result.passes.map((p) => p.id),
      };
    });
    expect(audit.serious).toEqual([]);
    expect(audit.passed).toEqual(expect.arrayContaining(['label', 'color-contrast', 'html-has-lang']));
    await phone.check('input[name=rating][value=satisfied]');
    await phone.check('input[name=c1][value=basic]');
    await phone.fill('textarea[name=comment]', '窗口师傅很耐心');
    await Promise.all([phone.waitForNavigation(), phone.click('button[type=submit]')]);
    expect(await phone.locator('h2').innerText()).toBe('感谢您的评价');
    const again = await phone.goto(openUrl);
    expect(again!.status()).toBe(409);
    expect(await phone.locator('h2').innerText()).toBe('您已经评价过了');

    await say(desk, 'g1', '/满意度 关闭');
    await say(desk, 'g1', '/满意度 开启 编码 2');
    const codedUrl = `${sandbox.url}${await newest(desk, '打开评价页面')}`;
    await desk.goto(`${sandbox.url}/?chat=dm%3Aa1`);
    const printUrl = `${sandbox.url}${await newest(desk, '打印评价码')}`;
    const sheet = await browser.newPage({ viewport: { width: 900, height: 1200 } });
    await sheet.goto(printUrl);
    await sheet.screenshot({ path: artifact('survey-print-sheet.png'), fullPage: true });
    expect(await decodeQr(sheet, '.plaque .qr svg')).toBe(codedUrl);
    const slipUrl = await decodeQr(sheet, '.slip >> nth=0 >> svg');
    const code = await sheet.locator('.slip .code').first().innerText();
    expect(slipUrl).toBe(`${codedUrl}?c=${code}`);

    const second = await (await browser.newContext({ viewport: PHONE })).newPage();
    await second.goto(slipUrl!);
    expect(await second.inputValue('input[name=code]')).toBe(code);
    await second.check('input[name=rating][value=basic]');
    await Promise.all([second.waitForNavigation(), second.click('button[type=submit]')]);
    expect(await second.locator('h2').innerText()).toBe('感谢您的评价');
    await second.goto(slipUrl!);
    await second.check('input[name=rating][value=satisfied]');
    await Promise.all([second.waitForNavigation(), second.click('button[type=submit]')]);
    expect(await second.locator('h2').innerText()).toBe('评价码已用过');
    await second.screenshot({ path: artifact('survey-phone-code-used.png') });

    await say(desk, 'dm:a1', '/满意度 结果');
    const result = desk.locator('.card:has-text("满意度测评结果")').last();
    expect(await result.innerText()).toContain('1 份');
    expect(await result.innerText()).toContain('样本不足（1/30）');
  }, 120_000);
});
