// A whole bot over the neutral contract, for capability tests: real libSQL (temp file, real
// migrations), the real dispatch, inbox, outbox, engine and handlers, and a recording adapter whose
// sends are the CardModels the builders made. Any platform's adapter can run the same suite.
// CAPABILITY_PLATFORM=dingtalk (the vitest project "capabilities-dingtalk") runs it on DingTalk's terms:
// its card size limit and no late handle, and every message rendered by the DingTalk renderer and
// checked (tests/support/dingtalk-render-check.ts); a problem fails the test at close.
import { mkdtempSync, rmSync } from 'node:fs';
import { and, eq, inArray } from 'drizzle-orm';
import { expect } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dispatchDeps, type AppDeps } from '../../bot/app.js';
import { trackedBackground } from '../../bot/background.js';
import { fixedClock, type FixedClock } from '../../bot/clock.js';
import { parseConfig, type Config } from '../../bot/config.js';
import { parseCommandText } from '../../bot/command-text.js';
import { handleEvent } from '../../bot/dispatch.js';
import { newInstance } from '../../bot/instance.js';
import { memoryLogger } from '../../bot/log.js';
import { adapterMap, type PlatformAdapter, type PublicPages } from '../../bot/platform.js';
import { tickOnce } from '../../bot/runtime.js';
import type { TickResult } from '../../bot/schedule.js';
import { continuousSender } from '../../bot/sender.js';
import type {
  CardActionEvent,
  ChatMemberInfo,
  IncomingEvent,
  Mention,
  MessageContent,
  OutboxContent,
  PlatformApi,
  Recipient,
  Reply,
  ReplyTarget,
} from '../../bot/types.js';
import type { ActionRef, Block, CardModel, FormField } from '../../cards/model.js';
import type { Db } from '../../db/client.js';
import { openMigratedDatabase } from '../../db/open-node.js';
import { outbox, pledgeWalls } from '../../db/schema.js';
import { DINGTALK_LIMITS } from '../../bot/platforms/dingtalk/adapter.js';
import { dingTalkProblems, type DtConversation } from './dingtalk-render-check.js';
import { defaultRegistry } from '../../handlers/index.js';

export const PLATFORM = 'neutral';
export const TENANT = 't1';
/** The platform whose rendering and limits the suite runs under. */
export const PROFILE: 'neutral' | 'dingtalk' = process.env.CAPABILITY_PLATFORM === 'dingtalk' ? 'dingtalk' : 'neutral';

export interface Sent {
  via: 'send' | 'reply' | 'update' | 'late' | 'urgent';
  /** The chat or user it went to (for a reply: the chat; for an update: the message replaced; for urgent: the user rung). */
  to: string;
  content: MessageContent;
  messageId: string;
}

/** Looks at each message as a platform would carry it: where it goes (a person or a group), what. */
type Inspect = (to: DtConversation, content: MessageContent) => void;

/** The conversation of a reply: the harness's direct chats are "dm:<user>", a page's "link:<user>". */
function replyConversation(chatId: string): DtConversation {
  const user = /^(?:dm|link):(.+)$/.exec(chatId)?.[1];
  return user ? { type: 'user', id: user } : { type: 'chat', id: chatId };
}

class RecordingApi implements PlatformApi {
  readonly platform = PLATFORM;
  private next = 0;
  private readonly conversations = new Map<string, DtConversation>();
  constructor(
    /** Shared by every instance of one bot: what any of them sent. */
    readonly sent: Sent[],
    readonly members: Map<string, ChatMemberInfo[]>,
    private readonly prefix = 'm',
    private readonly inspect: Inspect | null = null,
  ) {}
  private record(via: 'send' | 'reply', to: DtConversation, recordedTo: string, content: MessageContent): { messageId: string } {
    const messageId = `${this.prefix}${++this.next}`;
    this.conversations.set(messageId, to);
    this.inspect?.(to, content);
    this.sent.push({ via, to: recordedTo, content, messageId });
    return { messageId };
  }
  async send(to: Recipient, content: MessageContent): Promise<{ messageId: string }> {
    return this.record('send', to, to.id, content);
  }
  async reply(to: ReplyTarget, content: MessageContent): Promise<{ messageId: string }> {
    return this.record('reply', replyConversation(to.chatId), to.chatId, content);
  }
  async updateCard(messageId: string, card: CardModel): Promise<void> {
    // A message sent by another instance of the same bot: its chat is unknown here, taken as a group's.
    this.inspect?.(this.conversations.get(messageId) ?? { type: 'chat', id: messageId }, { kind: 'card', card });
    this.sent.push({ via: 'update', to: messageId, content: { kind: 'card', card }, messageId });
  }
  async updateLate(handle: string, card: CardModel): Promise<void> {
    this.inspect?.(replyConversation(handle), { kind: 'card', card });
    this.sent.push({ via: 'late', to: handle, content: { kind: 'card', card }, messageId: handle });
  }
  async listChatMembers(chatId: string): Promise<ChatMemberInfo[]> {
    return this.members.get(chatId) ?? [];
  }
  /** An urgent notice: `messageId` is the message made urgent. */
  async urgent(messageId: string, userId: string): Promise<void> {
    this.sent.push({ via: 'urgent', to: userId, content: { kind: 'text', text: messageId }, messageId });
  }
}

