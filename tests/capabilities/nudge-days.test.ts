// A nudge says how long is really left, counted in the reader's days — not the name of its window
// (issue 13: a phase ending tomorrow 24:00 was nudged "还有 3 天截止").
import { describe, expect, it } from 'vitest';
import { daysLeftLabel } from '../../bot/engine/due-jobs.js';

const TZ = 'Asia/Shanghai';
// Closes at 24:00 on 2026-12-08 (00:00 on the 9th, Beijing time).
const CLOSES = new Date('2026-12-09T00:00:00+08:00');

describe('the days a nudge says are left', () => {
  it.each([
    ['2026-12-05T10:00:00+08:00', '还有 4 天截止'],
    ['2026-12-06T08:00:00+08:00', '还有 3 天截止'],
    ['2026-12-07T10:00:00+08:00', '明天截止'],
    ['2026-12-08T08:00:00+08:00', '今天截止'],
    ['2026-12-08T23:59:00+08:00', '今天截止'],
  ])('read at %s: %s', (at, label) => {
    expect(daysLeftLabel(new Date(at), CLOSES, TZ)).toBe(label);
  });
});
