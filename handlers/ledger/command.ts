// /ledger (/台账) [活动编号|名称] [csv <表名>]: the campaign's ledger for an admin (the whole
// committee) or a secretary (their branch), as a signed download link sent privately (the link is
// the credential for 24 h), and where the platform takes files, the file itself.
import { eq } from 'drizzle-orm';
import { InputError } from '../../bot/errors.js';
import type { LedgerGrant } from '../../bot/ports.js';
import type { CommandSpec, HandlerContext } from '../../bot/registry.js';
import { formatLocal } from '../../bot/time.js';
import type { CommandEvent, Reply } from '../../bot/types.js';
import { ledgerCard } from '../../cards/ledger-card.js';
import { branches } from '../../db/schema.js';
import { auditEntry } from '../audit.js';
import { campaignLabel, selectCampaign } from '../campaign/select.js';
import { findSheet, ledgerSheets } from './sheets.js';

export const LINK_HOURS = 24;

/** Splits "[活动] [csv <表名>]". */
export function parseLedgerArgs(args: string[]): { campaign: string; sheet: string | null } {
  const at = args.findIndex((a) => a.toLowerCase() === 'csv');
  if (at < 0) return { campaign: args.join(' ').trim(), sheet: null };
  const sheet = args
    .slice(at + 1)
    .join('')
    .trim();
  const names = ledgerSheets.map((s) => s.name).join('、');
  if (!sheet) throw new InputError('表名', `请写明要导出的表，例如 /台账 csv 名册。可选：${names}`);
  const spec = findSheet(sheet);
  if (!spec) throw new InputError('表名', `没有名为「${sheet}」的表。可选：${names}`);
  return { campaign: args.slice(0, at).join(' ').trim(), sheet: spec.name };
}

function scopeOf(ctx: HandlerContext): number | null {
  if (ctx.actor.isAdmin) return null;
  const branchId = ctx.actor.member?.branchId;
  if (!branchId) throw new InputError('支部', '您不在任何支部的名册中，无法导出台账。');
  return branchId;
}

async function run(ctx: HandlerContext<CommandEvent>): Promise<Reply> {
  const { campaign: wanted, sheet } = parseLedgerArgs(ctx.event.args);
  const choice = await selectCampaign(ctx.db, { platform: ctx.event.platform, tenantKey: ctx.event.tenantKey }, wanted);
  if (!choice.ok) throw new InputError('活动', choice.message);
  const campaign = choice.campaign;
  const link = ctx.pages?.ledgerUrl;
  if (!link && !ctx.api.sendFile) throw new InputError('配置', '台账通过网页链接下载，管理员尚未配置网页链接（WEB_LINK_SECRET），请联系管理员。');
  const branchId = scopeOf(ctx);
  const now = ctx.clock.now();
  const grant: LedgerGrant = {
    platform: ctx.event.platform,
    tenantKey: ctx.event.tenantKey,
    userId: ctx.actor.userId,
    campaignId: campaign.id,
    branchId,
    sheet,
    expiresAt: new Date(now.getTime() + LINK_HOURS * 3600_000),
  };
  const url = link ? link(grant) : null;
  const [branch] = branchId === null ? [] : await ctx.db.select({ name: branches.name }).from(branches).where(eq(branches.id, branchId));
  const scope = branchId === null ? '全党委' : (branch?.name ?? '本支部');
  await auditEntry(ctx.db, now, ctx.event, 'ledger.export', `#${campaign.id}`, {
    scope: branchId === null ? 'all' : `branch:${branchId}`,
    sheet: sheet ?? 'xlsx',
  });
  const me = { type: 'user' as const, id: ctx.actor.userId };
  if (ctx.api.sendFile) {
    // The file itself, built when the outbox sends it (the row holds only this description).
    const { expiresAt: _, ...ledger } = grant;
    const fallback = url ? `台账下载链接（${LINK_HOURS} 小时内有效）：${url}` : '台账文件未能生成，请稍后重新发送 /台账。';
    ctx.send(me, { kind: 'file', file: { ledger }, fallback }, `ledger-file:${ctx.event.eventId}`);
  }
  if (!url) {
    // No web edge to link to (WEB_LINK_SECRET unset): the file message alone.
    return { text: `${campaignLabel(campaign)}（${scope}）的台账文件已私信发送给您。` };
  }
  const card = ledgerCard({
    campaign: campaignLabel(campaign),
    scope,
    sheet,
    sheetNames: ledgerSheets.map((s) => s.name),
    url,
    expires: formatLocal(grant.expiresAt, campaign.timezone),
  });
  if (ctx.event.chatType === 'group') {
    ctx.send(me, { kind: 'card', card }, `ledger:${ctx.event.eventId}`);
    return { text: '台账下载链接已私信发送给您。' };
  }
  return { card };
}

export const ledgerCommand: CommandSpec = {
  name: 'ledger',
  aliases: ['台账'],
  usage: '/ledger [活动编号|名称] [csv <表名>]',
  summary: '导出活动台账 Excel 或单表 CSV（管理员：全党委；支部书记：本支部），已结束的活动也可导出',
  access: ['admin', 'secretary'],
  run,
};
