// The /help card: the commands this sender may use, with their Chinese names.
import type { CardModel } from './model.js';

export interface HelpEntry {
  usage: string;
  alias: string;
  summary: string;
}

export function helpCard(entries: HelpEntry[], whoLabel: string): CardModel {
  return {
    title: '党建助手 · 使用帮助',
    subtitle: `你的身份：${whoLabel}`,
    tone: 'red',
    blocks: [
      { type: 'markdown', text: '在群里 @我 后输入命令，或在与我的单聊中直接输入。中文命令与英文命令等效。' },
      { type: 'divider' },
      {
        type: 'markdown',
        text: entries.map((e) => `**${e.usage}**（${e.alias}）\n${e.summary}`).join('\n\n'),
      },
      { type: 'note', text: '命令前的斜杠可用全角“／”。有疑问请联系支部书记或党委管理员。' },
    ],
  };
}
