// /campaign new <template> [YYYY-MM-DD] (/活动 新建): start a campaign from a template.
import { and, eq } from 'drizzle-orm';
import { campaignCreatedCard } from '../../cards/campaign-admin-cards.js';
import { findTemplate, templates } from '../../bot/campaign/templates/index.js';
import { createCampaign, phasesOf } from '../../bot/engine/store.js';
import { InputError } from '../../bot/errors.js';
import { isValidDate, localDate } from '../../bot/time.js';
import { campaigns } from '../../db/schema.js';
import { auditEntry } from '../audit.js';
import type { SubcommandSpec } from '../../bot/registry.js';
import { phaseLines } from './current.js';

function templateList(): string {
  return templates.map(({ template }) => `${template.aliases[0] ?? template.id}（${template.id}）`).join('、');
}

export const campaignNew: SubcommandSpec = {
  names: ['new', '新建'],
  usage: '/campaign new <模板> [YYYY-MM-DD]',
  summary: `按模板创建活动并冻结名册（管理员）。模板：${templateList()}`,
  access: ['admin'],
  async run(ctx, args) {
    const { db, event, clock, config } = ctx;
    if (!args[0]) throw new InputError('模板', `请指定模板，例如：/活动 新建 示范岗 2026-09-01。可用模板：${templateList()}`);
    const loaded = findTemplate(args[0]);
    if (!loaded) throw new InputError('模板', `未找到模板「${args[0]}」。可用模板：${templateList()}`);
    const tz = config.timezone;
    const startsOn = args[1] ?? localDate(clock.now(), tz);
    if (!isValidDate(startsOn)) throw new InputError('开始日期', `开始日期「${startsOn}」格式不对，应为 YYYY-MM-DD，例如 2026-09-01。`);
    const [running] = await db
      .select({ id: campaigns.id })
      .from(campaigns)
      .where(
        and(
          eq(campaigns.platform, event.platform),
          eq(campaigns.tenantKey, event.tenantKey),
          eq(campaigns.templateId, loaded.template.id),
          eq(campaigns.status, 'active'),
        ),
      );
    if (running) {
      throw new InputError('模板', `「${loaded.template.title}」活动 #${running.id} 正在进行中，如需重来请先发送 /活动 停止。`);
    }
    const now = clock.now();
    const { campaign, rosterSize, leaders } = await createCampaign(db, {
      platform: event.platform,
      tenantKey: event.tenantKey,
      template: loaded.template,
      startsOn,
      timezone: tz,
      createdBy: event.userId,
      now,
    });
    await auditEntry(db, now, event, 'campaign.new', `#${campaign.id}`, {
      template: loaded.template.id,
      version: loaded.template.version,
      startsOn,
      rosterSize,
    });
    const rubric = loaded.template.rubric;
    return {
      card: campaignCreatedCard({
        id: campaign.id,
        title: campaign.title,
        source: loaded.template.source,
        rubricVersion: rubric ? `${rubric.id} 第 ${rubric.version} 版（满分 ${rubric.total}）` : null,
        phases: phaseLines(await phasesOf(db, campaign.id), tz, now),
        rosterSize,
        leaders,
        warnings: loaded.warnings,
      }),
    };
  },
};
