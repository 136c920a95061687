// Party-joining anniversary settings: /joined <date> (/入党日期) and /anniversary on|off (/纪念日 开启|关闭).
import { and, eq } from 'drizzle-orm';
import { ANNIVERSARY_OPT } from '../cards/anniversary-card.js';
import { InputError } from '../bot/errors.js';
import { isValidDate, localDate } from '../bot/time.js';
import { members } from '../db/schema.js';
import type { ActionSpec, CommandSpec, HandlerContext } from '../bot/registry.js';

async function setOptOut(ctx: HandlerContext, optOut: boolean): Promise<void> {
  await ctx.db.update(members).set({ anniversaryOptOut: optOut }).where(eq(members.id, ctx.actor.member!.id));
}

export const joinedCommand: CommandSpec = {
  name: 'joined',
  aliases: ['入党日期'],
  usage: '/joined YYYY-MM-DD',
  summary: '登记自己的入党日期，入党纪念日当天会收到祝福',
  access: ['member', 'leader'],
  async run(ctx) {
    const date = ctx.event.args[0];
    if (!date || !isValidDate(date)) throw new InputError('入党日期', '入党日期应为 YYYY-MM-DD，例如：/入党日期 2001-07-01');
    if (date > localDate(ctx.clock.now(), ctx.config.timezone)) throw new InputError('入党日期', `入党日期 ${date} 晚于今天，请检查。`);
    await ctx.db
      .update(members)
      .set({ joinedPartyOn: date })
      .where(and(eq(members.id, ctx.actor.member!.id)));
    return { text: `已登记入党日期 ${date}。每年的这一天我会为您送上政治生日祝福（发送 /纪念日 关闭 可取消）。` };
  },
};

export const anniversaryCommand: CommandSpec = {
  name: 'anniversary',
  aliases: ['纪念日'],
  usage: '/anniversary on|off',
  summary: '开启或关闭入党纪念日祝福',
  access: ['member', 'leader'],
  async run(ctx) {
    const word = ctx.event.args[0]?.toLowerCase();
    const on = word === 'on' || word === '开启';
    const off = word === 'off' || word === '关闭';
    if (!on && !off) throw new InputError('开关', '请写明 开启 或 关闭，例如：/纪念日 关闭');
    await setOptOut(ctx, off);
    return { text: on ? '已开启入党纪念日祝福。' : '已关闭入党纪念日祝福，发送 /纪念日 开启 可恢复。' };
  },
};

export const anniversaryOptAction: ActionSpec = {
  ...ANNIVERSARY_OPT,
  access: ['member', 'leader'],
  async run(ctx) {
    const on = ctx.event.action.args.on === '1';
    await setOptOut(ctx, !on);
    return { toast: { type: 'success', text: on ? '已开启入党纪念日祝福。' : '已关闭，发送 /纪念日 开启 可恢复。' } };
  },
};
