// dueJobs(state, now, engine): the pure decision of what the campaign engine should send, and what to
// drop: the generic open / nudge / digest / close jobs, plus each capability's jobs for a phase.
import { digestCard, escalationCard, nudgeCard, phaseCloseCard, phaseOpenCard } from '../../cards/campaign-cards.js';
import type { Button } from '../../cards/model.js';
import type { EngineParts } from '../registry.js';
import type { MessageContent, OutboxContent, Recipient } from '../types.js';
import { addDays, formatDeadline, formatLocal, inRange, localDate, localParts, zonedTime } from '../time.js';
import { completion, isOpen, phaseAnswer, type CampaignState, type PhaseState, type RosterEntry } from '../campaign/state.js';

export const QUIET_FROM_HOUR = 22;
export const QUIET_UNTIL_HOUR = 8;
export const DIGEST_HOUR = 9;
/** Digests not sent by noon (the process was down all morning) wait for the next morning. */
export const DIGEST_UNTIL_HOUR = 12;
/** Announcements and summaries missed during downtime are still sent within this horizon. */
export const CATCH_UP_MS = 7 * 24 * 3600_000;
const DAY_MS = 24 * 3600_000;

/**
 * Whether a phase can still produce jobs: until CATCH_UP_MS after it closes (its summary, dropped late
 * nudges). The scheduler loads outbox keys only for these phases, and plans jobs only for them.
 */
export function inPlay(phase: Pick<PhaseState, 'closesAt'>, now: Date): boolean {
  return now.getTime() < phase.closesAt.getTime() + CATCH_UP_MS;
}

export interface Job {
  key: string;
  campaignId: number;
  to: Recipient;
  content: OutboxContent;
  notBefore: Date;
  expiresAt: Date | null;
  /** Set when the job is recorded as dropped instead of sent (stale or superseded). */
  drop?: string;
}

/** Direct and group messages wait for the morning between 22:00 and 08:00 campaign time. */
export function afterQuietHours(at: Date, tz: string): Date {
  const { hour } = localParts(at, tz);
  if (hour >= QUIET_FROM_HOUR) return zonedTime(addDays(localDate(at, tz), 1), QUIET_UNTIL_HOUR, tz);
  if (hour < QUIET_UNTIL_HOUR) return zonedTime(localDate(at, tz), QUIET_UNTIL_HOUR, tz);
  return at;
}

export function inBlackout(c: Pick<CampaignState, 'blackouts' | 'timezone'>, at: Date): boolean {
  const today = localDate(at, c.timezone);
  return c.blackouts.some((r) => inRange(today, r));
}

/** When something the bot sends by itself may go: outside quiet hours and holidays. */
export function sendableAt(c: Pick<CampaignState, 'blackouts' | 'timezone'>, now: Date): Date {
  return afterHolidays(c, afterQuietHours(now, c.timezone));
}

/** Holidays mean holidays: what the engine would send during one waits for the first morning after it. */
export function afterHolidays(c: Pick<CampaignState, 'blackouts' | 'timezone'>, at: Date): Date {
  let t = at;
  for (let guard = 0; guard < 10; guard++) {
    const day = localDate(t, c.timezone);
    const holiday = c.blackouts.find((r) => inRange(day, r));
    if (!holiday) return t;
    t = zonedTime(addDays(holiday.to, 1), QUIET_UNTIL_HOUR, c.timezone);
  }
  return t;
}

function card(c: ReturnType<typeof phaseOpenCard>): MessageContent {
  return { kind: 'card', card: c };
}

/** A due job whose message is not built yet: the scheduler builds and writes a fan-out a chunk at a time. */
export interface PlannedJob {
  key: string;
  build(): Promise<Job>;
}

/** What a job sends, when and to whom; built only if its key was not written before. */
export type JobBody = Omit<Job, 'key' | 'campaignId'>;

/**
 * Collects due jobs. A job whose key was written before (sent, pending or dropped) is skipped before its
 * message is built: at 10,000 members a tick would otherwise render every card every minute for nothing.
 */
class JobList {
  readonly jobs: PlannedJob[] = [];
  /** afterHolidays by instant: a fan-out's jobs share one send time, worked out once. */
  private readonly sendTimes = new Map<number, Date>();
  constructor(private readonly c: CampaignState) {}

  add(key: string, make: () => JobBody | Promise<JobBody>): void {
    if (this.c.existingKeys.has(key)) return;
    this.jobs.push({
      key,
      build: async () => {
        const job = await make();
        return { key, campaignId: this.c.id, ...job, notBefore: this.sendTime(job.notBefore) };
      },
    });
  }

