// Who this process is, for claims on inbox events and outbox rows, and its wall clock for leases.
import { randomUUID } from 'node:crypto';

export interface Instance {
  /** Unique per process start; written on every claim it makes. */
  readonly id: string;
  /** Wall-clock ms for leases (not the campaign clock, which tests set). */
  wallNow(): number;
}

export function newInstance(label = 'bot'): Instance {
  return { id: `${label}:${randomUUID().slice(0, 8)}`, wallNow: () => Date.now() };
}
