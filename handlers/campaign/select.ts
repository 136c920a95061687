// Which campaign a command means: by number ("3", "#3", "编号3"), by a piece of its title or
// template name (several matches: the list to choose from by number), else the newest active one, else the newest finished or stopped one. Finished
// campaigns stay reachable here (the ledger, the archive), unlike currentCampaign.
import { and, desc, eq } from 'drizzle-orm';
import type { CampaignRow } from '../../bot/engine/store.js';
import type { PlatformId } from '../../bot/types.js';
import type { Db } from '../../db/client.js';
import { campaigns } from '../../db/schema.js';

export type CampaignChoice = { ok: true; campaign: CampaignRow } | { ok: false; message: string };

export const CAMPAIGN_STATUS: Record<CampaignRow['status'], string> = { active: '进行中', stopped: '已停止', finished: '已结束' };

/** "#3 党员示范岗创建活动（已结束）": how a campaign is named in lists and errors. */
export const campaignLabel = (c: CampaignRow): string => `#${c.id} ${c.title}（${CAMPAIGN_STATUS[c.status]}）`;

const squeeze = (s: string) => s.replace(/[\s"'“”‘’「」『』《》]/gu, '').toLowerCase();

export async function selectCampaign(db: Db, where: { platform: PlatformId; tenantKey: string }, arg?: string): Promise<CampaignChoice> {
  const rows = await db
    .select()
    .from(campaigns)
    .where(and(eq(campaigns.platform, where.platform), eq(campaigns.tenantKey, where.tenantKey)))
    .orderBy(desc(campaigns.id));
  return chooseCampaign(rows, arg);
}

/** The choice among an organisation's campaigns (newest first) that `arg` names; see selectCampaign. */
export function chooseCampaign(rows: CampaignRow[], arg?: string): CampaignChoice {
  if (rows.length === 0) return { ok: false, message: '还没有任何活动。管理员可发送 /活动 新建 <模板> [开始日期] 开始。' };
  const wanted = arg?.trim() ?? '';
  if (!wanted) {
    const pick = rows.find((c) => c.status === 'active') ?? rows[0]!;
    return { ok: true, campaign: pick };
  }
  const number = /^(?:#|＃|编号|no\.?)?\s*(\d{1,9})$/iu.exec(wanted);
  if (number) {
    const hit = rows.find((c) => c.id === Number(number[1]));
    if (hit) return { ok: true, campaign: hit };
  }
  const key = squeeze(wanted);
  const hits = rows.filter((c) => [c.title, c.templateId, c.template.title, ...(c.template.aliases ?? [])].some((name) => squeeze(name).includes(key)));
  if (hits.length === 1) return { ok: true, campaign: hits[0]! };
  if (hits.length === 0) {
    const why = number ? `没有编号为 ${number[1]} 的活动` : `没有名称含「${wanted}」的活动`;
    return { ok: false, message: `${why}。${listOf(rows)}` };
  }
  return { ok: false, message: `有 ${hits.length} 个活动符合「${wanted}」，请用编号指定：\n${hits.map(campaignLabel).join('\n')}` };
}

function listOf(rows: CampaignRow[]): string {
  const shown = rows.slice(0, 10);
  return `现有活动：\n${shown.map(campaignLabel).join('\n')}${rows.length > shown.length ? `\n…共 ${rows.length} 个` : ''}`;
}
