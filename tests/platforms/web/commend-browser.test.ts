// 评选表彰's public pages in Chromium: the list in 公示 read on a phone with a named objection sent
// from it (stored, the committee told), then a winner's certificate at a desktop size, its QR code
// decoded back to the public list. The pages read what the bot stored; the flow itself is tested
// over the neutral harness (tests/capabilities/commend.test.ts).
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import jsQRModule from 'jsqr';
import type { Browser } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findTemplate } from '../../../bot/campaign/templates/index.js';
import { surveyPages } from '../../../bot/platforms/web/survey-routes.js';
import { campaigns, commendations, commendNominees, commendObjections, outbox } from '../../../db/schema.js';
import { artifact, DESKTOP, launchBrowser, PHONE } from '../../support/browser.js';
import { startTestBot, TEST_LINK_SECRET, type TestBot } from '../../support/harness.js';

const jsQR = (jsQRModule as unknown as { default?: typeof jsQRModule.default }).default ?? (jsQRModule as unknown as typeof jsQRModule.default);
const DAY = 86_400_000;

let bot: TestBot;
let server: ServerType;
let base: string;
let browser: Browser;
let commendationId: number;
let winner: number;

beforeAll(async () => {
  bot = await startTestBot({ admins: ['ou_admin'], now: '2027-06-28T10:00:00+08:00' });
  const template = findTemplate('excellence')!.template;
  const [c] = await bot.db
    .insert(campaigns)
    .values({
      platform: 'feishu',
      tenantKey: 't1',
      templateId: template.id,
      templateVersion: template.version,
      template,
      title: template.title,
      startsOn: '2026-08-01',
      timezone: 'Asia/Shanghai',
      createdBy: 'ou_admin',
    })
    .returning();
  const now = bot.clock.now();
  const [row] = await bot.db
    .insert(commendations)
    .values({
      campaignId: c!.id,
      stage: 'publicity',
      formula: 'excellence-results@1',
      publicityDays: 5,
      publicityFrom: now,
      publicityTo: new Date(now.getTime() + 7 * DAY),
      openedBy: 'ou_admin',
      openedAt: now,
    })
    .returning();
  commendationId = row!.id;
  const nominee = (name: string, titleId: string, titleName: string, subjectId: number) => ({
    commendationId,
    titleId,
    titleName,
    subjectKind: titleId === 'advanced-branch' ? ('branch' as const) : ('member' as const),
    subjectId,
    name,
    branch: '后勤第一党支部',
    score: 95,
    rank: 1,
    status: 'approved' as const,
    nominatedBy: 'ou_admin',
    nominatedAt: now,
  });
  const [z] = await bot.db
    .insert(commendNominees)
    .values([nominee('张三', 'excellent-member', '优秀共产党员', 2), nominee('后勤第一党支部', 'advanced-branch', '先进党支部', 1)])
    .returning();
  winner = z!.id;
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

const pages = () => surveyPages(TEST_LINK_SECRET, null);

describe('评选表彰 pages in Chromium', () => {
  it('shows the list in 公示 on a phone and takes a named objection', async () => {
    const phone = await (await browser.newContext({ viewport: PHONE })).newPage();
    await phone.goto(`${base}${pages().publicityUrl(commendationId)}`);
    expect(await phone.locator('h1').innerText()).toBe('评选表彰公示');
    expect(await phone.locator('ol').innerText()).toContain('优秀共产党员：张三（后勤第一党支部）');
    await phone.screenshot({ path: artifact('commend-publicity-phone.png'), fullPage: true });
    await phone.selectOption('select[name=nominee]', String(winner));
    await phone.fill('textarea[name=text]', '该同志服务窗口曾被投诉，请核实');
    await phone.fill('input[name=name]', '李老师');
    await phone.fill('input[name=contact]', '13800000000');
    await Promise.all([phone.waitForNavigation(), phone.click('button[type=submit]')]);
    expect(await phone.locator('.flash').innerText()).toBe('您的意见已提交集团党委，感谢您的监督。');
    expect(await bot.db.select().from(commendObjections)).toMatchObject([{ nomineeId: winner, name: '李老师', contact: '13800000000' }]);
    // The admin is told (through the outbox, like every message).
    const notice = (await bot.db.select().from(outbox)).find((r) => r.dedupeKey.startsWith(`commend-objection:${commendationId}`));
    expect(notice).toMatchObject({ receiveId: 'ou_admin', platform: 'feishu' });
    expect(notice!.content).toContain('李老师（13800000000）');
    // A forged token is a Chinese 404 page, not an error.
    const forged = await phone.goto(`${base}/g/${commendationId}.AAAAAAAAAAAA`);
    expect(forged!.status()).toBe(404);
    expect(await phone.locator('h2').innerText()).toBe('找不到公示');
  });

  it('prints a winner’s certificate whose QR code opens the final list', async () => {
    const certUrl = `${base}${pages().certificateUrl(winner)}`;
    const desk = await browser.newPage({ viewport: DESKTOP });
    expect((await desk.goto(certUrl))!.status()).toBe(404); // not before the list is final
    const { eq } = await import('drizzle-orm');
    await bot.db.update(commendations).set({ stage: 'final', confirmedAt: bot.clock.now() }).where(eq(commendations.id, commendationId));
    await bot.db.update(commendNominees).set({ status: 'awarded' }).where(eq(commendNominees.commendationId, commendationId));
    await desk.goto(certUrl);
    expect(await desk.locator('.cert-head').innerText()).toBe('荣誉证书');
    const body = await desk.locator('.certificate').innerText();
    expect(body).toContain('授予“优秀共产党员”称号');
    expect(body).toContain('2027年6月28日');
    await desk.screenshot({ path: artifact('commend-certificate-desktop.png'), fullPage: true });
    const png = PNG.sync.read(await desk.locator('.qr').screenshot());
    const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data;
    expect(decoded).toBe(`${base}${pages().publicityUrl(commendationId)}`);
    await desk.goto(decoded!);
    expect(await desk.locator('h1').innerText()).toBe('表彰名单');
    expect(await desk.locator('form').count()).toBe(0);
  });
});
