// Wall-clock arithmetic in the campaign's time zone.
import { describe, expect, it } from 'vitest';
import { addDays, formatDeadline, formatLocal, isValidDate, localDate, zonedTime } from '../bot/time.js';

describe('campaign time', () => {
  it('finds the instant of a local wall time', () => {
    expect(zonedTime('2026-09-15', 0, 'Asia/Shanghai').toISOString()).toBe('2026-09-14T16:00:00.000Z');
    expect(zonedTime('2026-03-08', 8, 'America/New_York').toISOString()).toBe('2026-03-08T12:00:00.000Z');
  });

  it('shows a midnight deadline as the end of the previous day', () => {
    const closes = zonedTime('2026-09-08', 0, 'Asia/Shanghai');
    expect(formatLocal(closes, 'Asia/Shanghai')).toBe('2026-09-08 00:00');
    expect(formatDeadline(closes, 'Asia/Shanghai')).toBe('2026-09-07 24:00');
    expect(formatDeadline(new Date('2026-09-08T02:30:00Z'), 'Asia/Shanghai')).toBe('2026-09-08 10:30');
  });

  it('does date arithmetic and validation on local dates', () => {
    expect(addDays('2026-02-27', 2)).toBe('2026-03-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(isValidDate('2026-02-29')).toBe(false);
    expect(isValidDate('2028-02-29')).toBe(true);
    expect(localDate(new Date('2026-11-21T16:30:00Z'), 'Asia/Shanghai')).toBe('2026-11-22');
  });
});
