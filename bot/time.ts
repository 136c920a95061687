// Wall-clock arithmetic in a campaign's time zone (dates are 'YYYY-MM-DD' local dates).

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    formatters.set(tz, f);
  }
  return f;
}

export function localParts(at: Date, tz: string): LocalParts {
  const parts: Record<string, number> = {};
  for (const p of formatter(tz).formatToParts(at)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute! };
}

const pad = (n: number) => String(n).padStart(2, '0');

export function localDate(at: Date, tz: string): string {
  const p = localParts(at, tz);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

/** "2026-09-01 08:00" in the zone, for cards and replies. */
export function formatLocal(at: Date, tz: string): string {
  const p = localParts(at, tz);
  return `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}`;
}

/** A deadline as people read it: midnight is the end of the previous day, "2026-09-07 24:00". */
export function formatDeadline(at: Date, tz: string): string {
  const p = localParts(at, tz);
  if (p.hour !== 0 || p.minute !== 0) return formatLocal(at, tz);
  const before = localParts(new Date(at.getTime() - 60_000), tz);
  return `${before.year}-${pad(before.month)}-${pad(before.day)} 24:00`;
}

export function isValidDate(date: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

/** The instant at which the local clock in `tz` shows `date` `hour`:00. */
export function zonedTime(date: string, hour: number, tz: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wanted = Date.UTC(y, m - 1, d, hour);
  let guess = wanted;
  // Two passes settle the zone offset, including across a DST change.
  for (let i = 0; i < 2; i++) {
    const p = localParts(new Date(guess), tz);
    const shown = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
    guess += wanted - shown;
  }
  return new Date(guess);
}

export function inRange(date: string, range: { from: string; to: string }): boolean {
  return date >= range.from && date <= range.to;
}

/** The local date `n` working days (Monday to Friday, outside `holidays`) after `date`; the day itself does not count. */
export function addWorkingDays(date: string, n: number, holidays: Array<{ from: string; to: string }> = []): string {
  let d = date;
  for (let left = n; left > 0; ) {
    d = addDays(d, 1);
    const weekday = new Date(`${d}T00:00:00Z`).getUTCDay();
    if (weekday !== 0 && weekday !== 6 && !holidays.some((h) => inRange(d, h))) left--;
  }
  return d;
}