  private sendTime(at: Date): Date {
    let t = this.sendTimes.get(at.getTime());
    if (!t) {
      t = afterHolidays(this.c, at);
      this.sendTimes.set(at.getTime(), t);
    }
    return t;
  }
}

function groupJobs(c: CampaignState, phase: PhaseState, now: Date, jobs: JobList, button: Button | null): void {
  const tz = c.timezone;
  const closed = now.getTime() >= phase.closesAt.getTime();
  for (const branch of c.branches) {
    if (!branch.chatId) continue;
    const to: Recipient = { type: 'chat', id: branch.chatId };
    if (isOpen(phase, now)) {
      jobs.add(`c${c.id}:p${phase.id}:open:${branch.chatId}`, () => ({
        to,
        content: card(phaseOpenCard(c, phase, formatLocal(phase.opensAt, tz), formatDeadline(phase.closesAt, tz), button)),
        notBefore: afterQuietHours(now, tz),
        expiresAt: phase.closesAt,
      }));
    }
    const fresh = now.getTime() - phase.closesAt.getTime() < CATCH_UP_MS && phase.closesAt.getTime() > c.createdAt.getTime();
    // A phase jumped over (/活动 阶段 <later phase>) is empty: it never ran, so it has no summary.
    const skipped = phase.opensAt.getTime() === phase.closesAt.getTime();
    if (closed && fresh && !skipped) {
      jobs.add(`c${c.id}:p${phase.id}:close:${branch.chatId}`, () => ({
        to,
        content: card(phaseCloseCard(c, phase, branch.name, completion(c, phase, branch.id), nextPhase(c, phase, tz))),
        notBefore: afterQuietHours(now, tz),
        expiresAt: null,
      }));
    }
  }
}

function nextPhase(c: CampaignState, phase: PhaseState, tz: string): string | null {
  const next = c.phases.find((p) => p.seq > phase.seq);
  return next ? `${next.title}（${formatLocal(next.opensAt, tz)} 开始）` : null;
}

/**
 * When the phase closes, counted from the day the nudge is read: a nudge sent late (after downtime, or
 * in a phase shorter than its windows) says the real days left, not its window's name.
 */
export function daysLeftLabel(readAt: Date, closesAt: Date, tz: string): string {
  const today = Date.parse(localDate(readAt, tz));
  const lastDay = Date.parse(localDate(new Date(closesAt.getTime() - 1), tz));
  // Days still to work on it, today included.
  const days = Math.round((lastDay - today) / DAY_MS) + 1;
  return days <= 1 ? '今天截止' : days === 2 ? '明天截止' : `还有 ${days} 天截止`;
}

function nudgeJobs(c: CampaignState, phase: PhaseState, now: Date, jobs: JobList, button: Button | null): void {
  if (!phase.respond) return;
  const tz = c.timezone;
  const closesLabel = formatDeadline(phase.closesAt, tz);
  const windows = c.nudgeDaysBefore
    .map((days) => ({ days, at: new Date(phase.closesAt.getTime() - days * DAY_MS) }))
    .filter((w) => w.at.getTime() >= phase.opensAt.getTime() && w.at.getTime() <= now.getTime())
    .sort((a, b) => a.at.getTime() - b.at.getTime());
  if (windows.length === 0) return;
  const closed = now.getTime() >= phase.closesAt.getTime();
  if (closed && now.getTime() - phase.closesAt.getTime() >= CATCH_UP_MS) return;
  if (!closed && (inBlackout(c, now) || inBlackout(c, afterQuietHours(now, c.timezone)))) return;
  const { pending } = completion(c, phase);
  const sendAt = afterQuietHours(now, tz);
  const left = daysLeftLabel(sendAt, phase.closesAt, tz);
  windows.forEach((w, i) => {
    const latest = i === windows.length - 1;
    const drop = closed ? 'deadline passed' : latest ? undefined : 'superseded by a later nudge';
    for (const person of pending) {
      jobs.add(`c${c.id}:p${phase.id}:nudge${w.days}:${person.memberId}`, () => ({
        to: { type: 'user', id: person.userId },
        content: card(nudgeCard(c, phase, person.name, closesLabel, left, button)),
        notBefore: sendAt,
        expiresAt: phase.closesAt,
        ...(drop ? { drop } : {}),
      }));
    }
  });
}

/**
 * Escalation: a pending member who has let the template's number of nudges pass unanswered in this
 * campaign is named to their branch secretary, once per phase, with the phase's latest nudge.
 */
