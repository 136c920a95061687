// GET/POST /p/<token>: a personal card opened from a signed link. The GET runs the link's command
// as its person and shows the card; a post is one of that card's own actions (signed into the page).
// A bad or expired link gets a Chinese page and a 403, and nothing is written.
import type { Context, Hono } from 'hono';
import { handleEvent } from '../../dispatch.js';
import type { AdapterHost } from '../../platform.js';
import type { CommandEvent, Reply } from '../../types.js';
import { cardAction, textFields, WebRefusal, type PostedBody } from './form-post.js';
import { cardActionEvent } from './incoming.js';
import { readButtonPurpose, readLinkToken, type PersonalLink } from './links.js';
import { LinkPage } from './pages/link-page.js';
import { checkPost, csrfToken } from './session.js';
import { actionSignature, verifySigned } from './sign.js';

export interface LinkDeps {
  host: AdapterHost;
  secret: string | null;
  publicUrl: string | null;
  body(c: Context): Promise<PostedBody>;
}

/** A page waits for its answer longer than a chat platform's callback. */
const PAGE_ACK_MS = 8_000;

function linkOf(d: LinkDeps, token: string): PersonalLink {
  if (!d.secret) throw new WebRefusal(503, '网页填写未开启', '管理员尚未配置网页链接（WEB_LINK_SECRET），请在聊天中使用机器人。');
  const check = readLinkToken(d.secret, token, d.host.clock.now());
  if (!check.ok) {
    throw check.reason === 'expired'
      ? new WebRefusal(403, '链接已过期', '这个链接已过期，请在聊天中重新获取。')
      : new WebRefusal(403, '链接无效', '这个链接无效或被改动过，请使用机器人发给您的原始链接。');
  }
  if (!d.host.dispatch || !d.host.dispatch.adapters.get(check.link.platform)?.api) {
    throw new WebRefusal(503, '暂不可用', '这个链接所属的平台尚未配置，请联系管理员。');
  }
  return check.link;
}

/** Runs the link's command as its person and returns the card it answers with. */
function openCard(d: LinkDeps, c: Context, link: PersonalLink): Promise<Reply | null> {
  // A one-button link shows that button (nothing runs until it is pressed).
  const button = readButtonPurpose(link.purpose);
  if (button) {
    return Promise.resolve({
      card: {
        title: button.label,
        blocks: [
          { type: 'note', text: '请点击下面的按钮完成操作。' },
          { type: 'actions', buttons: [{ ...button, style: 'primary' }] },
        ],
      },
    });
  }
  // A purpose may name a subcommand too ("评议 点评").
  const [name = '', ...args] = link.purpose.split(' ');
  const event: CommandEvent = {
    kind: 'command',
    eventId: `link-${crypto.randomUUID()}`,
    platform: link.platform,
    tenantKey: link.tenantKey,
    chatId: `link:${link.userId}`,
    chatType: 'p2p',
    userId: link.userId,
    // No chat message to answer: the page shows the answer.
    messageId: '',
    name,
    args,
    mentions: [],
  };
  return handleEvent(d.host.dispatch!, event, d.host.defer(c), { inline: true });
}

function page(c: Context, d: LinkDeps, token: string, shown: Reply | null, notice: string | null) {
  const secret = d.secret!;
  const scope = `link:${token}`;
  const text = !shown?.card && !notice ? (shown?.text ?? null) : null;
  return c.html(
    <LinkPage
      card={shown?.card ?? null}
      text={text}
      notice={notice}
      post={{
        url: `/p/${token}`,
        csrf: csrfToken(secret, scope),
        nonce: crypto.randomUUID(),
        sign: (id, v, args) => actionSignature(secret, scope, id, v, args),
      }}
    />,
  );
}

export function mountLinks(app: Hono, d: LinkDeps): void {
  app.get('/p/:token', async (c) => {
    const token = c.req.param('token');
    const link = linkOf(d, token);
    return page(c, d, token, await openCard(d, c, link), null);
  });

  app.post('/p/:token', async (c) => {
    const token = c.req.param('token');
    const link = linkOf(d, token);
    const secret = d.secret!;
    const scope = `link:${token}`;
    const fields = textFields(await d.body(c));
    checkPost(c, secret, scope, fields._csrf, d.publicUrl);
    const { action, formValue } = cardAction(fields, (id, v, args, signature) => verifySigned(secret, 'action', `${scope}\n${id}\n${v}\n${args}`, signature));
    const nonce = fields._n ?? '';
    if (!/^[0-9a-f-]{36}$/.test(nonce)) throw new WebRefusal(400, '提交的内容无法处理', '表单缺少编号，请刷新页面后重新提交。');
    const event = cardActionEvent({
      // One id per rendered form and action: the same form posted twice (a double click, the back button) is processed once.
      eventId: `link-act-${nonce}-${(fields._sig ?? '').slice(0, 16)}`,
      platform: link.platform,
      tenantKey: link.tenantKey,
      chatId: `link:${link.userId}`,
      userId: link.userId,
      messageId: '',
      action,
      formValue,
      lateHandle: null,
    });
    const reply = await handleEvent(d.host.dispatch!, event, d.host.defer(c), { ackBudgetMs: PAGE_ACK_MS });
    if (!reply) throw new WebRefusal(409, '已经提交过了', '这份表单已经提交并处理过，无需重复提交。请重新打开链接查看最新内容。');
    // A refusal shown as a toast leaves the card as it was: show the person's current card under it.
    const shown = reply.card ? reply : ((await openCard(d, c, link)) ?? reply);
    return page(c, d, token, shown, reply.toast?.text ?? (reply.card ? null : (reply.text ?? null)));
  });
}
