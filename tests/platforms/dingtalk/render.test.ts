// The DingTalk renderer: CardModel -> robot message (msgKey + msgParam). A snapshot of whole messages,
// and exact checks on what matters: where buttons lead, hints in place of forms, chart numbers, privacy.
import { describe, expect, it } from 'vitest';
import { inAppUrl, purposeOf, renderDingTalk } from '../../../bot/platforms/dingtalk/render.js';
import type { CardModel } from '../../../cards/model.js';
import { tone } from '../../../cards/text.js';
import { buttonPurpose, readButtonPurpose } from '../../../bot/platforms/web/links.js';

const link = (purpose: string) => `https://bot.example.edu.cn/p/token-for-${encodeURIComponent(purpose)}`;

const formCard: CardModel = {
  title: '亮承诺：填写我的承诺',
  subtitle: '创先争优 · 承诺阶段',
  tone: 'red',
  blocks: [
    { type: 'markdown', text: `请填写 1–3 项承诺。${tone('red', '截止 8月1日')}` },
    {
      type: 'form',
      name: 'pledge',
      sections: [{ heading: '**第 1 项**', fields: [{ kind: 'text', name: 'promise_1', placeholder: '承诺内容' }] }],
      submit: { label: '提交承诺', action: { id: 'pledge.submit', v: 1, args: { p: '3' } }, style: 'primary' },
    },
    { type: 'actions', buttons: [{ label: '报告进度', action: { id: 'pledge.report', v: 1 } }] },
  ],
};

const resultsCard: CardModel = {
  title: '我的互评结果',
  blocks: [
    { type: 'fields', fields: [{ label: '评价份数', value: '4' }] },
    {
      type: 'chart',
      title: '等次分布',
      bars: [
        { label: '优秀', value: 3 },
        { label: '合格', value: 1 },
        { label: '不合格', value: 0 },
      ],
    },
    { type: 'divider' },
    { type: 'note', text: '结果仅本人可见' },
  ],
};

