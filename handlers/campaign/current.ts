// Finding "the current campaign" of the sender's organisation, and phase lines for cards.
import { and, desc, eq } from 'drizzle-orm';
import type { PhaseLine } from '../../cards/campaign-admin-cards.js';
import type { PhaseState } from '../../bot/campaign/state.js';
import type { CampaignRow } from '../../bot/engine/store.js';
import { InputError } from '../../bot/errors.js';
import { formatDeadline, formatLocal } from '../../bot/time.js';
import { campaigns } from '../../db/schema.js';
import type { HandlerContext } from '../../bot/registry.js';

export async function currentCampaign(ctx: HandlerContext): Promise<CampaignRow> {
  const [row] = await ctx.db
    .select()
    .from(campaigns)
    .where(and(eq(campaigns.platform, ctx.event.platform), eq(campaigns.tenantKey, ctx.event.tenantKey), eq(campaigns.status, 'active')))
    .orderBy(desc(campaigns.id))
    .limit(1);
  if (!row) throw new InputError('活动', '当前没有进行中的活动。管理员可发送 /活动 新建 <模板> [开始日期] 开始。');
  return row;
}

export function phaseLines(phases: PhaseState[], tz: string, now: Date): PhaseLine[] {
  return phases.map((p) => ({
    seq: p.seq,
    title: p.title,
    opens: formatLocal(p.opensAt, tz),
    closes: formatDeadline(p.closesAt, tz),
    state: now < p.opensAt ? '未开始' : now < p.closesAt ? '进行中' : '已结束',
  }));
}
