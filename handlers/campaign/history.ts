// /活动 历史: every campaign of the organisation, finished ones included — nothing is deleted, and
// each can still be read by its number (/活动 总览, /表彰, /台账).
import { and, desc, eq, inArray, max, min } from 'drizzle-orm';
import type { SubcommandSpec } from '../../bot/registry.js';
import { formatDeadline, localDate } from '../../bot/time.js';
import { campaignPhases, campaigns, commendations } from '../../db/schema.js';
import { CAMPAIGN_STATUS } from './select.js';

const STAGE = { nominating: '提名中', voting: '表决中', publicity: '公示中', final: '表彰已确认' } as const;

export const campaignHistory: SubcommandSpec = {
  names: ['history', '历史'],
  usage: '/campaign history',
  summary: '所有活动（含已结束的）：编号、模板、日期、状态和评选表彰进度',
  access: ['admin', 'leader', 'secretary'],
  async run(ctx) {
    const rows = await ctx.db
      .select({
        id: campaigns.id,
        title: campaigns.title,
        status: campaigns.status,
        timezone: campaigns.timezone,
        opens: min(campaignPhases.opensAt),
        closes: max(campaignPhases.closesAt),
      })
      .from(campaigns)
      .leftJoin(campaignPhases, eq(campaignPhases.campaignId, campaigns.id))
      .where(and(eq(campaigns.platform, ctx.event.platform), eq(campaigns.tenantKey, ctx.event.tenantKey)))
      .groupBy(campaigns.id)
      .orderBy(desc(campaigns.id));
    if (!rows.length) return { text: '还没有活动。管理员可发送 /活动 新建 <模板> [开始日期] 开始。' };
    const stages = await ctx.db
      .select()
      .from(commendations)
      .where(
        inArray(
          commendations.campaignId,
          rows.map((r) => r.id),
        ),
      );
    const lines = rows.map((r) => {
      const dates = r.opens && r.closes ? `${localDate(r.opens, r.timezone)} 至 ${formatDeadline(r.closes, r.timezone).slice(0, 10)}` : '';
      const commend = stages.filter((s) => s.campaignId === r.id).sort((a, b) => b.round - a.round)[0];
      return `#${r.id} ${r.title}｜${CAMPAIGN_STATUS[r.status]}｜${dates}${commend ? `｜评选表彰：${STAGE[commend.stage]}` : ''}`;
    });
    return { text: `共 ${rows.length} 个活动：\n${lines.join('\n')}\n查看某个活动：/活动 总览 <编号>，/表彰 <编号>，/台账 <编号>。` };
  },
};
