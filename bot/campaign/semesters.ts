// The semester calendar as data: school years, their two semesters, the re-check window at the end of
// each, the defaults an organisation starts from, and the rules an admin's edit must keep (pure).
import { addDays, isValidDate, zonedTime } from '../time.js';

export type Term = 1 | 2;

export const TERM_NAMES: Record<Term, string> = { 1: '第一学期', 2: '第二学期' };

const TERM_WORDS: Record<string, Term> = {
  '1': 1,
  第一学期: 1,
  上学期: 1,
  秋季学期: 1,
  秋季: 1,
  '2': 2,
  第二学期: 2,
  下学期: 2,
  春季学期: 2,
  春季: 2,
};

/** The re-check opens this many weeks before a semester ends, unless an admin sets another day. */
export const RECHECK_WEEKS = 4;

export interface SemesterDates {
  schoolYear: string;
  term: Term;
  startsOn: string;
  endsOn: string;
  /** First day of the re-check window; the window ends with the semester (inclusive local dates). */
  recheckFrom: string;
}

export function termOf(word: string | undefined): Term | null {
  return word ? (TERM_WORDS[word.trim()] ?? null) : null;
}

/** "2026-2027" → 2026, or null when it is not two consecutive years. */
export function schoolYearStart(schoolYear: string): number | null {
  const m = /^(\d{4})-(\d{4})$/.exec(schoolYear);
  if (!m || Number(m[2]) !== Number(m[1]) + 1) return null;
  return Number(m[1]);
}

/** The school year a local date falls in: from August on it is the year that starts then. */
export function schoolYearOf(date: string): string {
  const year = Number(date.slice(0, 4));
  const first = Number(date.slice(5, 7)) >= 8 ? year : year - 1;
  return `${first}-${first + 1}`;
}

/** The default re-check start: RECHECK_WEEKS weeks before the last day, but not before the semester starts. */
export function defaultRecheckFrom(startsOn: string, endsOn: string): string {
  const from = addDays(endsOn, 1 - RECHECK_WEEKS * 7);
  return from < startsOn ? startsOn : from;
}

/** The calendar an organisation starts with: 秋季 9/1–1/15 and 春季 2/25–7/10, re-checked in their last four weeks. */
export function defaultSemesters(schoolYear: string): SemesterDates[] {
  const y = schoolYearStart(schoolYear);
  if (y === null) return [];
  const make = (term: Term, startsOn: string, endsOn: string): SemesterDates => ({
    schoolYear,
    term,
    startsOn,
    endsOn,
    recheckFrom: defaultRecheckFrom(startsOn, endsOn),
  });
  return [make(1, `${y}-09-01`, `${y + 1}-01-15`), make(2, `${y + 1}-02-25`, `${y + 1}-07-10`)];
}

/** The re-check window as instants: from the first day's 00:00 to the end of the semester's last day. */
export function recheckWindow(s: Pick<SemesterDates, 'recheckFrom' | 'endsOn'>, tz: string): { opensAt: Date; closesAt: Date } {
  return { opensAt: zonedTime(s.recheckFrom, 0, tz), closesAt: zonedTime(addDays(s.endsOn, 1), 0, tz) };
}

export function semesterLabel(s: Pick<SemesterDates, 'schoolYear' | 'term'>): string {
  return `${s.schoolYear}学年${TERM_NAMES[s.term]}`;
}

/**
 * Why an admin's semester cannot be saved (Chinese, for the reply), or null. `other` is the same school
 * year's other semester as stored, which the two must not overlap.
 */
export function semesterError(s: SemesterDates, other: Pick<SemesterDates, 'startsOn' | 'endsOn'> | null): string | null {
  const y = schoolYearStart(s.schoolYear);
  if (y === null) return `学年「${s.schoolYear}」应写作相邻的两年，例如 2026-2027。`;
  for (const [label, value] of [
    ['开始日期', s.startsOn],
    ['结束日期', s.endsOn],
    ['复核开始日期', s.recheckFrom],
  ] as const) {
    if (!isValidDate(value)) return `${label}「${value}」应为 YYYY-MM-DD 格式的日期，例如 ${y}-09-01。`;
  }
  if (s.endsOn <= s.startsOn) return `结束日期 ${s.endsOn} 应晚于开始日期 ${s.startsOn}。`;
  const first = `${y}-08-01`;
  const last = `${y + 1}-08-31`;
  if (s.startsOn < first || s.endsOn > last) return `${s.schoolYear}学年的学期应在 ${first} 至 ${last} 之间。`;
  if (s.recheckFrom < s.startsOn || s.recheckFrom > s.endsOn) return `复核开始日期 ${s.recheckFrom} 应在学期之内（${s.startsOn} 至 ${s.endsOn}）。`;
  if (other) {
    const [autumn, spring] = s.term === 1 ? [s, other] : [other, s];
    if (autumn.endsOn >= spring.startsOn) {
      const otherName = TERM_NAMES[s.term === 1 ? 2 : 1];
      return `${TERM_NAMES[s.term]}与${otherName}（${other.startsOn} 至 ${other.endsOn}）重叠：第一学期应在第二学期开始前结束。`;
    }
  }
  return null;
}
