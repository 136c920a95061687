// JSON-lines logger. Callers pass ids, never message contents or ballots.
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

export type LogSink = (line: string, level: LogLevel) => void;

const consoleSink: LogSink = (line, level) => {
  if (level === 'error' || level === 'warn') console.error(line);
  else console.log(line);
};

function describe(value: unknown): unknown {
  // The cause matters: drizzle wraps a driver error ("SQLITE_BUSY") in "Failed query: …". Its
  // "params:" part is cut: they can hold what people wrote, or a ballot with its sender.
  if (value instanceof Error) {
    const message = value.message.replace(/\nparams: [\s\S]*$/, '\nparams: (not logged)');
    return { name: value.name, message, ...(value.cause ? { cause: describe(value.cause) } : {}) };
  }
  return value;
}

export function createLogger(minLevel: LogLevel = 'info', sink: LogSink = consoleSink): Logger {
  const write = (level: LogLevel, msg: string, fields?: LogFields) => {
    if (ORDER[level] < ORDER[minLevel]) return;
    const record: LogFields = { t: new Date().toISOString(), level, msg };
    for (const [k, v] of Object.entries(fields ?? {})) record[k] = describe(v);
    sink(JSON.stringify(record), level);
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}

/** Keeps every line in memory; tests read it to prove what was (not) logged. */
export function memoryLogger(minLevel: LogLevel = 'debug'): Logger & { lines: string[] } {
  const lines: string[] = [];
  return Object.assign(
    createLogger(minLevel, (line) => lines.push(line)),
    { lines },
  );
}
