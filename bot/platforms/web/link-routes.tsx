// GET/POST /p/<token>: a personal card opened from a signed link. The GET runs the link's command
// as its person and shows the card; a post is that card's action. A bad or expired link gets a
// Chinese page and a 403, and nothing is written.
import type { Context, Hono } from 'hono';
import { handleEvent } from '../../dispatch.js';
import type { AdapterHost } from '../../platform.js';
import type { CardModel } from '../../../cards/model.js';
import type { CommandEvent, Reply } from '../../types.js';
import { cardAction, textFields, WebRefusal, type PostedBody } from './form-post.js';
import { cardActionEvent } from './incoming.js';
import { readLinkToken, type PersonalLink } from './links.js';
import { LinkPage } from './pages/link-page.js';
import { checkPost, csrfToken } from './session.js';

export interface LinkDeps {
  host: AdapterHost;
  secret: string | null;
  body(c: Context): Promise<PostedBody>;
}

function linkOf(d: LinkDeps, token: string): PersonalLink {
  if (!d.secret) throw new WebRefusal(503, '网页填写未开启', '管理员尚未配置网页链接（WEB_LINK_SECRET），请在聊天中使用机器人。');
  const check = readLinkToken(d.secret, token, d.host.clock.now());
  if (!check.ok) {
    throw check.reason === 'expired'
      ? new WebRefusal(403, '链接已过期', '这个链接已过期，请在聊天中重新获取。')
      : new WebRefusal(403, '链接无效', '这个链接无效或被改动过，请使用机器人发给您的原始链接。');
  }
  if (!d.host.dispatch?.adapters.get(check.link.platform)?.api) {
    throw new WebRefusal(503, '暂不可用', '这个链接所属的平台尚未配置，请联系管理员。');
  }
  return check.link;
}

function page(c: Context, d: LinkDeps, token: string, reply: Reply | null, card: CardModel | null) {
  const notice = reply?.toast?.text ?? null;
  const text = !reply?.card && !notice ? (reply?.text ?? null) : null;
  return c.html(
    <LinkPage
      card={reply?.card ?? card}
      text={text}
      notice={notice}
      post={{ url: `/p/${token}`, csrf: csrfToken(d.secret!, `link:${token}`), nonce: crypto.randomUUID() }}
    />,
  );
}

export function mountLinks(app: Hono, d: LinkDeps): void {
  app.get('/p/:token', async (c) => {
    const token = c.req.param('token');
    const link = linkOf(d, token);
    const event: CommandEvent = {
      kind: 'command',
      eventId: `link-${crypto.randomUUID()}`,
      platform: link.platform,
      tenantKey: link.tenantKey,
      chatId: `link:${link.userId}`,
      chatType: 'p2p',
      userId: link.userId,
      messageId: '',
      name: link.purpose,
      args: [],
      mentions: [],
    };
    return page(c, d, token, await handleEvent(d.host.dispatch!, event, d.host.defer(c), { inline: true }), null);
  });

  app.post('/p/:token', async (c) => {
    const token = c.req.param('token');
    const link = linkOf(d, token);
    const fields = textFields(await d.body(c));
    checkPost(c, d.secret!, `link:${token}`, fields._csrf);
    const { action, formValue } = cardAction(fields);
    const nonce = fields._n ?? '';
    if (!/^[0-9a-f-]{36}$/.test(nonce)) throw new WebRefusal(400, '提交的内容无法处理', '表单缺少编号，请刷新页面后重新提交。');
    const event = cardActionEvent({
      // One id per rendered form: the same form posted twice (a double click, the back button) is processed once.
      eventId: `link-act-${nonce}`,
      platform: link.platform,
      tenantKey: link.tenantKey,
      chatId: `link:${link.userId}`,
      userId: link.userId,
      messageId: '',
      action,
      formValue,
      lateHandle: null,
    });
    const reply = await handleEvent(d.host.dispatch!, event, d.host.defer(c));
    if (!reply) throw new WebRefusal(409, '已经提交过了', '这份表单已经提交并处理过，无需重复提交。请重新打开链接查看最新内容。');
    return page(c, d, token, reply, null);
  });
}
