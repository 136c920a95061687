// Pledge card JSON: the whole Feishu rendering as a snapshot, and exact checks on what the bot relies on.
import { describe, expect, it } from 'vitest';
import { paginateWall, pledgeFormCard, pledgeWallCard, type WallEntry } from '../../cards/pledge-cards.js';
import { renderFeishuCard } from '../../bot/platforms/feishu/render.js';

const phase = { id: 7, campaignTitle: '创先争优', phaseTitle: '公开承诺（第一轮）', closes: '2026-10-01 00:00' };
const owner = { kind: 'member' as const, label: '张三' };
const areas = ['管理育人', '服务师生'];

type Json = Record<string, unknown>;
function formOf(card: Json): Json {
  const elements = (card.body as { elements: Json[] }).elements;
  return elements.find((e) => e.tag === 'form')!;
}

describe('pledge form card', () => {
  const card = renderFeishuCard(pledgeFormCard(phase, owner, areas, { items: [] }));

  it('renders as a snapshot', () => {
    expect(card).toMatchSnapshot();
  });

  it('has uniquely named fields for three items and a submit carrying the phase and owner', () => {
    const form = formOf(card);
    const elements = form.elements as Json[];
    const names = elements.filter((e) => e.name).map((e) => e.name);
    expect(names).toEqual(['area_1', 'promise_1', 'due_1', 'area_2', 'promise_2', 'due_2', 'area_3', 'promise_3', 'due_3', 'submit']);
    expect(new Set(names).size).toBe(names.length);
    const submit = elements.at(-1)!;
    expect(submit.form_action_type).toBe('submit');
    expect(submit.behaviors).toEqual([{ type: 'callback', value: { p: '7', o: 'member', a: 'pledge.submit', v: 1 } }]);
    expect(elements.find((e) => e.name === 'promise_1')!.max_length).toBe(200);
    expect((elements.find((e) => e.name === 'area_1')!.options as Json[]).map((o) => o.value)).toEqual(areas);
  });

  it('comes back filled with what was typed and names each problem', () => {
    const again = renderFeishuCard(
      pledgeFormCard(phase, owner, areas, { items: [{ area: '服务师生', promise: '每周走访', due: '2026-12-01' }] }, [
        '第1项·计划完成日期：不能早于今天（2026-12-05）。',
      ]),
    );
    const elements = formOf(again).elements as Json[];
    expect(elements.find((e) => e.name === 'area_1')!.initial_option).toBe('服务师生');
    expect(elements.find((e) => e.name === 'promise_1')!.default_value).toBe('每周走访');
    expect(elements.find((e) => e.name === 'due_1')!.initial_date).toBe('2026-12-01');
    expect(JSON.stringify(again)).toContain('第1项·计划完成日期：不能早于今天（2026-12-05）。');
  });

  it('declares update_multi so the wall can be patched in place', () => {
    expect((card.config as Json).update_multi).toBe(true);
  });
});

describe('user text in cards', () => {
  it('shows names and pledges as written, without injected mentions, colour or links', () => {
    const card = JSON.stringify(
      renderFeishuCard(
        pledgeWallCard(
          { phaseId: 1, branchId: 2, branchName: '一支部', campaignTitle: 'c', phaseTitle: 'p' },
          null,
          [[{ name: '<at id=all></at>张三', items: [{ area: '服务师生', promise: '[点我领奖](http://x.example) **加粗**', due: '2026-12-31' }] }]],
          0,
          { pledged: 1, expected: 1 },
        ),
      ),
    );
    expect(card).not.toContain('<at id=all>');
    expect(card).toContain('&lt;at id=all&gt;');
    expect(card).not.toContain('[点我领奖](http');
    expect(card).toContain(String.raw`\\[点我领奖\\]\\(http://x.example\\)`);
  });
});

describe('pledge wall', () => {
  const long = (i: number): WallEntry => ({
    name: `党员${i}`,
    items: [1, 2, 3].map((n) => ({ area: '服务师生', promise: '为师生办实事'.repeat(30) + n, due: '2026-12-31' })),
  });

  it('paginates a large branch so every page stays under Feishu’s 30 KB card limit', () => {
    const entries = Array.from({ length: 100 }, (_, i) => long(i));
    const pages = paginateWall(entries);
    expect(pages.length).toBeGreaterThan(1);
    expect(pages.flat()).toHaveLength(100);
    for (let p = 0; p < pages.length; p++) {
      const card = renderFeishuCard(
        pledgeWallCard({ phaseId: 1, branchId: 2, branchName: '一支部', campaignTitle: 'c', phaseTitle: 'p' }, null, pages, p, { pledged: 100, expected: 120 }),
      );
      expect(new TextEncoder().encode(JSON.stringify(card)).length).toBeLessThan(30 * 1024);
    }
  });

  it('offers page buttons that carry the page to show', () => {
    const pages = paginateWall(Array.from({ length: 60 }, (_, i) => long(i)));
    const card = JSON.stringify(
      renderFeishuCard(
        pledgeWallCard({ phaseId: 1, branchId: 2, branchName: '一支部', campaignTitle: 'c', phaseTitle: 'p' }, null, pages, 1, { pledged: 60, expected: 60 }),
      ),
    );
    expect(card).toContain('"page":"0","a":"pledge.wall"');
    expect(card).toContain('"page":"2","a":"pledge.wall"');
    expect(card).toContain(`第 2/${pages.length} 页`);
  });
});
