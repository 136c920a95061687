// CardModel -> a DingTalk robot message (msgKey + msgParam). Robot messages are markdown and action
// cards whose buttons open URLs: a card's callback buttons and forms cannot be shown as such, so a
// form opens as the person's signed web page (a button in a direct chat) and, in a group, a button
// says which command to send. Charts become lines with the same numbers. Pure: no I/O, no clock.
import type { ActionRef, Block, Button, CardModel, FormBlock } from '../../../cards/model.js';
import { toneSpans } from '../../../cards/text.js';
import { buttonPurpose } from '../web/links.js';

export interface DingTalkMessage {
  msgKey: string;
  msgParam: Record<string, string>;
}

export interface RenderOptions {
  /**
   * The signed personal page of the recipient for a command ("承诺"), or null where none can be made
   * (a group: everyone sees the message; no WEB_LINK_SECRET).
   */
  personalLink: ((purpose: string) => string) | null;
  /** A direct chat (hints say where to get the page) rather than a group (hints say which command to send). */
  direct: boolean;
}

/** Action cards carry at most this many buttons (sampleActionCard2 … sampleActionCard5). */
const MAX_BUTTONS = 5;

const TONE_COLOURS = { red: '#D0021B', orange: '#F5A623', green: '#2E9E44', grey: '#8C8C8C' } as const;

/** Neutral card text -> DingTalk markdown: tone spans become <font color>. */
export function markdown(text: string): string {
  return toneSpans(text, (t, inner) => `<font color=${TONE_COLOURS[t]}>${inner}</font>`);
}

/**
 * The command whose card a button belongs to: the page of that command shows the same card with
 * working buttons. Keyed by the capability prefix of action ids; null for actions without a command.
 */
export function purposeOf(action: ActionRef): string | null {
  const id = action.id;
  const args = action.args ?? {};
  if (id === 'pledge.wall') return null;
  if (id.startsWith('pledge.')) return args.o === 'branch' ? '承诺 支部' : '承诺';
  if (id === 'assess.check') return '自评 支部';
  if (id === 'assess.reviews' || (id.startsWith('assess.') && args.m)) return '自评 复评';
  if (id.startsWith('assess.')) return '自评';
  if (id === 'declare.confirm') return '申报 确认';
  if (id.startsWith('declare.')) return '申报';
  if (id === 'commend.vote') return '表彰 表决';
  if (id.startsWith('review.leader')) return '评议 点评';
  if (id.startsWith('review.')) return '评议';
  if (id.startsWith('posts.')) return args.d ? `示范岗 撤销 #${args.d}` : '示范岗';
  return null;
}

/** DingTalk opens this in its in-app browser (a side panel on desktop). */
export function inAppUrl(url: string): string {
  return /^https?:\/\//.test(url) ? `dingtalk://dingtalkclient/page/link?url=${encodeURIComponent(url)}&pc_slide=true` : url;
}

interface Out {
  lines: string[];
  buttons: Array<{ title: string; url: string }>;
}

/** A callback button: the personal page of its command, else a hint to send the command. */
function actionButton(b: Button, out: Out, opts: RenderOptions, seen: Set<string>): void {
  const purpose = purposeOf(b.action);
  if (!purpose) {
    // No command shows it: in a direct chat the button alone opens as the person's page.
    if (opts.personalLink) out.buttons.push({ title: b.label, url: inAppUrl(opts.personalLink(buttonPurpose(b))) });
    else out.lines.push(`<font color=${TONE_COLOURS.grey}>（「${b.label}」在钉钉消息中无法直接操作）</font>`);
    return;
  }
  if (opts.personalLink) {
    // Several buttons of one command open the same page: one button for them.
    if (seen.has(purpose)) return;
    seen.add(purpose);
    out.buttons.push({ title: b.label, url: inAppUrl(opts.personalLink(purpose)) });
    return;
  }
  const hint = `/${purpose}`;
  if (seen.has(hint)) return;
  seen.add(hint);
  out.lines.push(
    opts.direct ? `👉 ${b.label}：请联系管理员开启网页填写（钉钉消息中无法直接填写表单）` : `👉 ${b.label}：请 @我 发送 **${hint}**，表单将私聊发给您`,
  );
}

/** A form opens as the page of its command; a form of no command cannot be filled from DingTalk. */
function formButton(b: FormBlock, out: Out, opts: RenderOptions, seen: Set<string>): void {
  if (!purposeOf(b.submit.action)) {
    out.lines.push(`<font color=${TONE_COLOURS.grey}>（此表单在钉钉消息中无法填写）</font>`);
    return;
  }
  actionButton({ ...b.submit, label: opts.personalLink ? '打开网页填写' : b.submit.label }, out, opts, seen);
}

function chartLines(b: Extract<Block, { type: 'chart' }>): string[] {
  const max = Math.max(0, ...b.bars.map((bar) => bar.value));
  const bar = (value: number) => (max > 0 && value > 0 ? ` ${'▇'.repeat(Math.max(1, Math.round((value / max) * 10)))}` : '');
  return [`**${b.title}**`, ...b.bars.map((x) => `- ${x.label}：${x.value}${bar(x.value)}`)];
}

