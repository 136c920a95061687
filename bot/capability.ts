// A capability (pledge, assess, review …) plugs into the core through one record: its commands and
// card actions, the phase answers it owns (the button a phase card shows for them and the forms it
// sends when such a phase is open), and its scheduled work and derived answers. The engine keeps
// only the generic open / nudge / digest / close jobs; adding a capability is its folder and one list.
import type { Button } from '../cards/model.js';
import type { PhaseAnswer, PhaseState } from './campaign/state.js';
import type { PhaseJobs } from './engine/due-jobs.js';
import type { ResponseSource } from './engine/store.js';
import type { Ports } from './ports.js';
import type { ActionSpec, CommandSpec, Registry } from './registry.js';
import type { TickHook } from './schedule.js';

export interface Capability {
  id: string;
  commands?: CommandSpec[];
  actions?: ActionSpec[];
  /** The ways of answering a phase this capability provides (see phaseAnswer). */
  answers?: PhaseAnswer[];
  /** The button phase cards (opening, reminder) show for a phase it answers; null for none. */
  phaseButton?(phase: PhaseState): Button | null;
  /** Jobs while a phase it answers is open (its forms in people's direct chats). */
  phaseJobs?: PhaseJobs;
  /** Scheduled work run by every tick after the engine. */
  tickHooks?: TickHook[];
  /** Answers derived rather than stored. */
  responseSources?: ResponseSource[];
  /** Services behind public pages it owns (the web adapter renders them). */
  ports?: Ports;
}

/** The routing contract and engine parts of a list of capabilities; an answer claimed twice is a wiring bug. */
export function registryOf(capabilities: Capability[]): Registry {
  const owner = new Map<PhaseAnswer, Capability>();
  for (const cap of capabilities) {
    for (const answer of cap.answers ?? []) {
      const taken = owner.get(answer);
      if (taken) throw new Error(`phase answer "${answer}" is claimed by both ${taken.id} and ${cap.id}`);
      owner.set(answer, cap);
    }
  }
  return {
    commands: capabilities.flatMap((c) => c.commands ?? []),
    actions: capabilities.flatMap((c) => c.actions ?? []),
    tickHooks: capabilities.flatMap((c) => c.tickHooks ?? []),
    responseSources: capabilities.flatMap((c) => c.responseSources ?? []),
    ports: Object.assign({}, ...capabilities.map((c) => c.ports ?? {})) as Ports,
    engine: {
      phaseJobs: capabilities.flatMap((c) => (c.phaseJobs ? [c.phaseJobs] : [])),
      phaseButton: (phase, answer) => (answer ? (owner.get(answer)?.phaseButton?.(phase) ?? null) : null),
    },
  };
}
