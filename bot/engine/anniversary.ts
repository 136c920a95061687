// Party-joining anniversaries: who gets a card today (pure), in the organisation's time zone.
import { anniversaryCard } from '../../cards/anniversary-card.js';
import { localDate, localParts } from '../time.js';
import { afterQuietHours, DIGEST_HOUR, type Job } from './due-jobs.js';

export interface AnniversaryMember {
  memberId: number;
  userId: string;
  name: string;
  joinedPartyOn: string;
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** The joining days (MM-DD) celebrated today: none before the morning hour; 29 February on the 28th in other years. */
export function anniversaryDays(now: Date, tz: string): string[] {
  const local = localParts(now, tz);
  if (local.hour < DIGEST_HOUR) return [];
  const monthDay = localDate(now, tz).slice(5);
  return monthDay === '02-28' && !isLeap(local.year) ? [monthDay, '02-29'] : [monthDay];
}

/** Members whose joining day is today; 29 February is celebrated on the 28th in other years. */
export function anniversaryJobs(people: AnniversaryMember[], now: Date, tz: string): Array<Omit<Job, 'campaignId'>> {
  const days = anniversaryDays(now, tz);
  if (days.length === 0) return [];
  const year = localParts(now, tz).year;
  return people.flatMap((p) => {
    const [joinYear, joinMonthDay] = [Number(p.joinedPartyOn.slice(0, 4)), p.joinedPartyOn.slice(5)];
    const years = year - joinYear;
    if (!days.includes(joinMonthDay) || years < 1) return [];
    return [
      {
        key: `anniv:${p.memberId}:${year}`,
        to: { type: 'user' as const, id: p.userId },
        content: { kind: 'card' as const, card: anniversaryCard(p.name, years, p.joinedPartyOn) },
        notBefore: afterQuietHours(now, tz),
        expiresAt: null,
      },
    ];
  });
}
