// GET /dl/<token>: a ledger download. The token is signed with WEB_LINK_SECRET and carries who
// (platform, tenant, user), which campaign and scope, and until when; the file is built as it is
// sent (the ledger port checks the person may still have it). Forged: 404; expired: 403; never a 500.
import { Readable, PassThrough } from 'node:stream';
import type { Hono } from 'hono';
import type { Logger } from '../../log.js';
import type { LedgerGrant, LedgerPort, PortDeps } from '../../ports.js';
import { WebRefusal } from './form-post.js';
import { grantToken, idOrNull, readGrantToken } from './grant-token.js';

const PURPOSE = 'ledger-download';

export function ledgerToken(secret: string, g: LedgerGrant): string {
  return grantToken(secret, PURPOSE, { p: g.platform, t: g.tenantKey, u: g.userId, c: g.campaignId, b: g.branchId, s: g.sheet, e: g.expiresAt.getTime() });
}

export type GrantCheck = { ok: true; grant: LedgerGrant } | { ok: false; reason: 'invalid' | 'expired' };

export function readLedgerToken(secret: string, token: string, now: Date): GrantCheck {
  const read = readGrantToken(secret, PURPOSE, token, now);
  if (!read.ok) return read;
  const r = read.fields;
  if (
    typeof r.p !== 'string' ||
    typeof r.t !== 'string' ||
    typeof r.u !== 'string' ||
    typeof r.c !== 'number' ||
    !idOrNull(r.b) ||
    !(r.s === null || typeof r.s === 'string')
  ) {
    return { ok: false, reason: 'invalid' };
  }
  return {
    ok: true,
    grant: { platform: r.p, tenantKey: r.t, userId: r.u, campaignId: r.c, branchId: r.b, sheet: r.s as string | null, expiresAt: new Date(r.e as number) },
  };
}

/** `attachment` with an ASCII fallback and the UTF-8 name (RFC 5987 / 6266). */
export function contentDisposition(fileName: string): string {
  // Old clients get "ledger-2026-09-01.xlsx" for a Chinese name.
  const kept = fileName.replace(/["\\]/g, '_');
  const ascii = /^[\x20-\x7e]+$/.test(kept)
    ? kept
    : `ledger-${kept
        .replace(/[^\x20-\x7e]+/g, '')
        .replace(/-{2,}/g, '-')
        .replace(/^[-_ ]+/, '')}`;
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

export function ledgerUrl(secret: string, publicUrl: string | null, grant: LedgerGrant): string {
  return `${publicUrl ?? ''}/dl/${ledgerToken(secret, grant)}`;
}

export function mountLedger(app: Hono, d: { deps: PortDeps; port: LedgerPort; secret: string; log: Logger }): void {
  app.get('/dl/:token', async (c) => {
    const check = readLedgerToken(d.secret, c.req.param('token'), d.deps.clock.now());
    if (!check.ok) {
      throw check.reason === 'expired'
        ? new WebRefusal(403, '链接已过期', '台账下载链接已过期，请在聊天中重新发送 /台账 获取新链接。')
        : new WebRefusal(404, '找不到这份台账', '链接不完整或被改动过，请使用机器人发给您的原始链接。');
    }
    const file = await d.port.file(d.deps, check.grant);
    if (!file) throw new WebRefusal(403, '无法下载', '这份台账不存在，或您已不再是管理员或该支部书记。');
    const out = new PassThrough();
    file.write(out).catch((err: unknown) => {
      // Headers are gone already: the download is cut short, and the reason logged (not the link).
      d.log.error('ledger download failed', { campaignId: check.grant.campaignId, error: err });
      out.destroy(err instanceof Error ? err : new Error(String(err)));
    });
    return new Response(Readable.toWeb(out) as ReadableStream<Uint8Array>, {
      status: 200,
      headers: {
        'content-type': file.contentType,
        'content-disposition': contentDisposition(file.fileName),
        'cache-control': 'private, no-store',
        'x-content-type-options': 'nosniff',
      },
    });
  });
}
