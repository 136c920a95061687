// Shared by the bench processes: reading numeric settings, and counting the SQL and log lines of the
// app under test without changing what it does.
import type { Client } from '@libsql/client';
import { createLogger, type LogLevel, type Logger } from '../../bot/log.js';

export function envNumber(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max) throw new Error(`${name} must be a number from ${min} to ${max}, got "${raw}"`);
  return n;
}

export const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '-');

export interface SqlCount {
  statements: number;
  batches: number;
  reset(): void;
}

/** Counts statements sent through the libSQL client (drizzle calls execute and batch). */
export function countStatements(client: Client): SqlCount {
  const count: SqlCount = {
    statements: 0,
    batches: 0,
    reset() {
      count.statements = 0;
      count.batches = 0;
    },
  };
  const execute = client.execute.bind(client);
  const batch = client.batch.bind(client);
  client.execute = ((...args: Parameters<typeof execute>) => {
    count.statements += 1;
    return execute(...args);
  }) as typeof client.execute;
  client.batch = ((stmts: Parameters<typeof batch>[0], mode?: Parameters<typeof batch>[1]) => {
    count.batches += 1;
    count.statements += stmts.length;
    return batch(stmts, mode);
  }) as typeof client.batch;
  return count;
}

export interface CountingLog {
  log: Logger;
  counts: Record<LogLevel, number>;
  /** Up to five warn or error lines. */
  samples: string[];
  reset(): void;
}

/** The production logger with a sink that counts instead of printing. */
export function countingLogger(level: LogLevel): CountingLog {
  const counts: Record<LogLevel, number> = { debug: 0, info: 0, warn: 0, error: 0 };
  const samples: string[] = [];
  const log = createLogger(level, (line, lineLevel) => {
    counts[lineLevel] += 1;
    if ((lineLevel === 'warn' || lineLevel === 'error') && samples.length < 5) samples.push(line);
  });
  return {
    log,
    counts,
    samples,
    reset() {
      for (const k of Object.keys(counts) as LogLevel[]) counts[k] = 0;
      samples.length = 0;
    },
  };
}
