// /whoami (/我是谁): the sender's own id and roles, e.g. to put an admin into BOT_ADMINS as platform:id.
import type { CommandSpec } from '../bot/registry.js';
import { describeActor } from './help.js';

export const whoamiCommand: CommandSpec = {
  name: 'whoami',
  aliases: ['我是谁'],
  usage: '/whoami',
  summary: '查看自己的用户 ID 和身份（配置管理员时使用）',
  access: ['anyone'],
  async run({ actor, event }) {
    const branch = actor.chatBranch ? `\n本群绑定的支部：${actor.chatBranch.name}` : '';
    return { text: `您的用户 ID：${actor.userId}（写入 BOT_ADMINS 时请写作 ${event.platform}:${actor.userId}）\n身份：${describeActor(actor)}${branch}` };
  },
};
