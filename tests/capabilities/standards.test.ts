// The 六好 standard as data, quoted from seed 004: six areas, 18 numbered items, the 90 % bar of item 18.
import { describe, expect, it } from 'vitest';
import { SIX_GOOD } from '../../bot/campaign/standards/index.js';
import { SURVEY_THRESHOLD } from '../../handlers/survey/command.js';

describe('the 六好 standard', () => {
  it('has six areas of three items, numbered 1 to 18, each quoted as the seed has it', () => {
    expect(SIX_GOOD.areas.map((a) => a.title)).toEqual(['班子建设好', '服务队伍好', '服务机制好', '服务阵地好', '服务载体好', '服务业绩好']);
    const items = SIX_GOOD.areas.flatMap((a) => a.items);
    expect(items.map((i) => i.no)).toEqual(Array.from({ length: 18 }, (_, i) => i + 1));
    expect(items[0]).toMatchObject({ title: '理想信念坚定' });
    expect(items[0]!.text.startsWith('党性修养高,模范践行社会主义核心价值观')).toBe(true);
    expect(items.find((i) => i.no === 11)!.title).toBe('加强示范服务窗口建设');
    for (const i of items) expect(i.text.length).toBeGreaterThan(20);
  });

  it('sets the satisfaction bar the surveys judge by', () => {
    const item = SIX_GOOD.areas.flatMap((a) => a.items).find((i) => i.no === SIX_GOOD.satisfaction.item)!;
    expect(item.text).toContain('满意度达到90%以上');
    expect(SURVEY_THRESHOLD).toBe(90);
  });
});
