// The check the capability suite runs on every message under CAPABILITY_PLATFORM=dingtalk: it passes
// a card DingTalk carries as meant and names what is wrong with one it would not.
import { describe, expect, it } from 'vitest';
import { PLEDGE_ACTIONS } from '../../../cards/pledge-cards.js';
import type { CardModel } from '../../../cards/model.js';
import { dingTalkProblems } from '../../support/dingtalk-render-check.js';

const ctx = { platform: 'neutral', tenantKey: 't1', now: () => new Date('2026-07-20T02:00:00Z') };
const me = { type: 'user' as const, id: 'u1' };
const group = { type: 'chat' as const, id: 'cidA' };
const pledge: CardModel = {
  title: '亮承诺',
  blocks: [
    { type: 'markdown', text: '请填写您的承诺。' },
    { type: 'actions', buttons: [{ label: '填写承诺', action: { ...PLEDGE_ACTIONS.open, args: {} } }] },
    { type: 'chart', title: '进度', bars: [{ label: '已填写', value: 3 }] },
  ],
};

describe('the DingTalk rendering check', () => {
  it('passes a card with its page link in 1:1 and its command hint in a group', () => {
    expect(dingTalkProblems(me, { kind: 'card', card: pledge }, ctx)).toEqual([]);
    expect(dingTalkProblems(group, { kind: 'card', card: pledge }, ctx)).toEqual([]);
  });

  it('names a card too large for msgParam, and a text that would be cut', () => {
    const big: CardModel = { title: '名单', blocks: [{ type: 'markdown', text: '长'.repeat(6_000) }] };
    expect(dingTalkProblems(group, { kind: 'card', card: big }, ctx)).toEqual([expect.stringMatching(/over DingTalk's limit/)]);
    expect(dingTalkProblems(me, { kind: 'text', text: '长'.repeat(6_000) }, ctx)).toEqual([expect.stringMatching(/would be cut/)]);
  });

  it('names a link DingTalk cannot open and a button of a command that does not exist', () => {
    const card: CardModel = {
      title: '下载',
      blocks: [
        { type: 'links', links: [{ label: '下载', url: '/dl/relative' }] },
        { type: 'actions', buttons: [{ label: '无处可去', action: { id: 'nothing.here', v: 1 } }] },
      ],
    };
    const problems = dingTalkProblems(me, { kind: 'card', card }, ctx);
    expect(problems).toContainEqual(expect.stringMatching(/「下载」: not a link DingTalk opens/));
    expect(problems).toContainEqual(expect.stringMatching(/no handler for nothing.here/));
    expect(dingTalkProblems(group, { kind: 'card', card }, ctx)).toContainEqual(expect.stringMatching(/cannot be done from the group message/));
  });

  it('passes a sensitive card: the chat shows the way to the page, not the answers', () => {
    const card: CardModel = { title: '我的评议', sensitive: true, blocks: [{ type: 'markdown', text: '张三：优秀；李四：合格' }] };
    expect(dingTalkProblems(me, { kind: 'card', card }, ctx)).toEqual([]);
  });
});
