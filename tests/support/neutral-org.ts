// The small organisation of the capability tests, set up over the neutral harness the way an
// administrator would: two branch chats bound and synced, a committee member, two secretaries.
import { expect } from 'vitest';
import type { NeutralBot, Person } from './neutral.js';

export const ADMIN = 'admin';
export const CHAT_A = 'chat_a';
export const CHAT_B = 'chat_b';
export const BRANCH_A: Person[] = [
  { id: 'a1', name: '王书记' },
  { id: 'a2', name: '张三' },
  { id: 'a3', name: '李四' },
];
export const BRANCH_B: Person[] = [
  { id: 'b1', name: '赵书记' },
  { id: 'b2', name: '钱五' },
];
export const LEADER: Person = { id: 'l1', name: '刘委员' };

/** Says something that must be answered; returns the answer. */
export async function answered(bot: NeutralBot, from: string, chatId: string, text: string, mentions: Person[] = []) {
  const reply = await bot.say(from, chatId, text, mentions);
  expect(reply, `no answer to ${text}`).not.toBeNull();
  return reply!;
}

export async function setUpOrg(bot: NeutralBot): Promise<void> {
  await answered(bot, ADMIN, CHAT_A, '/绑定 后勤第一党支部');
  await answered(bot, ADMIN, CHAT_B, '/绑定 后勤第二党支部');
  bot.setChatMembers(CHAT_A, [...BRANCH_A, LEADER]);
  bot.setChatMembers(CHAT_B, BRANCH_B);
  await answered(bot, ADMIN, CHAT_A, `/角色 @${LEADER.name} 委员`, [LEADER]);
  await answered(bot, ADMIN, CHAT_A, '/同步');
  await answered(bot, ADMIN, CHAT_B, '/同步');
  await answered(bot, ADMIN, CHAT_A, `/角色 @${BRANCH_A[0]!.name} 书记`, [BRANCH_A[0]!]);
  await answered(bot, ADMIN, CHAT_B, `/角色 @${BRANCH_B[0]!.name} 书记`, [BRANCH_B[0]!]);
  await confirmSynced(bot, ADMIN, CHAT_A, BRANCH_A.slice(1));
  await confirmSynced(bot, ADMIN, CHAT_B, BRANCH_B.slice(1));
}

/** The secretary's answer to the 待确认 list /同步 leaves: these people are 正式党员 (typed, with @). */
export async function confirmSynced(bot: NeutralBot, from: string, chatId: string, people: Person[]): Promise<void> {
  await answered(bot, from, chatId, `/名册 确认 ${people.map((p) => `@${p.name}`).join(' ')} 正式党员`, people);
}