function block(b: Block, out: Out, opts: RenderOptions, seen: Set<string>): void {
  switch (b.type) {
    case 'markdown':
      out.lines.push(markdown(b.text));
      return;
    case 'divider':
      out.lines.push('---');
      return;
    case 'note':
      out.lines.push(`<font color=${TONE_COLOURS.grey}>${markdown(b.text)}</font>`);
      return;
    case 'fields':
      out.lines.push(b.fields.map((f) => `**${f.label}**：${markdown(f.value)}`).join('\n\n'));
      return;
    case 'chart':
      out.lines.push(chartLines(b).join('\n'));
      return;
    case 'links':
      for (const l of b.links) out.buttons.push({ title: l.label, url: inAppUrl(l.url) });
      return;
    case 'actions':
      for (const btn of b.buttons) actionButton(btn, out, opts, seen);
      return;
    case 'form':
      out.lines.push(b.sections.map((s) => `- ${markdown(s.heading)}`).join('\n'));
      formButton(b, out, opts, seen);
      return;
  }
}

/** A card laid out for DingTalk: its markdown body (title apart) and its link buttons. */
function layout(card: CardModel, opts: RenderOptions): { body: string[]; buttons: Array<{ title: string; url: string }> } {
  const out: Out = { lines: [], buttons: [] };
  const seen = new Set<string>();
  if (card.sensitive) {
    // One person's anonymous answers never travel through the chat platform: only the way to the page.
    out.lines.push('内容仅本人可见，请在网页中查看和填写。');
    for (const b of card.blocks) {
      if (b.type === 'form') formButton(b, out, opts, seen);
      if (b.type === 'actions') for (const btn of b.buttons) actionButton(btn, out, opts, seen);
    }
  } else {
    for (const b of card.blocks) block(b, out, opts, seen);
  }
  const subtitle = card.subtitle ? [`<font color=${TONE_COLOURS.grey}>${card.subtitle}</font>`] : [];
  return { body: [...subtitle, ...out.lines].filter(Boolean), buttons: out.buttons };
}

/** The whole message: sampleMarkdown without buttons, sampleActionCard(N) with them. */
export function renderDingTalk(card: CardModel, opts: RenderOptions): DingTalkMessage {
  const { body, buttons: all } = layout(card, opts);
  const overflow = all.slice(MAX_BUTTONS);
  const buttons = all.slice(0, MAX_BUTTONS);
  const text = [`### ${card.title}`, ...body, ...overflow.map((b) => `[${b.title}](${b.url})`)].join('\n\n');
  const title = card.title;
  if (buttons.length === 0) return { msgKey: 'sampleMarkdown', msgParam: { title, text } };
  if (buttons.length === 1) return { msgKey: 'sampleActionCard', msgParam: { title, text, singleTitle: buttons[0]!.title, singleURL: buttons[0]!.url } };
  const param: Record<string, string> = { title, text };
  buttons.forEach((b, i) => {
    param[`actionTitle${i + 1}`] = b.title;
    param[`actionURL${i + 1}`] = b.url;
  });
  return { msgKey: `sampleActionCard${buttons.length}`, msgParam: param };
}

/**
 * The card as the robot's interactive card with DingTalk's built-in "StandardCard" template: its
 * cardData is free JSON (header, markdown, divider, buttons that open links), needs no template made
 * in the card console, and the card can be updated in place by its cardBizId.
 */
export function renderStandardCard(card: CardModel, opts: RenderOptions): StandardCardData {
  const { body, buttons } = layout(card, opts);
  const contents: StandardCardData['contents'] = [{ type: 'markdown', text: body.join('\n\n') || ' ', id: 'body' }];
  if (buttons.length > 0) {
    contents.push({
      type: 'action',
      id: 'actions',
      actions: buttons.map((b, i) => ({
        type: 'button',
        id: `button_${i + 1}`,
        label: { type: 'text', text: b.title, id: `label_${i + 1}` },
        actionType: 'openLink',
        url: { all: b.url },
        status: i === 0 ? 'primary' : 'normal',
      })),
    });
  }
  return { config: { autoLayout: true, enableForward: true }, header: { title: { type: 'text', text: card.title } }, contents };
}

export interface StandardCardData {
  config: { autoLayout: boolean; enableForward: boolean };
  header: { title: { type: 'text'; text: string } };
  contents: Array<
    | { type: 'markdown'; text: string; id: string }
    | {
        type: 'action';
        id: string;
        actions: Array<{
          type: 'button';
          id: string;
          label: { type: 'text'; text: string; id: string };
          actionType: 'openLink';
          url: { all: string };
          status: string;
        }>;
      }
  >;
}

/** Plain text as DingTalk's text message. */
export function renderText(text: string): DingTalkMessage {
  return { msgKey: 'sampleText', msgParam: { content: text } };
}
