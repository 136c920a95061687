// The capability suite on DingTalk's terms: every message the bot sends is rendered by the DingTalk
// renderer as the adapter would send it (a personal page link per person in a 1:1 chat, command hints
// in a group) and checked against what DingTalk accepts and what a member needs to act on it.
import { purposeOf, renderDingTalk, renderStandardCard, renderText, type DingTalkMessage } from '../../bot/platforms/dingtalk/render.js';
import { LINK_DAYS } from '../../bot/platforms/dingtalk/adapter.js';
import { MSG_PARAM_BYTES } from '../../bot/platforms/dingtalk/robot-messages.js';
import { buttonPurpose, linkToken, readButtonPurpose, readLinkToken } from '../../bot/platforms/web/links.js';
import { findAction, findCommand } from '../../bot/registry.js';
import type { MessageContent } from '../../bot/types.js';
import type { ActionRef, Button, CardModel } from '../../cards/model.js';
import { defaultRegistry } from '../../handlers/index.js';

const PUBLIC_URL = 'https://bot.example.edu.cn';
const LINK_SECRET = 'capability-suite-dingtalk-link-secret-0123456789';

export interface DtCheckContext {
  platform: string;
  tenantKey: string;
  now(): Date;
}

/** Where a message goes on DingTalk: a person (1:1 with the robot) or a group. */
export type DtConversation = { type: 'user' | 'chat'; id: string };

const ACTION_CARD_KEYS = new Set(['sampleActionCard', 'sampleActionCard2', 'sampleActionCard3', 'sampleActionCard4', 'sampleActionCard5']);

/** Buttons of the card that call back (plain buttons and form submits). */
function callbackButtons(card: CardModel): Button[] {
  return card.blocks.flatMap((b) => (b.type === 'actions' ? b.buttons : b.type === 'form' ? [b.submit] : []));
}

/** The buttons of a rendered message, by their DingTalk fields. */
function buttonsOf(m: DingTalkMessage): Array<{ title: string; url: string }> {
  const p = m.msgParam;
  if (m.msgKey === 'sampleActionCard') return [{ title: p.singleTitle ?? '', url: p.singleURL ?? '' }];
  const n = Number(/^sampleActionCard(\d)$/.exec(m.msgKey)?.[1] ?? 0);
  return Array.from({ length: n }, (_, i) => ({ title: p[`actionTitle${i + 1}`] ?? '', url: p[`actionURL${i + 1}`] ?? '' }));
}

