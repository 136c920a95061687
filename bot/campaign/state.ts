// The campaign state the scheduler reasons about, and the completion figures derived from it.
import type { DateRange, Role } from '../../db/schema.js';
import type { PhaseKind, Responder } from './template.js';

export interface PhaseState {
  id: number;
  seq: number;
  kind: PhaseKind;
  title: string;
  task: string;
  respond: Responder | null;
  opensAt: Date;
  closesAt: Date;
}

export interface RosterEntry {
  memberId: number;
  userId: string;
  name: string;
  branchId: number | null;
  role: Role;
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
      return roster.filter((r) => r.role === 'leader');
    default:
      return [];
  }
}

export interface Completion {
  expected: number;
  done: number;
  pending: RosterEntry[];
}

export function completion(
  phase: PhaseState,
  roster: RosterEntry[],
  responded: ReadonlySet<string>,
  branchId?: number,
): Completion {
  const expected = expectedOf(phase, roster).filter((r) => branchId === undefined || r.branchId === branchId);
  const pending = expected.filter((r) => !responded.has(respondedKey(phase.id, r.memberId)));
  return { expected: expected.length, done: expected.length - pending.length, pending };
}

export function isOpen(phase: PhaseState, now: Date): boolean {
  return phase.opensAt.getTime() <= now.getTime() && now.getTime() < phase.closesAt.getTime();
}
