// The sandbox's routes: the page at "/", who-am-I, typing, card posts, the clock and the reset.
// Every post carries the session's CSRF token; a post that fails its checks writes nothing.
import type { Context, Hono } from 'hono';
import { handleEvent } from '../../../dispatch.js';
import type { AdapterHost } from '../../../platform.js';
import { formatLocal, localParts } from '../../../time.js';
import type { Reply } from '../../../types.js';
import type { AdjustableClock } from '../../../clock.js';
import type { WebApi } from '../api.js';
import { directChatOf, directChatUser } from '../chats.js';
import { cardAction, textFields, WebRefusal, type PostedBody } from '../form-post.js';
import { cardActionEvent, typedEvent } from '../incoming.js';
import { linkToken } from '../links.js';
import { SandboxPage } from '../pages/sandbox-page.js';
import { checkPost, csrfToken, knownVisitor, readSession, setFlash, startSession, takeFlash, type Session, visitorNonce } from '../session.js';
import { actionSignature, verifySigned } from '../sign.js';
import { demoPerson, DEMO_TENANT, EVERYONE, groupMembers, groupsOf } from './demo-org.js';
import { moveClock } from './clock-control.js';
import { isSeeded, seedDemo, wipeSandbox } from './seed.js';

export interface SandboxDeps {
  host: AdapterHost;
  api: WebApi;
  secret: string;
  clock: AdjustableClock;
  /** Parses the posted body within the body limit. */
  body(c: Context): Promise<PostedBody>;
  publicUrl: string | null;
}

const LINK_DAYS = 7;
const PURPOSES = [
  { purpose: '承诺', label: '我的承诺（网页）' },
  { purpose: '自评', label: '我的自评（网页）' },
];

function chatsOf(personId: string): Array<{ chatId: string; label: string }> {
  return [{ chatId: directChatOf(personId), label: '与党建助手的单聊' }, ...groupsOf(personId).map((b) => ({ chatId: b.chatId, label: `${b.name}群` }))];
}

function requireSession(c: Context, d: SandboxDeps): Session {
  const s = readSession(c, d.secret);
  if (!s || !demoPerson(s.userId)) throw new WebRefusal(403, '请先选择身份', '请回到沙盒首页，在「我是谁」中选择一位演示人员。');
  return s;
}

function requireChat(personId: string, chatId: string | undefined): string {
  if (!chatId || !chatsOf(personId).some((t) => t.chatId === chatId)) throw new WebRefusal(403, '无权查看这个会话', '您不在这个群里。请从左侧的会话列表进入。');
  return chatId;
}

/** The CSRF scope of this browser: its session, else its visitor id (a post without either is refused). */
function csrfScope(c: Context, session: Session | null): string {
  if (session) return session.nonce;
  const visitor = knownVisitor(c);
  if (!visitor) throw new WebRefusal(403, '页面已过期', '页面已过期或不是从本站打开的，请刷新页面后重新提交。');
  return `visitor:${visitor}`;
}

/** The posted fields, once the session's (or the visitor's) CSRF token checks out. */
async function postedFields(c: Context, d: SandboxDeps, session: Session | null): Promise<Record<string, string>> {
  const fields = textFields(await d.body(c));
  checkPost(c, d.secret, csrfScope(c, session), fields._csrf, d.publicUrl);
  return fields;
}

const NONCE = /^[0-9a-f-]{36}$/;

function formNonce(fields: Record<string, string>): string {
  const nonce = fields._n ?? '';
  if (!NONCE.test(nonce)) throw new WebRefusal(400, '提交的内容无法处理', '表单缺少编号，请刷新页面后重新提交。');
  return nonce;
}

const back = (c: Context, chatId: string | null) => c.redirect(chatId ? `/?chat=${encodeURIComponent(chatId)}` : '/', 303);

function toastOf(reply: Reply | null): string | null {
  return reply?.toast?.text ?? (reply && !reply.card ? (reply.text ?? null) : null);
}

