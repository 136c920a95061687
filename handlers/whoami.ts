// /whoami (/我是谁): the sender's own id and every role they hold, e.g. to put an admin into BOT_ADMINS as platform:id.
import { inArray } from 'drizzle-orm';
import { STATUS_LABELS } from '../bot/political-status.js';
import type { CommandSpec } from '../bot/registry.js';
import { branches } from '../db/schema.js';
import { describeActor } from './help.js';

export const whoamiCommand: CommandSpec = {
  name: 'whoami',
  aliases: ['我是谁'],
  usage: '/whoami',
  summary: '查看自己的用户 ID 和身份（配置管理员时使用）',
  access: ['anyone'],
  async run({ actor, event, db }) {
    const m = actor.member?.active ? actor.member : null;
    const ids = [...new Set([...(m?.branchId ? [m.branchId] : []), ...actor.linkedBranchIds])];
    const names = new Map(
      ids.length ? (await db.select({ id: branches.id, name: branches.name }).from(branches).where(inArray(branches.id, ids))).map((b) => [b.id, b.name]) : [],
    );
    const lines = [`您的用户 ID：${actor.userId}（写入 BOT_ADMINS 时请写作 ${event.platform}:${actor.userId}）`, `身份：${describeActor(actor)}`];
    if (m) {
      if (m.branchId) lines.push(`所在支部：${names.get(m.branchId) ?? '—'}`);
      if (actor.linkedBranchIds.length) lines.push(`联系支部：${actor.linkedBranchIds.map((id) => names.get(id) ?? '—').join('、')}`);
      if (m.role !== 'leader') lines.push(`政治面貌：${STATUS_LABELS[m.politicalStatus]}`);
    }
    if (actor.chatBranch) lines.push(`本群绑定的支部：${actor.chatBranch.name}`);
    return { text: lines.join('\n') };
  },
};