function recordingAdapter(api: RecordingApi, pages?: PublicPages): PlatformAdapter {
  return {
    ...(pages ? { pages } : {}),
    id: PLATFORM,
    label: '测试',
    api,
    missing: [],
    ackBudgetMs: 2_500,
    // DingTalk: cards are opened and answered on web pages, whose events carry no late handle.
    lateHandleTtlMs: PROFILE === 'dingtalk' ? 0 : 25 * 60_000,
    limits: PROFILE === 'dingtalk' ? DINGTALK_LIMITS : { cardBytes: 30_000, updateWindowMs: 14 * 24 * 3600_000 },
    mentionToken: /^@\S+$/,
    production: false,
    mount: () => {},
    warnings: () => [],
  };
}

export interface Person {
  id: string;
  name: string;
}

export interface NeutralBot {
  db: Db;
  config: Config;
  clock: FixedClock;
  /** Everything the bot sent, in order. */
  sent: Sent[];
  logLines: string[];
  /** Who is in a group chat (what /同步 reads). */
  setChatMembers(chatId: string, people: Person[]): void;
  /** Types `text` in a chat (a group unless `direct`) and waits for what follows; returns the reply. */
  say(from: string, chatId: string, text: string, mentions?: Person[]): Promise<MessageContent | null>;
  sayPrivately(from: string, text: string): Promise<MessageContent | null>;
  /** Presses a card's button or submits its form; returns the callback's answer. */
  press(from: string, action: ActionRef, form?: Record<string, string>, chatId?: string): Promise<Reply>;
  /** Delivers one event as it is (e.g. the same event many times at once). */
  deliver(event: IncomingEvent): Promise<Reply | null>;
  /**
   * Another process over the same database (a restarted one, or a second instance as on a shared
   * libSQL server): its own instance, sender and caches; what it sends is recorded in `sent` too.
   */
  secondInstance(): { tick(): Promise<TickResult>; close(): Promise<void> };
  tick(): Promise<TickResult>;
  settle(): Promise<void>;
  close(): Promise<void>;
}

let seq = 0;

export async function startNeutralBot(opts: { admins?: string[]; now?: string; pages?: PublicPages } = {}): Promise<NeutralBot> {
  const dir = mkdtempSync(join(tmpdir(), 'neutral-'));
  const url = `file:${join(dir, 'bot.db')}`;
  const config = parseConfig({
    DATABASE_URL: url,
    BOT_ADMINS: (opts.admins ?? ['admin']).map((id) => `${PLATFORM}:${id}`).join(','),
    REVIEW_SECRET: 'neutral-review-secret',
  });
  const database = await openMigratedDatabase(url);
  const log = memoryLogger();
  const clock = fixedClock(opts.now ?? new Date().toISOString());
  const sent: Sent[] = [];
  const members = new Map<string, ChatMemberInfo[]>();
  const problems: string[] = [];
  const inspect: Inspect | null =
    PROFILE === 'dingtalk'
      ? (to, content) => problems.push(...dingTalkProblems(to, content, { platform: PLATFORM, tenantKey: TENANT, now: () => clock.now() }))
      : null;
  const api = new RecordingApi(sent, members, 'm', inspect);
  /** One process's deps over the bot's database. */
  const depsOf = (recorder: RecordingApi, name: string): AppDeps => {
    const instance = newInstance(name);
    const deps: AppDeps = {
      config,
      db: database.db,
      clock,
      log,
      adapters: adapterMap([recordingAdapter(recorder, opts.pages)]),
      background: trackedBackground(log),
      instance,
      sender: continuousSender({ db: database.db, log, apis: [recorder], instance, clock }),
      registry: defaultRegistry,
    };
    return deps;
  };
  const deps = depsOf(api, 'neutral');
  let others = 0;
  const dispatch = dispatchDeps(deps)!;
  const settle = async () => {
    for (let i = 0; i < 3; i++) {
      await deps.background.idle();
      await deps.sender!.idle();
    }
  };
  const deliver = async (event: IncomingEvent) => {
    const reply = await handleEvent(dispatch, event, deps.background.defer);
    await settle();
    return reply;
  };
  const say = async (from: string, chatId: string, text: string, mentions: Person[] = [], direct = false) => {
    const people: Mention[] = mentions.map((p) => ({ userId: p.id, name: p.name }));
    const n = ++seq;
    const base = {
      eventId: `e${n}`,
      platform: PLATFORM,
      tenantKey: TENANT,
      chatId,
      userId: from,
      messageId: `in${n}`,
      chatType: direct ? ('p2p' as const) : ('group' as const),
    };
    const command = parseCommandText(text, /^@\S+$/, (t) => people.find((p) => `@${p.name}` === t) ?? null);
    const event: IncomingEvent = command ? { ...base, kind: 'command', ...command } : { ...base, kind: 'message', text };
    const before = api.sent.length;
    await deliver(event);
    return api.sent.slice(before).find((m) => m.via === 'reply' && m.to === chatId)?.content ?? null;
  };
  return {
    db: database.db,
    config,
    clock,
    sent,
    logLines: log.lines,
    setChatMembers: (chatId, people) =>
      api.members.set(
        chatId,
        people.map((p) => ({ userId: p.id, name: p.name, tenantKey: TENANT })),
      ),
    say: (from, chatId, text, mentions) => say(from, chatId, text, mentions),
    sayPrivately: (from, text) => say(from, `dm:${from}`, text, [], true),
    async press(from, action, form = {}, chatId = `dm:${from}`) {
      const event: CardActionEvent = {
        kind: 'cardAction',
        eventId: `e${++seq}`,
        platform: PLATFORM,
        tenantKey: TENANT,
        chatId,
        userId: from,
        messageId: `card${seq}`,
        action: { id: action.id, v: action.v, args: action.args ?? {} },
        formValue: form,
        lateHandle: PROFILE === 'dingtalk' ? null : `late${seq}`,
      };
      return (await deliver(event)) ?? {};
    },
    deliver,
    secondInstance() {
      const other = depsOf(new RecordingApi(sent, members, `other${++others}-`, inspect), `other${others}`);
      return {
        tick: () => tickOnce(other, clock.now()),
        close: async () => {
          await other.background.idle();
          await other.sender!.stop(1000);
        },
      };
    },
    tick: async () => {
      const result = await tickOnce(deps, clock.now());
      await settle();
      return result;
    },
    settle,
    async close() {
      await settle();
      await deps.sender!.stop(1000);
      database.close();
      rmSync(dir, { recursive: true, force: true });
      expect(problems, 'messages DingTalk would not carry as the card means').toEqual([]);
    },
  };
}

