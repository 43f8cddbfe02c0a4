/** A small structured logger; modules take one injected and never print directly. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface LogRecord {
  level: LogLevel;
  msg: string;
  fields: Record<string, unknown>;
}

/** Writes one line per record to a sink (stderr by default). */
export function createLogger(opts: { level?: LogLevel; sink?: (r: LogRecord) => void; fields?: Record<string, unknown> } = {}): Logger {
  const min = RANK[opts.level ?? 'info'];
  const base = opts.fields ?? {};
  const sink =
    opts.sink ??
    ((r: LogRecord) => {
      const extra = Object.keys(r.fields).length ? ' ' + JSON.stringify(r.fields) : '';
      process.stderr.write(`${r.level.padEnd(5)} ${r.msg}${extra}\n`);
    });
  const emit = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (RANK[level] >= min) sink({ level, msg, fields: { ...base, ...fields } });
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => createLogger({ level: opts.level, sink, fields: { ...base, ...fields } }),
  };
}

export const silentLogger: Logger = createLogger({ level: 'error', sink: () => undefined });
