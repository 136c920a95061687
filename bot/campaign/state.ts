// The campaign state the scheduler reasons about, the phase rules, and the completion figures derived from it.
import { localDate } from '../time.js';
import { type CampaignTemplate, type DateRange, onCommittee, type PhaseKind, type Responder, type Role } from './template.js';

export interface PhaseState {
  id: number;
  seq: number;
  kind: PhaseKind;
  title: string;
  task: string;
  respond: Responder | null;
  round: number | null;
  opensAt: Date;
  closesAt: Date;
  /** For a 践诺 check phase: the pledge phase whose pledges are checked. */
  pledgePhaseId: number | null;
  /** For a leaders' review phase that scores a declaration phase's applicants (not a 领导点评 of branches). */
  scoresDeclarePhaseId: number | null;
}

export interface RosterEntry {
  memberId: number;
  userId: string;
  name: string;
  branchId: number | null;
  role: Role;
  committee: boolean;
}

export interface BranchState {
  id: number;
  name: string;
  chatId: string | null;
}

export interface CampaignState {
  id: number;
  title: string;
  timezone: string;
  createdAt: Date;
  blackouts: DateRange[];
  nudgeDaysBefore: number[];
  phases: PhaseState[];
  branches: BranchState[];
  roster: RosterEntry[];
  /** `${phaseId}:${memberId}` for every answer given. */
  responded: ReadonlySet<string>;
  /** Outbox keys already written for this campaign (sent, pending, dropped ...). */
  existingKeys: ReadonlySet<string>;
  /** The template's pledge areas (empty: the default list). */
  pledgeAreas: string[];
  /** Member pledges by pledge phase id, then member id. */
  pledges: ReadonlyMap<number, ReadonlyMap<number, { id: number }>>;
  /** A pledge's items, read only when a progress form is built from them (not every tick). */
  pledgeItems: (pledgeId: number) => Promise<Array<{ area: string; promise: string; due: string }>>;
  /** The template frozen into the campaign (rubric, post kinds, criteria) for the forms sent when phases open. */
  template?: CampaignTemplate;
  /** Members holding an awarded post; set when the campaign has a declare phase (semester phases assess only them). */
  postHolders?: ReadonlySet<number>;
  /** Members excused by their secretary (请假 / 免评), not revoked. */
  excused?: readonly Exemption[];
  /** Per member: nudges sent in this campaign for phases they have still not answered. */
  ignoredNudges?: ReadonlyMap<number, number>;
  /** After this many ignored nudges the secretary is told (the template's escalateAfterNudges). */
  escalateAfter?: number;
  /** An escalated member's reminder also goes as the platform's urgent notice (campaign switch). */
  urgentEscalation?: boolean;
}

export interface Exemption {
  memberId: number;
  kind: 'leave' | 'exempt';
  /** One phase; else the inclusive local dates. */
  phaseId: number | null;
  from: string | null;
  to: string | null;
}

/** Whether a member is excused from a phase: named for it, or on leave on any of its days. */
export function isExcused(c: Pick<CampaignState, 'excused' | 'timezone'>, phase: Pick<PhaseState, 'id' | 'opensAt' | 'closesAt'>, memberId: number): boolean {
  if (!c.excused?.length) return false;
  const first = localDate(phase.opensAt, c.timezone);
  const last = localDate(new Date(phase.closesAt.getTime() - 1), c.timezone);
  return c.excused.some(
    (e) => e.memberId === memberId && (e.phaseId !== null ? e.phaseId === phase.id : e.from !== null && e.to !== null && e.from <= last && e.to >= first),
  );
}

export function respondedKey(phaseId: number, memberId: number): string {
  return `${phaseId}:${memberId}`;
}

/** Secretaries are party members too: a member phase expects them as well. */
export function expectedOf(phase: Pick<PhaseState, 'respond'>, roster: RosterEntry[]): RosterEntry[] {
  switch (phase.respond) {
    case 'member':
      return roster.filter((r) => r.role === 'member' || r.role === 'secretary');
    case 'secretary':
      return roster.filter((r) => r.role === 'secretary');
    case 'leader':
      return roster.filter(onCommittee);
    default:
      return [];
  }
}

export interface Completion {
  expected: number;
  done: number;
  pending: RosterEntry[];
  /** Excused (请假 / 免评) and not answered: counted neither as expected nor as pending. */
  excused: RosterEntry[];
}

