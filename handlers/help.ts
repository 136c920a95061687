// /help (/帮助): the commands this sender may use.
import { helpCard } from '../cards/help-card.js';
import { hasAccess, type Actor } from '../bot/access.js';
import type { CommandSpec } from '../bot/registry.js';

const ROLE_NAMES = { member: '党员', secretary: '支部书记', leader: '党委委员' } as const;

export function describeActor(actor: Actor): string {
  const parts: string[] = [];
  if (actor.isAdmin) parts.push(actor.adminSource === 'granted' ? '管理员（在机器人中授予）' : '管理员');
  if (actor.member?.active) {
    parts.push(ROLE_NAMES[actor.member.role]);
    if (actor.member.committee) parts.push(ROLE_NAMES.leader);
    if (actor.member.politicalStatus === 'pending') parts.push('待书记确认政治面貌');
  }
  return parts.length ? parts.join('、') : '未登记（请书记发送 /同步 导入成员）';
}

export function helpCommand(allCommands: () => CommandSpec[]): CommandSpec {
  return {
    name: 'help',
    aliases: ['帮助'],
    usage: '/help',
    summary: '查看你可以使用的命令',
    access: ['anyone'],
    async run({ actor }) {
      const where = (groupOnly: boolean | undefined, summary: string) => (groupOnly ? `${summary}（在支部群中使用）` : summary);
      const entries = allCommands().flatMap((c) => [
        ...(hasAccess(actor, c.access) ? [{ usage: c.usage, alias: `/${c.aliases[0]}`, summary: where(c.groupOnly, c.summary) }] : []),
        ...(c.subcommands ?? [])
          .filter((s) => hasAccess(actor, s.access))
          .map((s) => ({
            usage: s.usage,
            alias: `/${c.aliases[0]} ${s.names[1] ?? s.names[0]}`,
            summary: where(s.groupOnly, s.summary),
          })),
      ]);
      return { card: helpCard(entries, describeActor(actor)) };
    },
  };
}
