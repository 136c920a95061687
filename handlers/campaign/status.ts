// /campaign (/活动): the current phases, their dates and completion per branch; queue health for admins.
import { and, count, eq } from 'drizzle-orm';
import { campaignStatusCard } from '../../cards/campaign-admin-cards.js';
import { completion, isOpen } from '../../bot/campaign/state.js';
import { activeCampaigns, loadCampaignState } from '../../bot/engine/store.js';
import { InputError } from '../../bot/errors.js';
import { formatDeadline, formatLocal } from '../../bot/time.js';
import type { Reply } from '../../bot/types.js';
import { outbox } from '../../db/schema.js';
import type { HandlerContext } from '../../bot/registry.js';
import { reviewResponses } from '../review/responses.js';
import { campaignFor } from '../commend/context.js';
import { CAMPAIGN_STATUS } from './select.js';

async function queueCounts(ctx: HandlerContext, campaignId: number) {
  const rows = await ctx.db
    .select({ status: outbox.status, n: count() })
    .from(outbox)
    .where(and(eq(outbox.campaignId, campaignId)))
    .groupBy(outbox.status);
  const of = (s: string) => rows.find((r) => r.status === s)?.n ?? 0;
  return { dead: of('dead'), dropped: of('dropped'), pending: of('pending') };
}

export async function campaignStatus(ctx: HandlerContext): Promise<Reply> {
  const { db, event, clock, actor } = ctx;
  const now = clock.now();
  const running = await activeCampaigns(db, { platform: event.platform, tenantKey: event.tenantKey });
  // A past campaign by its number (/活动 3); otherwise the newest running one.
  const named = event.kind === 'command' && (event.args[0] || event.campaign) ? await campaignFor(ctx, event.args[0]) : null;
  if (running.length === 0 && !named) {
    throw new InputError('活动', '当前没有进行中的活动。管理员可发送 /活动 新建 <模板> [开始日期] 开始；往期活动见 /活动 历史。');
  }
  // The newest campaign is shown; several at once are rare and each has its own number.
  const c = named ?? running.sort((a, b) => b.id - a.id)[0]!;
  const others = running
    .filter((r) => r.id !== c.id)
    .map((r) => `#${r.id} ${r.title}`)
    .join('、');
  const state = await loadCampaignState(db, c, { config: ctx.config, sources: [reviewResponses], keys: 'none' });
  const tz = c.timezone;
  const open = state.phases.filter((p) => isOpen(p, now));
  const upcoming = state.phases.find((p) => p.opensAt > now);
  return {
    card: campaignStatusCard({
      id: c.id,
      title: c.title,
      status: c.status !== 'active' ? CAMPAIGN_STATUS[c.status] : running.length > 1 ? `进行中（同时进行：${others}；查看：/活动 活动:编号）` : '进行中',
      open: open.map((p) => ({
        title: p.title,
        opens: formatLocal(p.opensAt, tz),
        closes: formatDeadline(p.closesAt, tz),
        progress: p.respond
          ? p.respond === 'leader'
            ? [{ branch: '党委委员', ...completion(state, p) }]
            : state.branches.map((b) => ({ branch: b.name, ...completion(state, p, b.id) }))
          : [],
      })),
      next: upcoming ? `${upcoming.title}（${formatLocal(upcoming.opensAt, tz)} 开始）` : null,
      blackouts: c.blackouts.map((r) => `${r.from} 至 ${r.to}`),
      admin: actor.isAdmin ? await queueCounts(ctx, c.id) : null,
    }),
  };
}