describe('renderDingTalk', () => {
  it('renders whole messages (snapshot)', () => {
    expect({
      directWithLink: renderDingTalk(formCard, { personalLink: link, direct: true }),
      directWithoutLink: renderDingTalk(formCard, { personalLink: null, direct: true }),
      group: renderDingTalk(formCard, { personalLink: null, direct: false }),
      results: renderDingTalk(resultsCard, { personalLink: null, direct: false }),
    }).toMatchSnapshot();
  });

  it('turns a form into one button to the personal page of its command, opened in DingTalk', () => {
    const m = renderDingTalk(formCard, { personalLink: link, direct: true });
    expect(m.msgKey).toBe('sampleActionCard');
    expect(m.msgParam.singleTitle).toBe('打开网页填写');
    // Both buttons belong to /承诺: one page, one button.
    expect(m.msgParam.singleURL).toBe(inAppUrl(link('承诺')));
    expect(m.msgParam.singleURL).toBe(
      `dingtalk://dingtalkclient/page/link?url=${encodeURIComponent('https://bot.example.edu.cn/p/token-for-%E6%89%BF%E8%AF%BA')}&pc_slide=true`,
    );
    expect(m.msgParam.text).toContain('<font color=#D0021B>截止 8月1日</font>');
    expect(m.msgParam.text?.startsWith('### 亮承诺：填写我的承诺')).toBe(true);
  });

  it('in a group, tells people which command to send instead of a shared personal link', () => {
    const m = renderDingTalk(formCard, { personalLink: null, direct: false });
    expect(m.msgKey).toBe('sampleMarkdown');
    expect(m.msgParam.text).toContain('请 @我 发送 **/承诺**');
    expect(m.msgParam.text).not.toContain('/p/');
  });

  it('shows a chart as lines with the same numbers', () => {
    const text = renderDingTalk(resultsCard, { personalLink: null, direct: true }).msgParam.text!;
    expect(text).toContain('**等次分布**\n- 优秀：3 ▇▇▇▇▇▇▇▇▇▇\n- 合格：1 ▇▇▇\n- 不合格：0');
  });

  it("never puts the content of a sensitive card (one person's anonymous answers) into a message", () => {
    const ballot: CardModel = {
      ...formCard,
      title: '党员互评',
      sensitive: true,
      blocks: [{ type: 'markdown', text: '张三：优秀，评语：secret-comment' }, formCard.blocks[1]!],
    };
    const m = renderDingTalk(ballot, { personalLink: link, direct: true });
    expect(JSON.stringify(m)).not.toContain('secret-comment');
    expect(m.msgParam.singleURL).toBe(inAppUrl(link('承诺')));
  });

  it('keeps at most five buttons and lists the rest as links', () => {
    const card: CardModel = {
      title: 't',
      blocks: [{ type: 'links', links: Array.from({ length: 7 }, (_, i) => ({ label: `L${i}`, url: `https://x.cn/${i}` })) }],
    };
    const m = renderDingTalk(card, { personalLink: null, direct: false });
    expect(m.msgKey).toBe('sampleActionCard5');
    expect(m.msgParam.actionTitle5).toBe('L4');
    expect(m.msgParam.text).toContain(`[L6](${inAppUrl('https://x.cn/6')})`);
  });

  it('opens a button of no command as a one-button page in a direct chat, and says it cannot work in a group', () => {
    const button = { label: '我已完成', action: { id: 'phase.done', v: 1, args: { p: '4' } } };
    const card: CardModel = { title: '学习动员', blocks: [{ type: 'actions', buttons: [button] }] };
    const direct = renderDingTalk(card, { personalLink: link, direct: true });
    expect(direct).toMatchObject({ msgKey: 'sampleActionCard', msgParam: { singleTitle: '我已完成', singleURL: inAppUrl(link(buttonPurpose(button))) } });
    expect(readButtonPurpose(buttonPurpose(button))).toEqual(button);
    const group = renderDingTalk(card, { personalLink: null, direct: false });
    expect(group.msgKey).toBe('sampleMarkdown');
    expect(group.msgParam.text).toContain('（「我已完成」在钉钉消息中无法直接操作）');
  });

  it('never turns a form of no command into a button (its fields would be lost)', () => {
    const form = {
      ...(formCard.blocks[1] as Extract<CardModel['blocks'][number], { type: 'form' }>),
      submit: { label: '提交', action: { id: 'x.unknown', v: 1 } },
    };
    const m = renderDingTalk({ title: 't', blocks: [form] }, { personalLink: link, direct: true });
    expect(m.msgKey).toBe('sampleMarkdown');
    expect(m.msgParam.text).toContain('（此表单在钉钉消息中无法填写）');
  });

  it('maps action ids to the commands whose page shows them', () => {
    expect(purposeOf({ id: 'review.leader', v: 1 })).toBe('评议 点评');
    expect(purposeOf({ id: 'review.ballot', v: 1 })).toBe('评议');
    expect(purposeOf({ id: 'assess.submit', v: 1 })).toBe('自评');
    expect(purposeOf({ id: 'assess.open', v: 1, args: { p: '1', m: '9' } })).toBe('自评 复评');
    expect(purposeOf({ id: 'assess.check', v: 1 })).toBe('自评 支部');
    expect(purposeOf({ id: 'pledge.submit', v: 1, args: { p: '1', o: 'branch', b: '2' } })).toBe('承诺 支部');
    expect(purposeOf({ id: 'pledge.submit', v: 1, args: { p: '1', o: 'member' } })).toBe('承诺');
    expect(purposeOf({ id: 'declare.confirm', v: 1 })).toBe('申报 确认');
    expect(purposeOf({ id: 'commend.vote', v: 1 })).toBe('表彰 表决');
    expect(purposeOf({ id: 'bind.confirm', v: 1 })).toBeNull();
  });
});
