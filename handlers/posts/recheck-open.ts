// Opening the semester re-checks: in each semester's re-check window every held post awarded before the
// semester began is assessed again in its awarding campaign (running or finished): in that campaign's own 每学期考核
// phase when one overlaps the window, else in a phase added to the campaign for the re-check.
import { eq, inArray, max } from 'drizzle-orm';
import { recheckWindow, semesterLabel, schoolYearOf } from '../../bot/campaign/semesters.js';
import { phasesOf, type CampaignRow } from '../../bot/engine/store.js';
import { localDate, zonedTime } from '../../bot/time.js';
import type { Db } from '../../db/client.js';
import { campaignPhases, campaigns, postRechecks } from '../../db/schema.js';
import { datesOf, seedSchoolYears, semestersOf, type Org, type SemesterRow } from './calendar.js';
import { heldPosts, type HeldPost } from './store.js';

export const RECHECK_TASK =
  '示范岗内党员对照考核细则提交本学期自评；集团党委考核组（联系本支部的党委委员）逐项考核打分。集团党委每学期考核一次，发现问题及时督促整改，对不符合示范岗标准的及时进行调整。';

export interface OpenWindow {
  semester: SemesterRow;
  opensAt: Date;
  closesAt: Date;
}

/** The organisations with a campaign on these platforms (the calendar is theirs). */
async function orgsOf(db: Db, platforms: string[]): Promise<Org[]> {
  return db.selectDistinct({ platform: campaigns.platform, tenantKey: campaigns.tenantKey }).from(campaigns).where(inArray(campaigns.platform, platforms));
}

/**
 * The semesters whose re-check window is open now, per organisation; the current school year's
 * default semesters are written the first time an organisation needs them.
 */
export async function openWindows(db: Db, platforms: string[], now: Date, tz: string): Promise<Array<{ org: Org; windows: OpenWindow[] }>> {
  const schoolYear = schoolYearOf(localDate(now, tz));
  const out: Array<{ org: Org; windows: OpenWindow[] }> = [];
  for (const org of await orgsOf(db, platforms)) {
    let rows = await semestersOf(db, org);
    if (await seedSchoolYears(db, org, [schoolYear], now, rows)) rows = await semestersOf(db, org);
    const windows = rows.map((semester) => ({ semester, ...recheckWindow(datesOf(semester), tz) })).filter((w) => w.opensAt <= now && now < w.closesAt);
    if (windows.length) out.push({ org, windows });
  }
  return out;
}

/** The phase a campaign's posts are re-checked in during a window: its own overlapping 每学期考核, else a new one. */
async function recheckPhase(db: Db, campaign: CampaignRow, w: OpenWindow): Promise<number> {
  const own = (await phasesOf(db, campaign.id)).find(
    (p) => p.kind === 'semester' && p.respond === 'member' && p.opensAt < w.closesAt && p.closesAt > w.opensAt,
  );
  if (own) return own.id;
  const [last] = await db
    .select({ seq: max(campaignPhases.seq) })
    .from(campaignPhases)
    .where(eq(campaignPhases.campaignId, campaign.id));
  const [row] = await db
    .insert(campaignPhases)
    .values({
      campaignId: campaign.id,
      seq: (last?.seq ?? -1) + 1,
      kind: 'semester',
      title: `${semesterLabel(datesOf(w.semester))}示范岗复核`,
      task: RECHECK_TASK,
      respond: 'member',
      round: null,
      opensAt: w.opensAt,
      closesAt: w.closesAt,
    })
    .returning({ id: campaignPhases.id });
  return row!.id;
}

/** A phase added for a re-check lies beyond the template's own phases (its dates follow the semester's). */
export function isAddedPhase(campaign: Pick<CampaignRow, 'template'>, seq: number): boolean {
  return seq >= campaign.template.phases.length;
}

/** Records the re-check of every held post due in an open window that has none yet. */
export async function openRechecks(db: Db, platforms: string[], now: Date, tz: string): Promise<number> {
  let opened = 0;
  for (const { org, windows } of await openWindows(db, platforms, now, tz)) {
    for (const w of windows) {
      // Only what has no re-check yet: with every post opened, the tick reads nothing more.
      const missing = await heldPosts(db, { org, notRecheckedIn: w.semester.id });
      // The semester a post is awarded in does not re-check it: its first re-check is the next semester's.
      const starts = zonedTime(w.semester.startsOn, 0, tz);
      const due = missing.filter((h) => h.active && h.awardedAt < starts);
      if (!due.length) continue;
      const existing = await db.select().from(postRechecks).where(eq(postRechecks.semesterId, w.semester.id));
      const byCampaign = new Map<number, HeldPost[]>();
      for (const h of due) byCampaign.set(h.campaignId, [...(byCampaign.get(h.campaignId) ?? []), h]);
      for (const [campaignId, posts] of byCampaign) {
        let phaseId = existing.find((r) => r.campaignId === campaignId)?.phaseId;
        if (phaseId === undefined) {
          const [campaign] = await db.select().from(campaigns).where(eq(campaigns.id, campaignId));
          phaseId = await recheckPhase(db, campaign!, w);
        }
        const rows = await db
          .insert(postRechecks)
          .values(
            posts.map((p) => ({
              semesterId: w.semester.id,
              declarationId: p.declarationId,
              campaignId,
              phaseId: phaseId!,
              memberId: p.memberId,
              openedAt: now,
            })),
          )
          .onConflictDoNothing()
          .returning({ id: postRechecks.id });
        opened += rows.length;
      }
    }
  }
  return opened;
}