export function mountSandbox(app: Hono, d: SandboxDeps): void {
  const { host, api } = d;
  // One post at a time: a reset must not cross an event, a tick or another reset.
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T,>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work, work);
    queue = run.catch(() => undefined);
    return run;
  };
  const cardScope = (messageId: number) => `card:${messageId}`;
  const signer = (messageId: number) => (id: string, v: string, args: string) => actionSignature(d.secret, cardScope(messageId), id, v, args);
  let seeded = false;
  /** The demo is built at the first visit of an empty sandbox (and again after a reset); callers run it serially. */
  const ensureSeeded = async (): Promise<void> => {
    if (seeded) return;
    if (!(await isSeeded(host))) {
      // Built at night, the demo's announcements would wait for the morning: start its day at 09:00.
      const { hour } = localParts(d.clock.now(), host.config.timezone);
      if (hour < 8 || hour >= 22) await moveClock({ host, clock: d.clock }, 'nine', undefined, false);
      await seedDemo(host);
    }
    seeded = true;
  };

  app.get('/', async (c) => {
    await serially(ensureSeeded);
    const session = readSession(c, d.secret);
    const me = session ? (demoPerson(session.userId) ?? null) : null;
    const scope = session ? session.nonce : `visitor:${visitorNonce(c)}`;
    const tabs = me ? chatsOf(me.id) : [];
    const wanted = c.req.query('chat');
    const chatId = me ? (tabs.find((t) => t.chatId === wanted)?.chatId ?? tabs[0]!.chatId) : null;
    const messages = chatId ? await api.chat(chatId) : [];
    const links = me
      ? PURPOSES.map((p) => ({
          label: p.label,
          url: `/p/${linkToken(d.secret, { platform: 'web', tenantKey: DEMO_TENANT, userId: me.id, purpose: p.purpose, expiresAt: new Date(d.clock.now().getTime() + LINK_DAYS * 86_400_000) })}`,
        }))
      : [];
    return c.html(
      <SandboxPage
        view={{
          me,
          chats: tabs,
          chatId,
          messages,
          names: new Map(EVERYONE.map((p) => [p.id, p.name])),
          csrf: csrfToken(d.secret, scope),
          clock: formatLocal(d.clock.now(), host.config.timezone),
          flash: takeFlash(c),
          version: chatId ? await api.version(chatId) : '',
          links,
          signer,
        }}
      />,
    );
  });

  app.get('/sandbox/version', async (c) => {
    const session = requireSession(c, d);
    const chatId = requireChat(session.userId, c.req.query('chat'));
    return c.json({ version: await api.version(chatId) });
  });

  app.post('/sandbox/who', async (c) => {
    const session = readSession(c, d.secret);
    const fields = await postedFields(c, d, session);
    const person = demoPerson(fields.person ?? '');
    if (!person) throw new WebRefusal(400, '没有这个人', '请从「我是谁」的列表中选择一位演示人员。');
    startSession(c, d.secret, person.id);
    return back(c, directChatOf(person.id));
  });

  app.post('/sandbox/say', async (c) => {
    const session = requireSession(c, d);
    const fields = await postedFields(c, d, session);
    const chatId = requireChat(session.userId, fields.chat);
    const text = (fields.text ?? '').trim();
    if (!text) throw new WebRefusal(400, '消息是空的', '请输入内容后再发送，例如 /帮助。');
    if (text.length > 500) throw new WebRefusal(400, '消息太长', '一条消息最多 500 字。');
    if (!host.dispatch) throw new WebRefusal(503, '沙盒暂不可用', '请稍后再试。');
    const dispatch = host.dispatch;
    const direct = directChatUser(chatId) !== null;
    const nonce = formNonce(fields);
    await serially(async () => {
      // The same form posted twice is one message and one command.
      const { messageId, fresh } = await api.typed(chatId, session.userId, text, `typed:${nonce}`);
      if (!fresh) return;
      const people = direct ? [] : groupMembers(chatId).map((p) => ({ userId: p.id, name: p.name }));
      const event = typedEvent({ eventId: `web-${messageId}`, tenantKey: DEMO_TENANT, chatId, userId: session.userId, messageId, direct, text, people });
      await handleEvent(dispatch, event, host.defer(c));
      // The answer goes out through the outbox; show the page once it is there.
      await host.idle(3_000);
    });
    return back(c, chatId);
  });

  app.post('/sandbox/act', async (c) => {
    const session = requireSession(c, d);
    const fields = await postedFields(c, d, session);
    const chatId = requireChat(session.userId, fields._chat);
    const gone = new WebRefusal(400, '卡片不存在', '这张卡片已不在会话中，请重新发送命令获取新卡片。');
    const messageNo = Number(fields._m);
    if (!Number.isSafeInteger(messageNo) || messageNo < 1) throw gone;
    const message = await api.message(messageNo);
    if (!message || message.chatId !== chatId || message.content.kind !== 'card') throw gone;
    const { action, formValue } = cardAction(fields, (id, v, args, signature) =>
      verifySigned(d.secret, 'action', `${cardScope(message.id)}\n${id}\n${v}\n${args}`, signature),
    );
    if (!host.dispatch) throw new WebRefusal(503, '沙盒暂不可用', '请稍后再试。');
    const dispatch = host.dispatch;
    const nonce = formNonce(fields);
    const event = cardActionEvent({
      // One id per rendered form and action: posted twice (a double click, the back button), it is processed once.
      eventId: `web-act-${message.id}-${(fields._sig ?? '').slice(0, 16)}-${nonce}`,
      platform: 'web',
      tenantKey: DEMO_TENANT,
      chatId,
      userId: session.userId,
      messageId: String(message.id),
      action,
      formValue,
      lateHandle: String(message.id),
    });
    const reply = await serially(async () => {
      const answer = await handleEvent(dispatch, event, host.defer(c));
      if (answer?.card) await api.updateCard(String(message.id), answer.card);
      await host.idle(3_000);
      return answer;
    });
    if (!reply) throw new WebRefusal(409, '已经提交过了', '这张卡片的这次操作已经处理过，无需重复提交。');
    const toast = toastOf(reply);
    if (toast) setFlash(c, toast);
    return c.redirect(`/?chat=${encodeURIComponent(chatId)}#m${message.id}`, 303);
  });

  app.post('/sandbox/time', async (c) => {
    const session = readSession(c, d.secret);
    const fields = await postedFields(c, d, session);
    setFlash(c, await serially(() => moveClock({ host, clock: d.clock }, fields.op ?? '', fields.at)));
    return back(c, c.req.query('chat') ?? null);
  });

  app.post('/sandbox/reset', async (c) => {
    const session = readSession(c, d.secret);
    await postedFields(c, d, session);
    await serially(async () => {
      await host.idle(5_000);
      await wipeSandbox(host);
      seeded = false;
      api.forget();
      d.clock.reset();
      await ensureSeeded();
    });
    setFlash(c, '沙盒已重置：演示组织和活动已重新生成。');
    return back(c, null);
  });
}