function escalationJobs(c: CampaignState, phase: PhaseState, now: Date, jobs: JobList, button: Button | null): void {
  if (!phase.respond || !c.ignoredNudges || !isOpen(phase, now) || inBlackout(c, now) || inBlackout(c, afterQuietHours(now, c.timezone))) return;
  const limit = c.escalateAfter ?? 3;
  const tz = c.timezone;
  for (const person of completion(c, phase).pending) {
    const ignored = c.ignoredNudges.get(person.memberId) ?? 0;
    if (ignored < limit || person.role === 'leader') continue;
    for (const sec of c.roster.filter((r) => r.role === 'secretary' && r.branchId === person.branchId && r.memberId !== person.memberId)) {
      jobs.add(`c${c.id}:p${phase.id}:escalate:${person.memberId}:${sec.memberId}`, () => ({
        to: { type: 'user', id: sec.userId },
        content: card(escalationCard(c, phase, person.name, ignored, formatDeadline(phase.closesAt, tz))),
        notBefore: afterQuietHours(now, tz),
        expiresAt: phase.closesAt,
      }));
    }
    if (c.urgentEscalation) {
      // The campaign asked for it: the member's reminder once more, as the platform's urgent notice.
      const left = daysLeftLabel(afterQuietHours(now, tz), phase.closesAt, tz);
      jobs.add(`c${c.id}:p${phase.id}:urgent:${person.memberId}`, () => ({
        to: { type: 'user', id: person.userId },
        content: { kind: 'urgent', card: nudgeCard(c, phase, person.name, formatDeadline(phase.closesAt, tz), left, button) },
        notBefore: afterQuietHours(now, tz),
        expiresAt: phase.closesAt,
      }));
    }
  }
}

function digestJobs(c: CampaignState, phase: PhaseState, now: Date, jobs: JobList): void {
  if (!phase.respond || phase.respond === 'leader' || !isOpen(phase, now) || inBlackout(c, now) || inBlackout(c, afterQuietHours(now, c.timezone))) return;
  const tz = c.timezone;
  // The morning digest: from 09:00 until noon, so a phase opening in the afternoon gets its first one
  // the next morning, not at once.
  const { hour } = localParts(now, tz);
  if (hour < DIGEST_HOUR || hour >= DIGEST_UNTIL_HOUR) return;
  const today = localDate(now, tz);
  const keyOf = (sec: RosterEntry) => `c${c.id}:p${phase.id}:digest:${today}:${sec.memberId}`;
  const secretariesOf = new Map<number, RosterEntry[]>();
  for (const r of c.roster) if (r.role === 'secretary' && r.branchId !== null) secretariesOf.set(r.branchId, [...(secretariesOf.get(r.branchId) ?? []), r]);
  for (const branch of c.branches) {
    const secretaries = secretariesOf.get(branch.id) ?? [];
    // Counted only for a branch whose digest is still to write: the scheduler runs every minute of the morning.
    if (secretaries.every((sec) => c.existingKeys.has(keyOf(sec)))) continue;
    const { expected, done, pending, excused } = completion(c, phase, branch.id);
    if (pending.length === 0) continue;
    for (const sec of secretaries) {
      jobs.add(keyOf(sec), () => ({
        to: { type: 'user', id: sec.userId },
        content: card(digestCard(c, phase, branch.name, { expected, done, pending, excused }, formatDeadline(phase.closesAt, tz))),
        notBefore: afterQuietHours(now, tz),
        expiresAt: zonedTime(addDays(today, 1), 0, tz),
      }));
    }
  }
}

/** Adds one job unless its key was written before; `make` builds the message only when needed. */
export type AddJob = (key: string, make: () => JobBody | Promise<JobBody>) => void;

/** A capability's jobs for one phase (its forms while the phase is open). */
export type PhaseJobs = (c: CampaignState, phase: PhaseState, now: Date, add: AddJob) => void;

const NO_ENGINE: EngineParts = { phaseJobs: [], phaseButton: () => null };

/** What the engine should send or drop now, each job's message still to be built. */
export function plannedJobs(c: CampaignState, now: Date, engine: EngineParts = NO_ENGINE): PlannedJob[] {
  const jobs = new JobList(c);
  const add: AddJob = (key, make) => jobs.add(key, make);
  for (const phase of c.phases) {
    if (!inPlay(phase, now)) continue;
    const button = engine.phaseButton(phase, phaseAnswer(phase));
    groupJobs(c, phase, now, jobs, button);
    for (const capabilityJobs of engine.phaseJobs) capabilityJobs(c, phase, now, add);
    nudgeJobs(c, phase, now, jobs, button);
    escalationJobs(c, phase, now, jobs, button);
    digestJobs(c, phase, now, jobs);
  }
  return jobs.jobs;
}

export function dueJobs(c: CampaignState, now: Date, engine: EngineParts = NO_ENGINE): Promise<Job[]> {
  return Promise.all(plannedJobs(c, now, engine).map((j) => j.build()));
}
