// "Which campaign?": a typed command that could mean any of several running campaigns is answered with
// a button per campaign; pressing one runs the same command for that campaign (as the one who presses).
import type { ActionRef, CardModel } from './model.js';
import { md } from './text.js';

export const COMMAND_AGAIN = { id: 'command.again', v: 1 } as const;

/** Button values stay small on every platform: longer commands get the typed instruction only. */
const MAX_ARG = 180;

export interface RepeatableCommand {
  /** The command as typed, without the slash and the mentions: "活动 名册 添加". */
  text: string;
  mentions: Array<{ userId: string; name: string }>;
  group: boolean;
}

export function againAction(cmd: RepeatableCommand, campaignId: number): ActionRef | null {
  const mentions = JSON.stringify(cmd.mentions.map((m) => [m.userId, m.name]));
  if (cmd.text.length > MAX_ARG || mentions.length > MAX_ARG) return null;
  return { ...COMMAND_AGAIN, args: { c: String(campaignId), t: cmd.text, m: mentions, g: cmd.group ? '1' : '0' } };
}

export function campaignChoiceCard(cmd: RepeatableCommand, running: Array<{ id: number; title: string }>, typed: string): CardModel {
  const buttons = running.flatMap((c) => {
    const action = againAction(cmd, c.id);
    return action ? [{ label: `#${c.id} ${c.title.length > 16 ? `${c.title.slice(0, 15)}…` : c.title}`, action }] : [];
  });
  return {
    title: '请选择活动',
    tone: 'blue',
    blocks: [
      { type: 'markdown', text: `当前有 ${running.length} 个进行中的活动，「/${md(cmd.text)}」要对哪一个操作？` },
      ...(buttons.length ? [{ type: 'actions' as const, buttons }] : []),
      { type: 'note', text: typed },
    ],
  };
}
