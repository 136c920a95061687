// Builds the demo organisation the way an administrator would: through the bot's own commands
// (bind, sync, roles, joining dates, a campaign), then clears the set-up chatter from the chats.
import { sql } from 'drizzle-orm';
import { handleEvent } from '../../../dispatch.js';
import type { AdapterHost } from '../../../platform.js';
import { addDays, localDate } from '../../../time.js';
import type { CommandEvent, Mention } from '../../../types.js';
import { webMessages } from '../../../../db/schema.js';
import { directChatOf } from '../chats.js';
import { BRANCHES, COMMITTEE, COMMITTEE_GROUPS, DEMO_TENANT, EVERYONE, type DemoPerson } from './demo-org.js';

/** The demo campaign: 三亮三比三评, started so that its pledge phase (亮承诺) has just opened. */
const TEMPLATE = '三亮三比三评';
const MOBILIZE_DAYS = 14;

let seq = 0;

async function run(host: AdapterHost, from: DemoPerson, chatId: string, text: string, mentions: Mention[] = []): Promise<void> {
  const dispatch = host.dispatch;
  if (!dispatch) throw new Error('the sandbox needs a dispatch');
  const [word, ...args] = text.slice(1).split(' ');
  const event: CommandEvent = {
    kind: 'command',
    eventId: `seed-${Date.now()}-${++seq}`,
    platform: 'web',
    tenantKey: DEMO_TENANT,
    chatId,
    chatType: chatId.startsWith('dm:') ? 'p2p' : 'group',
    userId: from.id,
    messageId: '',
    name: word!,
    args: args.filter((a) => !a.startsWith('@')),
    mentions,
  };
  await handleEvent(dispatch, event, (p) => void p.catch(() => undefined));
  await host.idle(10_000);
}

const mention = (x: DemoPerson): Mention => ({ userId: x.id, name: x.name });

export async function seedDemo(host: AdapterHost): Promise<void> {
  const admin = COMMITTEE[0]!;
  for (const b of BRANCHES) {
    await run(host, admin, b.chatId, `/绑定 ${b.name}`);
    await run(host, admin, b.chatId, '/同步');
  }
  for (const c of COMMITTEE) {
    for (const chatId of COMMITTEE_GROUPS[c.id] ?? []) await run(host, admin, chatId, `/角色 @${c.name} 委员`, [mention(c)]);
  }
  for (const b of BRANCHES) {
    for (const s of b.people.filter((x) => x.role === 'secretary')) await run(host, admin, b.chatId, `/角色 @${s.name} 书记`, [mention(s)]);
    // The secretary confirms who /同步 brought in (待确认): in the demo every member is a 正式党员.
    const secretary = b.people.find((x) => x.role === 'secretary') ?? admin;
    const synced = b.people.filter((x) => x.role !== 'secretary' && !COMMITTEE.some((c) => c.id === x.id));
    if (synced.length) await run(host, secretary, b.chatId, `/名册 确认 ${synced.map((x) => `@${x.name}`).join(' ')} 正式党员`, synced.map(mention));
  }
  for (const x of EVERYONE) await run(host, x, directChatOf(x.id), `/入党日期 ${x.joinedPartyOn}`);
  const startsOn = addDays(localDate(host.clock.now(), host.config.timezone), -MOBILIZE_DAYS);
  await run(host, admin, directChatOf(admin.id), `/活动 新建 ${TEMPLATE} ${startsOn}`);
  await host.db.delete(webMessages);
  // The engine announces the open phase in every group and sends the pledge forms.
  await host.tick();
  await host.idle(10_000);
}

/** Empties every table (the schema stays), so the demo can be built again. */
export async function wipeSandbox(host: AdapterHost): Promise<void> {
  const tables = await host.db.all<{ name: string }>(
    sql`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%'`,
  );
  await host.db.run(sql`PRAGMA foreign_keys = OFF`);
  try {
    // Ids keep counting (sqlite_sequence stays): a stale page or late update never meets a new row's id.
    for (const { name } of tables) await host.db.run(sql.raw(`DELETE FROM "${name.replace(/"/g, '')}"`));
  } finally {
    await host.db.run(sql`PRAGMA foreign_keys = ON`);
  }
  host.dispatch?.actors.clear();
}

export async function isSeeded(host: AdapterHost): Promise<boolean> {
  const [row] = await host.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM branches WHERE platform = 'web'`);
  return (row?.n ?? 0) > 0;
}