/** The page a DingTalk link opens: an https URL, bare or inside DingTalk's in-app link. */
function pageOf(url: string): string | null {
  if (/^https:\/\//.test(url)) return url;
  const inApp = /^dingtalk:\/\/dingtalkclient\/page\/link\?url=([^&]+)&pc_slide=true$/.exec(url);
  if (!inApp) return null;
  const inner = decodeURIComponent(inApp[1]!);
  return /^https:\/\//.test(inner) ? inner : null;
}

const sameAction = (a: ActionRef, b: { id: string; v: number; args: Record<string, string> }) =>
  a.id === b.id && a.v === b.v && JSON.stringify(a.args ?? {}) === JSON.stringify(b.args);

function checkCard(to: DtConversation, card: CardModel, ctx: DtCheckContext): string[] {
  const problems: string[] = [];
  const direct = to.type === 'user';
  const who = { platform: ctx.platform, tenantKey: ctx.tenantKey, userId: to.id };
  const expiresAt = new Date(ctx.now().getTime() + LINK_DAYS * 86_400_000);
  const personalLink = direct ? (purpose: string) => `${PUBLIC_URL}/p/${linkToken(LINK_SECRET, { ...who, purpose, expiresAt })}` : null;
  const m = renderDingTalk(card, { personalLink, direct });
  const bytes = new TextEncoder().encode(JSON.stringify(m.msgParam)).length;
  if (bytes > MSG_PARAM_BYTES) problems.push(`msgParam is ${bytes} bytes, over DingTalk's limit (${MSG_PARAM_BYTES}): it would be cut`);
  if (card.updatable && !direct) {
    // Sent as an interactive card (StandardCard) with the same text and buttons: its cardData must fit too.
    const cardBytes = new TextEncoder().encode(JSON.stringify(renderStandardCard(card, { personalLink: null, direct: false }))).length;
    if (cardBytes > MSG_PARAM_BYTES) problems.push(`interactive cardData is ${cardBytes} bytes, over ${MSG_PARAM_BYTES}`);
  }
  if (m.msgKey !== 'sampleMarkdown' && !ACTION_CARD_KEYS.has(m.msgKey)) problems.push(`unknown msgKey ${m.msgKey}`);
  if (!m.msgParam.title?.trim() || !m.msgParam.text?.trim()) problems.push('empty title or text');
  const text = m.msgParam.text ?? '';
  const links = [...buttonsOf(m), ...[...text.matchAll(/\[([^\]]*)\]\(([^)\s]+)\)/g)].map((x) => ({ title: x[1]!, url: x[2]! }))];
  // Every link opens a page; a personal page is this person's and answers a command or a button of this card.
  const purposes: string[] = [];
  for (const l of links) {
    if (!l.title.trim()) problems.push(`a button without a title (${l.url})`);
    const page = pageOf(l.url);
    if (!page) {
      problems.push(`「${l.title}」: not a link DingTalk opens (${l.url})`);
      continue;
    }
    if (!page.startsWith(`${PUBLIC_URL}/p/`)) continue;
    const check = readLinkToken(LINK_SECRET, page.slice(`${PUBLIC_URL}/p/`.length), ctx.now());
    if (!check.ok) {
      problems.push(`「${l.title}」: personal link ${check.reason}`);
      continue;
    }
    const { link } = check;
    if (link.userId !== to.id || link.platform !== ctx.platform || link.tenantKey !== ctx.tenantKey)
      problems.push(`「${l.title}」: personal link of someone else`);
    purposes.push(link.purpose);
    const button = readButtonPurpose(link.purpose);
    if (button) {
      if (!findAction(defaultRegistry, button.action.id, button.action.v)) problems.push(`「${l.title}」: no handler for ${button.action.id}`);
      if (!callbackButtons(card).some((b) => sameAction(b.action, button.action))) problems.push(`「${l.title}」: a button that is not on the card`);
    } else if (!findCommand(defaultRegistry, link.purpose.split(' ')[0] ?? '')) {
      problems.push(`「${l.title}」: the page's command /${link.purpose} does not exist`);
    }
  }
  // Whatever the card lets a member do, DingTalk shows a way to do it: a page in 1:1, the command in a group.
  for (const b of callbackButtons(card)) {
    const purpose = purposeOf(b.action);
    if (direct) {
      const reachable = purpose ? purposes.includes(purpose) : purposes.includes(buttonPurpose(b));
      if (!reachable) problems.push(`「${b.label}」(${b.action.id}): no page link in the 1:1 message`);
    } else if (!purpose) {
      // No command shows this button's card: the card's own text must name the command that does it.
      const named = [...text.matchAll(/\/(\S+)/g)].some((x) => findCommand(defaultRegistry, x[1]!));
      if (!named && !/cancel$/.test(b.action.id))
        problems.push(`「${b.label}」(${b.action.id}): cannot be done from the group message, and it names no command`);
    } else if (!text.includes(`/${purpose}`) && !purposes.includes(purpose)) {
      problems.push(`「${b.label}」(${b.action.id}): the group message names no command for it`);
    } else if (purpose && !findCommand(defaultRegistry, purpose.split(' ')[0] ?? '')) {
      problems.push(`「${b.label}」(${b.action.id}): the hint's command /${purpose} does not exist`);
    }
  }
  for (const block of card.blocks) {
    // A chart becomes lines with the same numbers.
    if (block.type === 'chart' && !card.sensitive) {
      for (const bar of block.bars) if (!text.includes(`${bar.label}：${bar.value}`)) problems.push(`chart「${block.title}」lost ${bar.label} = ${bar.value}`);
    }
    // One person's anonymous answers never travel through DingTalk.
    if (card.sensitive && block.type === 'markdown' && block.text.length > 6 && text.includes(block.text))
      problems.push('a sensitive card shows its content in the chat');
  }
  return problems.map((p) => `${direct ? '1:1' : 'group'} 「${card.title}」: ${p}`);
}

/** What is wrong with a message as DingTalk would carry it (none: fine). */
export function dingTalkProblems(to: DtConversation, content: MessageContent, ctx: DtCheckContext): string[] {
  if (content.kind === 'card') return checkCard(to, content.card, ctx);
  const bytes = new TextEncoder().encode(JSON.stringify(renderText(content.text).msgParam)).length;
  return bytes > MSG_PARAM_BYTES ? [`text of ${bytes} bytes would be cut: ${content.text.slice(0, 40)}`] : [];
}
