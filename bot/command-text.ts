// Slash-command text -> {name, args, mentions}. Shared by the platform parsers.
import type { Mention } from './types.js';

/**
 * Recognises "/cmd args" after any leading @-mentions (the bot's own, in a group).
 * Full-width "／" and ideographic spaces are accepted. `mentionToken` is the platform's way of
 * writing a mention (Feishu: "@_user_2"); `resolveMention` maps one to the person, null for plain words.
 */
export function parseCommandText(
  text: string,
  mentionToken: RegExp,
  resolveMention: (token: string) => Mention | null,
): { name: string; args: string[]; mentions: Mention[]; campaign?: string } | null {
  const tokens = text
    .replace(/\u3000/g, ' ')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  while (tokens.length > 0 && (mentionToken.test(tokens[0]!) || tokens[0]!.startsWith('@'))) tokens.shift();
  const first = tokens.shift();
  if (!first || !/^[/／]/.test(first)) return null;
  let name = first.slice(1);
  if (!name) {
    // "/ help": the word after a lone slash is the command.
    name = tokens.shift() ?? '';
    if (!name) return null;
  }
  const args: string[] = [];
  const mentions: Mention[] = [];
  let campaign: string | undefined;
  for (const token of tokens) {
    // "活动:2" or "活动：创先争优" names the campaign a command acts on when several run at once.
    const ref = /^(?:活动|campaign)[:：](.+)$/i.exec(token);
    if (ref) {
      campaign = ref[1]!;
      continue;
    }
    const mention = resolveMention(token);
    if (mention) mentions.push(mention);
    else if (!mentionToken.test(token)) args.push(token);
  }
  return { name: name.toLowerCase(), args, mentions, ...(campaign ? { campaign } : {}) };
}
