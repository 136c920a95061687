// The DingTalk parser (one for the webhook and Stream) and its config section, on their own.
import { describe, expect, it } from 'vitest';
import { BadRequestError, ConfigError } from '../../../bot/errors.js';
import { parseDingTalkConfig } from '../../../bot/platforms/dingtalk/config.js';
import { directSenderOf, parseDingTalk } from '../../../bot/platforms/dingtalk/parse.js';
import { DT_APP, dtMessage } from '../../support/dingtalk-wire.js';

describe('parseDingTalk', () => {
  it('reads a group command after the removed robot mention, with the corp as tenant', () => {
    const e = parseDingTalk(dtMessage({ from: 'u1', group: 'cidG==', text: '  ／承诺   支部', msgId: 'msgA' }));
    expect(e).toMatchObject({
      kind: 'command',
      platform: 'dingtalk',
      eventId: 'msgA',
      tenantKey: DT_APP.corpId,
      chatId: 'cidG==',
      chatType: 'group',
      userId: 'u1',
      messageId: 'msgA',
      name: '承诺',
      args: ['支部'],
    });
  });

  it('marks a 1:1 message so a reply reaches its sender', () => {
    const e = parseDingTalk(dtMessage({ from: 'staff:7', text: '你好', msgId: 'msgB' }))!;
    expect(e).toMatchObject({ kind: 'message', chatType: 'p2p', text: '你好' });
    expect(directSenderOf(e.kind === 'message' ? e.messageId : '')).toBe('staff:7');
  });

  it('maps @名字 words, in order, to the staff ids DingTalk lists (not the robot)', () => {
    const e = parseDingTalk(
      dtMessage({
        from: 'admin',
        group: 'cidG==',
        text: '/角色 @张三 书记 @李四',
        at: [
          { staffId: 's3', name: '张三' },
          { staffId: 's4', name: '李四' },
        ],
      }),
    );
    expect(e).toMatchObject({
      kind: 'command',
      name: '角色',
      args: ['书记'],
      mentions: [
        { userId: 's3', name: '张三' },
        { userId: 's4', name: '李四' },
      ],
    });
  });

  it('reads the text of a richText message and nothing of a picture', () => {
    const rich = { ...dtMessage({ from: 'u1', text: '' }), msgtype: 'richText', text: undefined, content: { richText: [{ text: '/帮' }, { text: '助' }] } };
    expect(parseDingTalk(rich)).toMatchObject({ kind: 'command', name: '帮助' });
    const picture = { ...dtMessage({ from: 'u1', text: '' }), msgtype: 'picture', text: undefined, content: { downloadCode: 'x' } };
    expect(parseDingTalk(picture)).toMatchObject({ kind: 'message', text: '' });
  });

  it('refuses payloads without the fields it needs', () => {
    const ok = dtMessage({ from: 'u1', text: 'x' });
    for (const bad of [
      { ...ok, msgId: '' },
      { ...ok, conversationType: '3' },
      { ...ok, conversationId: 5 },
      { ...ok, text: [] },
    ]) {
      expect(() => parseDingTalk(bad)).toThrow(BadRequestError);
    }
  });
});

describe('parseDingTalkConfig', () => {
  const base = { DINGTALK_CLIENT_ID: 'k', DINGTALK_CLIENT_SECRET: 's' };

  it('names what is missing and otherwise fills the defaults', () => {
    expect(parseDingTalkConfig({ DINGTALK_CLIENT_ID: 'k' })).toEqual({ settings: null, missing: ['DINGTALK_CLIENT_SECRET'] });
    expect(parseDingTalkConfig(base).settings).toMatchObject({
      robotCode: 'k',
      mode: 'webhook',
      apiBase: 'https://api.dingtalk.com',
      oapiBase: 'https://oapi.dingtalk.com',
      deptId: null,
      corpId: null,
    });
  });

  it('reads the per-group departments', () => {
    const s = parseDingTalkConfig({ ...base, DINGTALK_CHAT_DEPTS: '{"cidA==": 12, "cidB==": "34"}', DINGTALK_MODE: 'stream' }).settings!;
    expect([...s.chatDepts]).toEqual([
      ['cidA==', '12'],
      ['cidB==', '34'],
    ]);
    expect(s.mode).toBe('stream');
  });

  it('refuses bad values, naming the variable', () => {
    for (const [name, value] of [
      ['DINGTALK_MODE', 'ws'],
      ['DINGTALK_DEPT_ID', 'abc'],
      ['DINGTALK_API_BASE', 'ftp://x'],
      ['DINGTALK_CHAT_DEPTS', '[1]'],
      ['DINGTALK_CHAT_DEPTS', '{"cid": "x"}'],
      ['DINGTALK_CHAT_DEPTS', '{bad'],
    ] as const) {
      expect(() => parseDingTalkConfig({ ...base, [name]: value })).toThrow(ConfigError);
      expect(() => parseDingTalkConfig({ ...base, [name]: value })).toThrow(name);
    }
  });
});
