// The ledger's small formats: the download's Content-Disposition (RFC 6266 with an RFC 5987 UTF-8
// name), CSV fields (quoting, formula-looking text kept as text), and the download token (forged,
// expired, reshaped).
import type { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { contentDisposition, ledgerToken, readLedgerToken } from '../bot/platforms/web/ledger-routes.js';
import { writeCsv } from '../handlers/ledger/csv.js';
import type { LedgerSource, SheetSpec } from '../handlers/ledger/sheet.js';
import { collect } from './support/ledger-read.js';

describe('ledger formats', () => {
  it('names the file in ASCII and in UTF-8', () => {
    const header = contentDisposition('台账-“三亮”活动-2026-09-01.xlsx');
    expect(header).toBe(`attachment; filename="ledger-2026-09-01.xlsx"; filename*=UTF-8''${encodeURIComponent('台账-“三亮”活动-2026-09-01.xlsx')}`);
    expect(contentDisposition("a'(b)*.csv")).toBe(`attachment; filename="a'(b)*.csv"; filename*=UTF-8''a%27%28b%29%2A.csv`);
  });

  it('quotes CSV fields and keeps formula-looking text as text', async () => {
    const spec: SheetSpec = {
      name: '测试',
      columns: [
        { header: '甲', width: 4 },
        { header: '乙', width: 4 },
        { header: '丙', width: 4 },
      ],
      async *rows() {
        yield ['a,b', 'say "hi"', '=SUM(A1)'];
        yield [-3, null, '多行\n文字'];
      },
    };
    const text = (await collect((out: PassThrough) => writeCsv(out, spec, {} as LedgerSource))).toString('utf8');
    expect(text).toBe('\uFEFF甲,乙,丙\r\n"a,b","say ""hi""",\'=SUM(A1)\r\n-3,,"多行\n文字"\r\n');
  });

  it('reads back only its own, unexpired, well-formed tokens', () => {
    const secret = 'a-secret-of-sixteen-chars';
    const now = new Date('2026-09-01T00:00:00Z');
    const grant = {
      platform: 'feishu',
      tenantKey: 't',
      userId: 'ou_1',
      campaignId: 3,
      branchId: 7,
      sheet: null,
      expiresAt: new Date(now.getTime() + 3600_000),
    };
    const token = ledgerToken(secret, grant);
    expect(readLedgerToken(secret, token, now)).toEqual({ ok: true, grant });
    expect(readLedgerToken('another-secret-of-16', token, now)).toEqual({ ok: false, reason: 'invalid' });
    expect(readLedgerToken(secret, token, new Date(now.getTime() + 3600_000))).toEqual({ ok: false, reason: 'expired' });
    const [body, sig] = token.split('.');
    const other = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body!, 'base64url').toString()), b: null })).toString('base64url');
    expect(readLedgerToken(secret, `${other}.${sig}`, now)).toEqual({ ok: false, reason: 'invalid' });
    for (const bad of ['', '.', 'a.b.c', `${body}.`, `${'x'.repeat(3000)}.${sig}`]) expect(readLedgerToken(secret, bad, now).ok).toBe(false);
  });
});
