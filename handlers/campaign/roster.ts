// /campaign roster add|remove @someone (/活动 名册 添加|移除): audited amendments of the frozen roster.
import { and, eq } from 'drizzle-orm';
import { InputError } from '../../bot/errors.js';
import { runBatch } from '../../db/client.js';
import { campaignRoster, members } from '../../db/schema.js';
import { hasAccess } from '../../bot/access.js';
import { STATUS_LABELS } from '../../bot/political-status.js';
import { auditEntry } from '../audit.js';
import type { SubcommandSpec } from '../../bot/registry.js';
import { currentCampaign } from './current.js';

const ADD = ['add', '添加'];
const REMOVE = ['remove', '移除'];

export const campaignRosterCmd: SubcommandSpec = {
  names: ['roster', '名册'],
  usage: '/campaign roster add|remove @某人',
  summary: '调整活动名册：添加或移除成员（管理员或本支部书记）',
  access: ['admin', 'secretary'],
  async run(ctx, args) {
    const { db, event, clock, actor } = ctx;
    const verb = args[0]?.toLowerCase() ?? '';
    if (!ADD.includes(verb) && !REMOVE.includes(verb)) {
      throw new InputError('操作', '请写明 添加 或 移除，例如：/活动 名册 添加 @张三');
    }
    if (event.mentions.length === 0) throw new InputError('对象', '请 @ 要调整的成员，例如：/活动 名册 移除 @张三');
    const c = await currentCampaign(ctx);
    const now = clock.now();
    const done: string[] = [];
    const unknown: string[] = [];
    for (const person of event.mentions) {
      const [m] = await db
        .select()
        .from(members)
        .where(and(eq(members.platform, event.platform), eq(members.tenantKey, event.tenantKey), eq(members.userId, person.userId)));
      if (!m) {
        unknown.push(person.name);
        continue;
      }
      // A secretary amends only their own branch's part of the roster.
      if (!actor.isAdmin && !(hasAccess(actor, ['secretary']) && m.branchId === actor.member?.branchId)) {
        throw new InputError('对象', `${m.name} 不在您的支部，只有管理员可以调整。`);
      }
      if (ADD.includes(verb) && m.role !== 'leader' && !c.template.participants.includes(m.politicalStatus)) {
        throw new InputError(
          '政治面貌',
          `${m.name} 的政治面貌是「${STATUS_LABELS[m.politicalStatus]}」，本活动只面向${c.template.participants.map((s) => STATUS_LABELS[s]).join('、')}。`,
        );
      }
      const write = ADD.includes(verb)
        ? db
            .insert(campaignRoster)
            .values({ campaignId: c.id, memberId: m.id, branchId: m.branchId, role: m.role, committee: m.committee, addedAt: now })
            .onConflictDoUpdate({
              target: [campaignRoster.campaignId, campaignRoster.memberId],
              set: { removedAt: null, branchId: m.branchId, role: m.role, committee: m.committee },
            })
        : db
            .update(campaignRoster)
            .set({ removedAt: now })
            .where(and(eq(campaignRoster.campaignId, c.id), eq(campaignRoster.memberId, m.id)));
      await runBatch(db, [
        write,
        auditEntry(db, now, event, `campaign.roster.${ADD.includes(verb) ? 'add' : 'remove'}`, `#${c.id}/member:${m.id}`, { memberId: m.id }),
      ]);
      done.push(m.name);
    }
    const parts = [];
    if (done.length) parts.push(`已${ADD.includes(verb) ? '添加到' : '移出'}活动名册：${done.join('、')}`);
    if (unknown.length) parts.push(`未登记的成员（请先在支部群 /同步）：${unknown.join('、')}`);
    return { text: `${parts.join('。')}。` };
  },
};
