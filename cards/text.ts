// Card text in the neutral dialect every renderer reads: a Markdown subset (**bold**, "- " items,
// line breaks) with backslash and entity escapes, and tone spans written by `tone()`.
import type { Block } from './model.js';

// User-written text (names, pledges, comments) must show as written: no @all, colour, links or
// markup injected into an official card, and nothing that makes a platform reject it.
const MARKDOWN = /[\\`*_~[\]()#|]/g;

export function md(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(MARKDOWN, (c) => `\\${c}`);
}

export type TextTone = 'red' | 'orange' | 'green' | 'grey';
const TONE_SPAN = /<t (red|orange|green|grey)>([\s\S]*?)<\/t>/g;

/** Text shown in a tone (a warning, a problem); each renderer shows it its own way. */
export function tone(t: TextTone, text: string): string {
  return `<t ${t}>${text}</t>`;
}

/** Rewrites the tone spans of card text with `f(tone, inner)` (user text cannot contain one: md() escapes "<"). */
export function toneSpans(text: string, f: (t: TextTone, inner: string) => string): string {
  return text.replace(TONE_SPAN, (_, t: TextTone, inner: string) => f(t, inner));
}

/** The red list of problems at the top of a form card, each problem naming its field. */
export function formErrors(errors: string[], verb = '提交'): Block[] {
  return errors.length
    ? [{ type: 'markdown', text: `${tone('red', `**请修改以下 ${errors.length} 处后再${verb}：**`)}\n${errors.map((e) => `- ${md(e)}`).join('\n')}` }]
    : [];
}