/** Who must answer a phase; in a 践诺 check phase only those who pledged report progress. */
export function expectedIn(c: Pick<CampaignState, 'roster' | 'pledges' | 'postHolders'>, phase: PhaseState): RosterEntry[] {
  const expected = expectedOf(phase, c.roster);
  if (phase.kind === 'semester' && phase.respond === 'member' && c.postHolders) return expected.filter((r) => c.postHolders!.has(r.memberId));
  if (!phase.pledgePhaseId) return expected;
  const pledged = c.pledges.get(phase.pledgePhaseId);
  return expected.filter((r) => pledged?.has(r.memberId));
}

export function completion(
  c: Pick<CampaignState, 'roster' | 'responded' | 'pledges' | 'postHolders' | 'excused' | 'timezone'>,
  phase: PhaseState,
  branchId?: number,
): Completion {
  const all = expectedIn(c, phase).filter((r) => branchId === undefined || r.branchId === branchId);
  const answered = (r: RosterEntry) => c.responded.has(respondedKey(phase.id, r.memberId));
  // Someone excused who answered anyway counts as done.
  const excused = all.filter((r) => !answered(r) && isExcused(c, phase, r.memberId));
  const expected = all.filter((r) => !excused.includes(r));
  const pending = expected.filter((r) => !answered(r));
  return { expected: expected.length, done: expected.length - pending.length, pending, excused };
}

/**
 * A member-answered 全面创建/践诺 phase that follows a pledge phase of the same round checks those
 * pledges: members report progress on each pledge item instead of ticking "done".
 */
export function linkCheckPhases<P extends Omit<PhaseState, 'pledgePhaseId' | 'scoresDeclarePhaseId'>>(
  phases: P[],
): Array<P & { pledgePhaseId: number | null; scoresDeclarePhaseId: number | null }> {
  return phases.map((p) => {
    const scored = phases.find((q) => q.kind === 'declare' && reviewWindowOf(phases, q).id === p.id && q.id !== p.id);
    const links = { pledgePhaseId: null, scoresDeclarePhaseId: scored?.id ?? null };
    if (p.kind !== 'create' || p.respond !== 'member') return { ...p, ...links };
    const pledge = phases.filter((q) => q.kind === 'pledge' && q.seq < p.seq && q.round === p.round).at(-1);
    return { ...p, ...links, pledgePhaseId: pledge?.id ?? null };
  });
}

/** How a phase is answered: by which capability's card, or by the plain "我已完成" (done); null: nobody answers. */
export type PhaseAnswer = 'pledge' | 'progress' | 'assess' | 'peer-review' | 'applicant-scoring' | 'leader-review' | 'done';

export function phaseAnswer(p: {
  kind: string;
  respond: PhaseState['respond'];
  pledgePhaseId: number | null;
  scoresDeclarePhaseId?: number | null;
}): PhaseAnswer | null {
  if (!p.respond) return null;
  if (p.kind === 'pledge') return 'pledge';
  if (p.pledgePhaseId) return 'progress';
  if (p.kind === 'declare' || p.kind === 'semester') return 'assess';
  if (p.kind === 'review') {
    if (p.respond === 'member') return 'peer-review';
    return p.scoresDeclarePhaseId ? 'applicant-scoring' : 'leader-review';
  }
  return 'done';
}

export function isOpen(phase: PhaseState, now: Date): boolean {
  return phase.opensAt.getTime() <= now.getTime() && now.getTime() < phase.closesAt.getTime();
}

/** Phases answered by a self-assessment: declaration (申报自评) and semester re-assessment (学期考核). */
export function isAssessPhase(p: Pick<PhaseState, 'kind' | 'respond'>): boolean {
  return (p.kind === 'declare' || p.kind === 'semester') && (p.respond === 'member' || p.respond === 'secretary');
}

/** Where a phase's self-assessments are scored again: the leaders' review phase that follows a declare phase, else the phase itself. */
export function reviewWindowOf<P extends Pick<PhaseState, 'seq' | 'kind' | 'respond'>>(phases: P[], phase: P): P {
  if (phase.kind !== 'declare') return phase;
  const later = phases.filter((p) => p.seq > phase.seq).sort((a, b) => a.seq - b.seq);
  const stop = later.findIndex((p) => isAssessPhase(p));
  const before = stop < 0 ? later : later.slice(0, stop);
  return before.find((p) => p.kind === 'review' && p.respond === 'leader') ?? phase;
}
