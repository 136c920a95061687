// Group commit of "event done" marks that carry no other write (most card actions): the marks that
// arrive while one UPDATE runs go together in the next, so a burst costs a few statements, not one
// each. Every caller still waits until its own mark is written before the platform gets its answer.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';

interface Mark {
  platform: string;
  eventId: string;
  status: 'done' | 'failed';
  resolve(): void;
  reject(err: unknown): void;
}

/** SQLite's default limit is 32,766 bound parameters; stay far below it. */
const MAX_PER_STATEMENT = 400;

export interface DoneMarks {
  mark(platform: string, eventId: string, status: 'done' | 'failed', doneAtMs: number): Promise<void>;
}

export function doneMarks(db: Db): DoneMarks {
  let queue: Mark[] = [];
  let flushing = false;
  let doneAt = 0;

  const write = async (marks: Mark[], status: 'done' | 'failed', at: number) => {
    const keys = sql.join(
      marks.map((m) => sql`(${m.platform}, ${m.eventId})`),
      sql`, `,
    );
    await db.run(
      sql`UPDATE processed_events SET status = ${status}, payload = NULL, claimed_by = NULL, claimed_until = NULL, done_at = ${at}
          WHERE (platform, event_id) IN (VALUES ${keys})`,
    );
  };

  const flush = async () => {
    if (flushing) return;
    flushing = true;
    while (queue.length) {
      const batch = queue.slice(0, MAX_PER_STATEMENT);
      queue = queue.slice(batch.length);
      for (const status of ['done', 'failed'] as const) {
        const marks = batch.filter((m) => m.status === status);
        if (!marks.length) continue;
        try {
          await write(marks, status, doneAt);
          for (const m of marks) m.resolve();
        } catch (err) {
          for (const m of marks) m.reject(err);
        }
      }
    }
    flushing = false;
  };

  return {
    mark(platform, eventId, status, doneAtMs) {
      doneAt = Math.max(doneAt, doneAtMs);
      return new Promise<void>((resolve, reject) => {
        queue.push({ platform, eventId, status, resolve, reject });
        // The embedded driver runs a statement synchronously: wait for the rest of this turn of the
        // event loop, so the marks of the requests read in it go together.
        if (!flushing && queue.length === 1) setImmediate(() => void flush());
      });
    },
  };
}
