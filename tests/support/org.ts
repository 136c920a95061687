// A small organisation set up the way an admin would: two branch chats bound and synced, roles set.
import { expect } from 'vitest';
import { groupCommand, messageEvent } from './feishu-wire.js';
import type { SentMessage } from './fake-feishu.js';
import type { TestBot } from './harness.js';

export const ADMIN = 'ou_admin';
export const CHAT_A = 'oc_branch_a';
export const CHAT_B = 'oc_branch_b';
export const BRANCH_A = [
  { openId: 'ou_a1', name: '王书记' },
  { openId: 'ou_a2', name: '张三' },
  { openId: 'ou_a3', name: '李四' },
];
export const BRANCH_B = [
  { openId: 'ou_b1', name: '赵书记' },
  { openId: 'ou_b2', name: '钱五' },
];
export const LEADER = { openId: 'ou_l', name: '刘委员' };

/** Sends a group command as `from` and waits for the reply to go out; returns the reply. */
export async function say(bot: TestBot, from: string, chatId: string, text: string, others: Array<{ openId: string; name: string }> = []) {
  const before = bot.fake.sent.length;
  const res = await bot.deliver(groupCommand(from, chatId, text, others));
  expect(res.status).toBe(200);
  await bot.settle();
  expect(bot.fake.sent.length).toBe(before + 1);
  return bot.fake.sent.at(-1)!;
}

export async function sayPrivately(bot: TestBot, from: string, text: string) {
  const before = bot.fake.sent.length;
  await bot.deliver(messageEvent({ from, text }));
  await bot.settle();
  expect(bot.fake.sent.length).toBe(before + 1);
  return bot.fake.sent.at(-1)!;
}

export async function setUpOrg(bot: TestBot): Promise<void> {
  await say(bot, ADMIN, CHAT_A, '/绑定 后勤第一党支部');
  await say(bot, ADMIN, CHAT_B, '/绑定 后勤第二党支部');
  bot.fake.setChatMembers(CHAT_A, [...BRANCH_A, LEADER], 2);
  bot.fake.setChatMembers(CHAT_B, BRANCH_B, 2);
  await say(bot, ADMIN, CHAT_A, '/角色 @_user_2 委员', [LEADER]);
  await say(bot, ADMIN, CHAT_A, '/同步');
  await say(bot, ADMIN, CHAT_B, '/同步');
  await say(bot, ADMIN, CHAT_A, '/角色 @_user_2 书记', [BRANCH_A[0]!]);
  await say(bot, ADMIN, CHAT_B, '/角色 @_user_2 书记', [BRANCH_B[0]!]);
  // Who /同步 brought in waits for a 政治面貌: the secretaries confirm their branch.
  await say(bot, ADMIN, CHAT_A, '/名册 确认 @_user_2 @_user_3 正式党员', [BRANCH_A[1]!, BRANCH_A[2]!]);
  await say(bot, ADMIN, CHAT_B, '/名册 确认 @_user_2 正式党员', [BRANCH_B[1]!]);
}

/** The header title of a card message, or the text of a text message. */
export function headline(m: SentMessage): string {
  const c = m.content as { header?: { title?: { content?: string } }; text?: string };
  return c.header?.title?.content ?? c.text ?? '';
}

/** Messages the scheduler created (not replies), as "recipient headline". */
export function pushed(bot: TestBot, since = 0): string[] {
  return bot.fake.sent
    .slice(since)
    .filter((m) => m.via === 'create')
    .map((m) => `${m.receiveId} ${headline(m)}`)
    .sort();
}
