// The organisation's semester calendar in the database: read, seeded with the defaults for a school
// year the first time it is needed, and changed by admins.
import { and, asc, eq } from 'drizzle-orm';
import { defaultSemesters, schoolYearOf, type SemesterDates, type Term } from '../../bot/campaign/semesters.js';
import type { Db } from '../../db/client.js';
import { semesters } from '../../db/schema.js';

export type SemesterRow = typeof semesters.$inferSelect;

export interface Org {
  platform: string;
  tenantKey: string;
}

const ofOrg = (o: Org) => and(eq(semesters.platform, o.platform), eq(semesters.tenantKey, o.tenantKey));

export async function semestersOf(db: Db, o: Org): Promise<SemesterRow[]> {
  return db.select().from(semesters).where(ofOrg(o)).orderBy(asc(semesters.schoolYear), asc(semesters.term));
}

export function datesOf(row: SemesterRow): SemesterDates {
  return { schoolYear: row.schoolYear, term: row.term as Term, startsOn: row.startsOn, endsOn: row.endsOn, recheckFrom: row.recheckFrom };
}

/** Writes the default semesters of the school years that have none yet (an admin's edits are kept). */
export async function seedSchoolYears(db: Db, o: Org, schoolYears: string[], now: Date, known?: SemesterRow[]): Promise<boolean> {
  const have = new Set((known ?? (await semestersOf(db, o))).map((r) => `${r.schoolYear}:${r.term}`));
  const missing = schoolYears.flatMap(defaultSemesters).filter((s) => !have.has(`${s.schoolYear}:${s.term}`));
  if (!missing.length) return false;
  await db
    .insert(semesters)
    .values(missing.map((s) => ({ ...o, ...s, updatedBy: 'default', updatedAt: now })))
    .onConflictDoNothing();
  return true;
}

/** The school year of a local date and the next one: what /学期 shows and the scheduler keeps seeded. */
export function currentSchoolYears(today: string): string[] {
  const current = schoolYearOf(today);
  const start = Number(current.slice(0, 4));
  return [current, `${start + 1}-${start + 2}`];
}

export async function findSemester(db: Db, o: Org, schoolYear: string, term: Term): Promise<SemesterRow | null> {
  const [row] = await db
    .select()
    .from(semesters)
    .where(and(ofOrg(o), eq(semesters.schoolYear, schoolYear), eq(semesters.term, term)));
  return row ?? null;
}
