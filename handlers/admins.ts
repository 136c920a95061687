// /admins (/管理员): administrators grant and remove others in the bot, audited; BOT_ADMINS only
// bootstraps (those listed there are administrators as long as the setting says so).
import { and, eq, isNull } from 'drizzle-orm';
import { isConfiguredAdmin } from '../bot/config.js';
import { InputError } from '../bot/errors.js';
import type { CommandSpec, HandlerContext, SubcommandSpec } from '../bot/registry.js';
import type { CommandEvent } from '../bot/types.js';
import { runBatch } from '../db/client.js';
import { botAdmins } from '../db/schema.js';
import { alreadyApplied, auditEntry } from './audit.js';
import { configuredAdminIds } from './committee.js';

function mentioned(ctx: HandlerContext<CommandEvent>, verb: string) {
  const target = ctx.event.mentions[0];
  if (!target?.userId) throw new InputError('对象', `请 @ 要${verb}的人，例如：/管理员 ${verb} @张三`);
  return target;
}

const where = (ctx: HandlerContext, userId: string) =>
  and(eq(botAdmins.platform, ctx.event.platform), eq(botAdmins.tenantKey, ctx.event.tenantKey), eq(botAdmins.userId, userId));

const grant: SubcommandSpec = {
  names: ['add', '添加'],
  usage: '/admins add @某人',
  summary: '授予管理员权限（已审计）',
  access: ['admin'],
  changesRoles: true,
  async run(ctx) {
    const target = mentioned(ctx, '添加');
    if (await alreadyApplied(ctx.db, ctx.event, 'admin.grant')) return { text: `已将 ${target.name} 设为管理员。` };
    const now = ctx.clock.now();
    await runBatch(ctx.db, [
      ctx.db
        .insert(botAdmins)
        .values({
          platform: ctx.event.platform,
          tenantKey: ctx.event.tenantKey,
          userId: target.userId,
          name: target.name,
          grantedBy: ctx.actor.userId,
          grantedAt: now,
        })
        .onConflictDoUpdate({
          target: [botAdmins.platform, botAdmins.tenantKey, botAdmins.userId],
          set: { name: target.name, grantedBy: ctx.actor.userId, grantedAt: now, revokedBy: null, revokedAt: null },
        }),
      auditEntry(ctx.db, now, ctx.event, 'admin.grant', target.userId, { name: target.name }),
    ]);
    return { text: `已将 ${target.name} 设为管理员。` };
  },
};

const revoke: SubcommandSpec = {
  names: ['remove', '移除'],
  usage: '/admins remove @某人',
  summary: '移除在机器人中授予的管理员权限（已审计）',
  access: ['admin'],
  changesRoles: true,
  async run(ctx) {
    const target = mentioned(ctx, '移除');
    if (target.userId === ctx.actor.userId) throw new InputError('对象', '不能移除自己的管理员权限，请由其他管理员操作。');
    if (isConfiguredAdmin(ctx.config, ctx.event.platform, target.userId)) {
      throw new InputError('对象', `${target.name} 是配置文件 BOT_ADMINS 中的管理员，需修改配置并重启后才能移除。`);
    }
    const now = ctx.clock.now();
    const rows = await ctx.db
      .update(botAdmins)
      .set({ revokedBy: ctx.actor.userId, revokedAt: now })
      .where(and(where(ctx, target.userId), isNull(botAdmins.revokedAt)))
      .returning({ userId: botAdmins.userId });
    if (!rows.length) return { text: `${target.name} 不是在机器人中授予的管理员。` };
    await auditEntry(ctx.db, now, ctx.event, 'admin.revoke', target.userId, { name: target.name });
    return { text: `已移除 ${target.name} 的管理员权限。` };
  },
};

export const adminsCommand: CommandSpec = {
  name: 'admins',
  aliases: ['管理员'],
  usage: '/admins',
  summary: '查看管理员；管理员可添加或移除（/管理员 添加|移除 @某人）',
  access: ['admin'],
  async run(ctx) {
    const granted = await ctx.db
      .select()
      .from(botAdmins)
      .where(and(eq(botAdmins.platform, ctx.event.platform), eq(botAdmins.tenantKey, ctx.event.tenantKey), isNull(botAdmins.revokedAt)));
    const configured = configuredAdminIds(ctx.config, ctx.event.platform).length;
    const lines = granted.map((a) => `- ${a.name}（${a.userId}）`);
    return {
      text: `配置文件 BOT_ADMINS 中的管理员：${configured} 人\n在机器人中授予的管理员：${granted.length} 人${lines.length ? `\n${lines.join('\n')}` : ''}`,
    };
  },
  subcommands: [grant, revoke],
};
