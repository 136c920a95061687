// Administrators in the bot: BOT_ADMINS bootstraps; an administrator grants and removes others with
// /管理员 (audited, effective at once), /我是谁 says where the right comes from.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditLog } from '../../db/schema.js';
import { type NeutralBot, startNeutralBot, textOf } from '../support/neutral.js';
import { ADMIN, answered, BRANCH_A, CHAT_A, LEADER, setUpOrg } from '../support/neutral-org.js';

let bot: NeutralBot;
const SEC = BRANCH_A[0]!;

beforeEach(async () => {
  bot = await startNeutralBot({ admins: [ADMIN], now: '2026-08-20T10:00:00+08:00' });
  await setUpOrg(bot);
});
afterEach(async () => bot.close());

describe('/管理员', () => {
  it('grants and removes administrators in the bot, audited, effective at once', async () => {
    // The secretary cannot bind a chat yet.
    expect(textOf(await answered(bot, SEC.id, CHAT_A, '/绑定 后勤第三党支部'))).toContain('仅限管理员使用');
    expect(textOf(await answered(bot, ADMIN, CHAT_A, `/管理员 添加 @${SEC.name}`, [SEC]))).toBe('已将 王书记 设为管理员。');
    expect(textOf(await bot.sayPrivately(SEC.id, '/我是谁'))).toContain('身份：管理员（在机器人中授予）、支部书记');
    // A granted administrator may grant others, and may not remove themself.
    expect(textOf(await answered(bot, SEC.id, CHAT_A, `/管理员 添加 @${LEADER.name}`, [LEADER]))).toBe('已将 刘委员 设为管理员。');
    expect(textOf(await answered(bot, SEC.id, CHAT_A, `/管理员 移除 @${SEC.name}`, [SEC]))).toBe('不能移除自己的管理员权限，请由其他管理员操作。');
    expect(textOf(await answered(bot, SEC.id, CHAT_A, `/管理员 移除 @admin`, [{ id: ADMIN, name: 'admin' }]))).toBe(
      'admin 是配置文件 BOT_ADMINS 中的管理员，需修改配置并重启后才能移除。',
    );
    expect(textOf(await bot.sayPrivately(ADMIN, '/管理员'))).toBe(
      '配置文件 BOT_ADMINS 中的管理员：1 人\n在机器人中授予的管理员：2 人\n- 王书记（a1）\n- 刘委员（l1）',
    );
    expect(textOf(await answered(bot, ADMIN, CHAT_A, `/管理员 移除 @${SEC.name}`, [SEC]))).toBe('已移除 王书记 的管理员权限。');
    expect(textOf(await answered(bot, SEC.id, CHAT_A, '/绑定 后勤第三党支部'))).toContain('仅限管理员使用');
    expect((await bot.db.select().from(auditLog)).filter((r) => r.action.startsWith('admin.')).map((r) => [r.action, r.target])).toEqual([
      ['admin.grant', SEC.id],
      ['admin.grant', LEADER.id],
      ['admin.revoke', SEC.id],
    ]);
    // A member cannot list or grant.
    expect(textOf(await answered(bot, BRANCH_A[1]!.id, CHAT_A, `/管理员 添加 @${BRANCH_A[1]!.name}`, [BRANCH_A[1]!]))).toContain('仅限管理员使用');
  });
});
