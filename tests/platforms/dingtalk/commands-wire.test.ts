// DingTalk end to end: signed robot callbacks in, replies out through the fake OpenAPI (group and 1:1).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { members } from '../../../db/schema.js';
import { dtMessage } from '../../support/dingtalk-wire.js';
import { dtText } from '../../support/fake-dingtalk.js';
import { DT_ADMIN, dtSay, dtSayPrivately, GROUP_A, ORG_ENV, setUpDingTalkOrg, startDingTalkBot, type DtBot } from '../../support/dingtalk-harness.js';

let bot: DtBot;
beforeEach(async () => {
  bot = await startDingTalkBot({ env: ORG_ENV, now: '2026-07-20T10:00:00+08:00' });
});
afterEach(async () => bot.close());

describe('commands over DingTalk', () => {
  it('answers a command in a group with a message to that group', async () => {
    const reply = await dtSay(bot, 'a2', GROUP_A, '/帮助');
    expect(reply.via).toBe('group');
    expect(reply.to).toBe(GROUP_A);
    expect(dtText(reply)).toContain('/帮助');
    expect(bot.fake.tokenRequests).toBe(1);
  });

  it('answers a command in a 1:1 chat with a 1:1 message to the sender', async () => {
    const reply = await dtSayPrivately(bot, 'a2', '/我是谁');
    expect(reply).toMatchObject({ via: 'oto', to: 'a2' });
    expect(dtText(reply)).not.toBe('');
  });

  it('answers plain text in a 1:1 chat with the hint', async () => {
    const reply = await dtSayPrivately(bot, 'a2', '你好');
    expect(dtText(reply)).toContain('/帮助');
  });

  it('binds groups, reads each branch roster from its department (paged), and takes an @mention as the person', async () => {
    await setUpDingTalkOrg(bot);
    const rows = await bot.db.select().from(members);
    const byUser = new Map(rows.map((r) => [r.userId, r]));
    expect([...byUser.keys()].sort()).toEqual(['a1', 'a2', 'a3', 'b1', 'b2', 'l1']);
    expect(byUser.get('a1')).toMatchObject({ platform: 'dingtalk', tenantKey: 'dingcorp0001', role: 'secretary', name: '王书记' });
    expect(byUser.get('l1')?.role).toBe('leader');
    expect(byUser.get('b2')?.branchId).not.toBe(byUser.get('a2')?.branchId);
  });

  it('says what to check on DingTalk when /同步 cannot read a department (not a Feishu permission)', async () => {
    await dtSay(bot, DT_ADMIN, 'cidUnmapped==', '/绑定 机关党支部');
    const reply = dtText(await dtSay(bot, DT_ADMIN, 'cidUnmapped==', '/同步'));
    expect(reply).toContain('DINGTALK_CHAT_DEPTS');
    expect(reply).not.toContain('im:chat');
    // A mapped group whose department does not exist (errcode 60003) gets the same hint.
    expect(dtText(await dtSay(bot, DT_ADMIN, GROUP_A, '/绑定 后勤第一党支部'))).toContain('后勤第一党支部');
    expect(dtText(await dtSay(bot, DT_ADMIN, GROUP_A, '/同步'))).toContain('该部门存在');
  });

  it('refuses an admin command from someone who is not an admin', async () => {
    const reply = await dtSay(bot, 'a2', GROUP_A, '/绑定 某支部');
    expect(dtText(reply)).toContain('仅限管理员');
    const ok = await dtSay(bot, DT_ADMIN, GROUP_A, '/绑定 某支部');
    expect(dtText(ok)).toContain('某支部');
  });

  it('processes a message delivered twice (same msgId) once', async () => {
    const payload = dtMessage({ from: 'a2', group: GROUP_A, text: '/帮助' });
    expect((await bot.deliver(payload)).status).toBe(200);
    expect((await bot.deliver(payload)).status).toBe(200);
    await bot.settle();
    expect(bot.fake.sent).toHaveLength(1);
  });
});