/** A card's text as its builder wrote it (title, subtitle, every block), for assertions on content. */
export function cardText(card: CardModel | undefined): string {
  if (!card) return '';
  const block = (b: Block): string[] => {
    switch (b.type) {
      case 'markdown':
      case 'note':
        return [b.text];
      case 'fields':
        return b.fields.map((f) => `${f.label}：${f.value}`);
      case 'actions':
        return b.buttons.map((x) => x.label);
      case 'links':
        return b.links.map((l) => `${l.label} ${l.url}`);
      case 'chart':
        return [b.title, ...b.bars.map((x) => `${x.label} ${x.value}`)];
      case 'form':
        return [...b.sections.flatMap((s) => [s.heading, ...s.fields.map((f) => f.placeholder)]), b.submit.label];
      case 'divider':
        return [];
    }
  };
  return [card.title, card.subtitle ?? '', ...card.blocks.flatMap(block)].join('\n');
}

export const cardOf = (content: OutboxContent | null | undefined): CardModel | undefined =>
  content?.kind === 'card' || content?.kind === 'urgent' ? content.card : undefined;
export const textOf = (content: OutboxContent | null | undefined): string | undefined => (content?.kind === 'text' ? content.text : undefined);

/** Every action a card's buttons and forms carry. */
export function actionsOf(card: CardModel | undefined): ActionRef[] {
  return (card?.blocks ?? []).flatMap((b) => (b.type === 'actions' ? b.buttons.map((x) => x.action) : b.type === 'form' ? [b.submit.action] : []));
}

export function formField(card: CardModel | undefined, name: string): FormField | undefined {
  for (const b of card?.blocks ?? []) if (b.type === 'form') for (const s of b.sections) for (const f of s.fields) if (f.name === name) return f;
  return undefined;
}

/** Messages the scheduler sent (not replies), as "recipient title". */
export function pushed(bot: NeutralBot, since = 0): string[] {
  return bot.sent
    .slice(since)
    .filter((m) => m.via === 'send')
    .map((m) => `${m.to} ${cardOf(m.content)?.title ?? textOf(m.content) ?? ''}`)
    .sort();
}

/**
 * Nothing was ever sent twice: every message sent is the one send of an outbox row, or the one post
 * of a pledge wall (which is patched after, not sent again).
 */
export async function expectNothingSentTwice(bot: NeutralBot): Promise<void> {
  const sends = bot.sent.filter((s) => s.via === 'send');
  const rows = await bot.db
    .select()
    .from(outbox)
    .where(and(eq(outbox.status, 'sent'), inArray(outbox.receiveIdType, ['chat', 'user'])));
  const walls = await bot.db.select().from(pledgeWalls);
  expect(sends.map((s) => s.messageId).sort()).toEqual([...rows.map((r) => r.messageId!), ...walls.map((w) => w.messageId)].sort());
}
