// The sandbox: pick who you are, open a branch group or your direct chat with the bot, type
// commands, press the cards' buttons, and move the sandbox clock to see reminders arrive.
import type { CardModel } from '../../../../cards/model.js';
import type { MessageContent } from '../../../types.js';
import type { WebMessage } from '../api.js';
import { type CardPost, CardView } from '../render.js';
import { BRANCHES, COMMITTEE, type DemoPerson } from '../sandbox/demo-org.js';
import { Layout } from './layout.js';

export interface ChatTab {
  chatId: string;
  label: string;
}

export interface SandboxView {
  me: DemoPerson | null;
  chats: ChatTab[];
  chatId: string | null;
  messages: WebMessage[];
  names: Map<string, string>;
  csrf: string;
  clock: string;
  flash: string | null;
  version: string;
  links: Array<{ label: string; url: string }>;
  /** Signs the actions of one message's card (they may be posted back only from it). */
  signer(messageId: number): CardPost['sign'];
}

const POLL = `
(() => {
  const feed = document.querySelector('[data-version]');
  if (!feed) return;
  let dirty = false;
  document.addEventListener('input', () => { dirty = true; });
  const last = feed.lastElementChild;
  if (last && !location.hash) last.scrollIntoView({ block: 'end' });
  setInterval(async () => {
    if (dirty || document.activeElement?.closest('form')) return;
    try {
      const res = await fetch('/sandbox/version?chat=' + encodeURIComponent(feed.dataset.chat), { credentials: 'same-origin' });
      if (!res.ok) return;
      const { version } = await res.json();
      if (version !== feed.dataset.version) location.reload();
    } catch {}
  }, 1500);
})();
`;

function Who({ me, csrf }: { me: DemoPerson | null; csrf: string }) {
  const groups: Array<{ label: string; people: DemoPerson[] }> = [
    { label: '党委', people: COMMITTEE },
    ...BRANCHES.map((b) => ({ label: `${b.name}（${b.unit}）`, people: b.people })),
  ];
  const roleOf = (p: DemoPerson) => (p.role === 'committee' ? '党委委员·管理员' : p.role === 'secretary' ? '支部书记' : '党员');
  return (
    <form method="post" action="/sandbox/who">
      <input type="hidden" name="_csrf" value={csrf} />
      <label for="who">
        <strong>我是谁</strong>
      </label>
      <select id="who" name="person" onchange="this.form.submit()">
        {me ? null : <option value="">请选择一位演示人员</option>}
        {groups.map((g) => (
          <optgroup label={g.label}>
            {g.people.map((p) => (
              <option value={p.id} selected={p.id === me?.id}>
                {p.name}（{roleOf(p)}）
              </option>
            ))}
          </optgroup>
        ))}
      </select>
      <noscript>
        <button class="btn" type="submit">
          切换
        </button>
      </noscript>
    </form>
  );
}

function TimeControls({ csrf, clock }: { csrf: string; clock: string }) {
  const op = (value: string, label: string) => (
    <form method="post" action="/sandbox/time">
      <input type="hidden" name="_csrf" value={csrf} />
      <input type="hidden" name="op" value={value} />
      <button class="btn" type="submit">
        {label}
      </button>
    </form>
  );
  return (
    <section class="time" aria-label="时间">
      <h2>时间</h2>
      <p class="hint">沙盒时间：{clock}。调整后立即运行一次定时任务，提醒会出现在它们本该出现的地方。</p>
      {op('next-phase', '下一阶段')}
      {op('plus-day', '+1 天')}
      {op('nine', '到 09:00')}
      <form method="post" action="/sandbox/time">
        <input type="hidden" name="_csrf" value={csrf} />
        <input type="hidden" name="op" value="set" />
        <input type="datetime-local" name="at" aria-label="设为指定时间" required />
        <button class="btn" type="submit">
          设为
        </button>
      </form>
    </section>
  );
}

function Content({ m, csrf, signer }: { m: WebMessage; csrf: string; signer: SandboxView['signer'] }) {
  const content = m.content as MessageContent;
  if (content.kind === 'text') return <div class="bubble">{content.text}</div>;
  return (
    <CardView
      card={content.card as CardModel}
      post={{ url: '/sandbox/act', hidden: { _csrf: csrf, _chat: m.chatId, _m: String(m.id), _n: crypto.randomUUID() }, sign: signer(m.id) }}
    />
  );
}

export function SandboxPage({ view }: { view: SandboxView }) {
  const { me } = view;
  return (
    <Layout title="党建助手 · 体验沙盒" script={POLL}>
      <header class="top">
        <h1>党建助手 · 体验沙盒</h1>
        <span class="clock">沙盒时间 {view.clock}</span>
      </header>
      <div class="layout">
        <aside class="side">
          {view.flash ? (
            <p class="flash" role="status">
              {view.flash}
            </p>
          ) : null}
          <Who me={me} csrf={view.csrf} />
          {me ? (
            <>
              <h2>会话</h2>
              <ul class="chats">
                {view.chats.map((t) => (
                  <li>
                    <a href={`/?chat=${encodeURIComponent(t.chatId)}`} class={t.chatId === view.chatId ? 'on' : ''}>
                      {t.label}
                    </a>
                  </li>
                ))}
              </ul>
              {view.links.length ? (
                <>
                  <h2>个人链接</h2>
                  <p class="hint">不在飞书或钉钉上的人可以用这样的签名链接在浏览器里填写（7 天内有效）。</p>
                  <ul>
                    {view.links.map((l) => (
                      <li>
                        <a href={l.url}>{l.label}</a>
                      </li>
                    ))}
                  </ul>
                </>
              ) : null}
            </>
          ) : null}
          <TimeControls csrf={view.csrf} clock={view.clock} />
          <form method="post" action="/sandbox/reset" onsubmit="return confirm('重置会清空沙盒中的所有数据并重新生成演示组织，确定吗？')">
            <input type="hidden" name="_csrf" value={view.csrf} />
            <button class="btn btn-danger" type="submit">
              重置
            </button>
          </form>
        </aside>
        <main class="main">
          {!me ? (
            <p>请先在左侧「我是谁」中选择一位演示人员：党委委员可以绑定支部、发起活动，支部书记可以查看进度，党员可以填写承诺。</p>
          ) : !view.chatId ? null : (
            <>
              <h2>{view.chats.find((t) => t.chatId === view.chatId)?.label}</h2>
              <div class="feed" data-chat={view.chatId} data-version={view.version}>
                {view.messages.length === 0 ? <p class="hint">还没有消息。发送 /帮助 看看我能做什么。</p> : null}
                {view.messages.map((m) => (
                  <div class={`msg${m.fromUser === me.id ? ' mine' : ''}`} id={`m${m.id}`}>
                    <div class="who">{m.fromUser ? (view.names.get(m.fromUser) ?? m.fromUser) : '党建助手'}</div>
                    <Content m={m} csrf={view.csrf} signer={view.signer} />
                  </div>
                ))}
              </div>
              <form method="post" action="/sandbox/say" class="say">
                <input type="hidden" name="_csrf" value={view.csrf} />
                <input type="hidden" name="chat" value={view.chatId} />
                <input type="hidden" name="_n" value={crypto.randomUUID()} />
                <input type="text" name="text" placeholder="输入 /帮助、/承诺 …" aria-label="消息" maxlength={500} required autocomplete="off" />
                <button class="btn btn-primary" type="submit">
                  发送
                </button>
              </form>
            </>
          )}
        </main>
      </div>
    </Layout>
  );
}
