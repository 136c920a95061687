// The ledger on the wire: /台账 from Feishu answers with a card holding a signed download link, and
// the xlsx itself as a file message (uploaded to im/v1/files as multipart, then msg_type file with
// its file_key). The link on the web edge: 200 with the xlsx and an RFC 5987 UTF-8 file name;
// expired 403; forged 404; a person no longer secretary 403. Never a 500.
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { members } from '../../../db/schema.js';
import { readXlsx } from '../../support/ledger-read.js';
import { seedLedgerCampaign } from '../../support/ledger-seed.js';
import { messageEvent, TEST_APP } from '../../support/feishu-wire.js';
import { startTestBot, type TestBot } from '../../support/harness.js';

const NAMES = ['名册', '承诺与践诺', '申报与自评', '考核打分', '党员互评', '领导点评', '师生群众评议', '结果与表彰', '审计日志'];
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

let bot: TestBot;

beforeEach(async () => {
  bot = await startTestBot({ now: '2026-09-01T00:00:00Z' });
  await seedLedgerCampaign(bot.db, {
    platform: 'feishu',
    tenantKey: TEST_APP.tenantKey,
    branches: 2,
    perBranch: 5,
    leaders: 1,
    reviewSecret: 'test-review-secret',
    now: bot.clock.now(),
    startsOn: '2026-09-01',
    userId: (b, i) => `ou_l${b}_${i}`,
  });
});
afterEach(async () => bot.close());

/** Sends /台账 privately as `from` and returns the link path in the card answered. */
async function ledgerLink(from: string, text = '/台账'): Promise<string> {
  const before = bot.fake.sent.length;
  expect((await bot.deliver(messageEvent({ from, text }))).status).toBe(200);
  await bot.settle();
  const card = bot.fake.sent.slice(before).find((m) => m.msgType === 'interactive');
  const link = /\/dl\/[\w.-]+/.exec(JSON.stringify(card?.content ?? ''))?.[0];
  if (!link) throw new Error(`no link in ${JSON.stringify(bot.fake.sent.slice(before))}`);
  return link;
}

describe('/台账 on Feishu', () => {
  it('sends the link and the xlsx as a file message: uploaded multipart, then msg_type file with its file_key', async () => {
    await ledgerLink('ou_admin');
    expect(bot.fake.uploads).toHaveLength(1);
    const upload = bot.fake.uploads[0]!;
    expect(upload.fileType).toBe('xls');
    expect(upload.fileName).toMatch(/^台账-.+-2026-09-01\.xlsx$/);
    expect(readXlsx(upload.bytes).names).toEqual(NAMES);
    const fileMessage = bot.fake.sent.find((m) => m.msgType === 'file');
    expect(fileMessage).toMatchObject({ via: 'create', receiveIdType: 'open_id', receiveId: 'ou_admin', content: { file_key: upload.fileKey } });
  });

  it('serves the link: the xlsx with a UTF-8 file name; forged 404, expired 403', async () => {
    const link = await ledgerLink('ou_admin');
    const res = await bot.app.request(link);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(XLSX_TYPE);
    const disposition = res.headers.get('content-disposition') ?? '';
    expect(disposition).toMatch(/^attachment; filename="[\x20-\x7e]+\.xlsx"; filename\*=UTF-8''%E5%8F%B0%E8%B4%A6-/);
    expect(decodeURIComponent(disposition.split("UTF-8''")[1]!)).toMatch(/^台账-.+-2026-09-01\.xlsx$/);
    const book = readXlsx(Buffer.from(await res.arrayBuffer()));
    expect(book.names).toEqual(NAMES);
    expect(book.sheets['名册']!.length - 1).toBe(11);

    const flipped = `${link.slice(0, -1)}${link.endsWith('A') ? 'B' : 'A'}`;
    for (const bad of [flipped, '/dl/nonsense', `/dl/${'x'.repeat(3000)}.y`]) {
      const r = await bot.app.request(bad);
      expect(r.status, bad.slice(0, 40)).toBe(404);
      expect(await r.text()).toContain('找不到这份台账');
    }
    bot.clock.set(new Date(bot.clock.now().getTime() + 25 * 3600_000));
    const expired = await bot.app.request(link);
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain('已过期');
  });

  it("gives a secretary their branch's CSV, and refuses the link once they are no longer secretary", async () => {
    const link = await ledgerLink('ou_l0_0', '/台账 csv 名册');
    expect(bot.fake.uploads.at(-1)).toMatchObject({ fileType: 'stream', fileName: expect.stringMatching(/-后勤第1党支部-名册-2026-09-01\.csv$/) });
    const res = await bot.app.request(link);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const lines = (await res.text()).trimEnd().split('\r\n');
    expect(lines).toHaveLength(6);
    expect(lines.slice(1).every((l) => l.startsWith('后勤第1党支部,'))).toBe(true);
    await bot.db.update(members).set({ role: 'member' }).where(eq(members.userId, 'ou_l0_0'));
    const refused = await bot.app.request(link);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('无法下载');
  });
});
