// /campaign urgent on|off (/活动 加急 开|关): whether an escalated member's reminder also goes as the
// platform's urgent notice (Feishu 应用内加急, DingTalk DING). Off by default; audited.
import { eq } from 'drizzle-orm';
import { InputError } from '../../bot/errors.js';
import type { SubcommandSpec } from '../../bot/registry.js';
import { runBatch } from '../../db/client.js';
import { campaigns } from '../../db/schema.js';
import { auditEntry } from '../audit.js';
import { currentCampaign } from './current.js';

const ON = ['on', '开', '开启', '打开'];
const OFF = ['off', '关', '关闭'];

export const campaignUrgent: SubcommandSpec = {
  names: ['urgent', '加急'],
  usage: '/campaign urgent on|off',
  summary: '多次未回应提醒的党员，是否同时以加急（飞书）或 DING（钉钉）通知本人（管理员）',
  access: ['admin'],
  async run(ctx, args) {
    const word = args[0]?.toLowerCase() ?? '';
    const c = await currentCampaign(ctx);
    if (!ON.includes(word) && !OFF.includes(word)) {
      return { text: `「${c.title}」的加急提醒目前${c.urgentEscalation ? '已开启' : '未开启'}。开启：/活动 加急 开；关闭：/活动 加急 关` };
    }
    const on = ON.includes(word);
    if (on === c.urgentEscalation) return { text: `「${c.title}」的加急提醒本来就${on ? '已开启' : '未开启'}。` };
    if (!ctx.api.urgent && on) throw new InputError('加急', '当前平台不支持加急通知。');
    await runBatch(ctx.db, [
      ctx.db.update(campaigns).set({ urgentEscalation: on }).where(eq(campaigns.id, c.id)),
      auditEntry(ctx.db, ctx.clock.now(), ctx.event, 'campaign.urgent', `#${c.id}`, { on }),
    ]);
    return {
      text: on
        ? `已开启「${c.title}」的加急提醒：多次未回应提醒的党员，除告知其支部书记外，还会收到一次加急通知（不在夜间发送）。`
        : `已关闭「${c.title}」的加急提醒。`,
    };
  },
};
