/**
 * Keeps a hostile or broken line from flooding the log: per kind of message, at
 * most `burst` lines per `intervalMs`; the rest are counted, and the next line of
 * that kind after the interval says how many were suppressed. Counts are kept
 * whether or not anything is printed, so nothing is lost but the repetition.
 */
import { Logger, LogLevel } from './logger';

export interface LogLimiterOptions {
  /** Lines of one kind printed per interval (default 5). */
  burst?: number;
  intervalMs?: number;
  /** The clock (default Date.now); injected for tests. */
  now?: () => number;
}

interface KindState {
  windowStart: number;
  printed: number;
  suppressed: number;
  total: number;
}

export class LogLimiter {
  private readonly kinds = new Map<string, KindState>();
  private readonly burst: number;
  private readonly intervalMs: number;
  private readonly now: () => number;

  constructor(
    private readonly logger: Logger,
    opts: LogLimiterOptions = {},
  ) {
    this.burst = opts.burst ?? 5;
    this.intervalMs = opts.intervalMs ?? 10_000;
    this.now = opts.now ?? Date.now;
  }

  /**
   * Logs unless this kind has used its burst in the current interval. `kind` defaults to
   * the message; `to` is where the line goes (a child of the limiter's logger, say).
   */
  log(level: LogLevel, msg: string, fields?: Record<string, unknown>, kind = msg, to: Logger = this.logger): void {
    const now = this.now();
    let k = this.kinds.get(kind);
    if (!k) {
      // Bounded: a line could invent endless kinds (each message text different).
      if (this.kinds.size >= 256) this.kinds.delete(this.kinds.keys().next().value as string);
      this.kinds.set(kind, (k = { windowStart: now, printed: 0, suppressed: 0, total: 0 }));
    }
    k.total++;
    if (now - k.windowStart >= this.intervalMs) {
      k.windowStart = now;
      k.printed = 0;
    }
    if (k.printed >= this.burst) {
      k.suppressed++;
      return;
    }
    k.printed++;
    const extra = k.suppressed ? { suppressedSinceLast: k.suppressed } : {};
    k.suppressed = 0;
    to[level](msg, { ...fields, ...extra });
  }

  warn(msg: string, fields?: Record<string, unknown>, kind?: string): void {
    this.log('warn', msg, fields, kind);
  }

  /** How many messages of each kind were asked for (printed or not). */
  counts(): Record<string, number> {
    return Object.fromEntries([...this.kinds].map(([kind, k]) => [kind, k.total]));
  }

  suppressed(): number {
    let n = 0;
    for (const k of this.kinds.values()) n += k.suppressed;
    return n;
  }
}

const LIMITED = Symbol('rate-limited logger');

/** A logger whose info, warn and error lines go through one LogLimiter (see rateLimitedLogger). */
export type RateLimitedLogger = Logger & { readonly limiter: LogLimiter; readonly [LIMITED]: true };

/**
 * The logger a module that logs what a line sends it (every signalling kind, the span)
 * writes through: per kind of line (level, message and the child's bound fields, so
 * one span's or module's flood does not silence another's), at most a burst per
 * interval, the rest counted and reported with the next line of that kind. Its
 * children share the limiter. Debug lines pass as they are (off unless asked for). A
 * logger that is already rate-limited is returned as it is, so a module handed one by
 * its owner does not limit twice.
 */
export function rateLimitedLogger(logger: Logger, opts?: LogLimiterOptions): RateLimitedLogger {
  if ((logger as Partial<RateLimitedLogger>)[LIMITED]) return logger as RateLimitedLogger;
  return limitedView(new LogLimiter(logger, opts), logger, '');
}

function limitedView(limiter: LogLimiter, to: Logger, scope: string): RateLimitedLogger {
  const at = (level: LogLevel) => (msg: string, fields?: Record<string, unknown>) =>
    limiter.log(level, msg, fields, `${level} ${scope}${msg}`, to);
  return {
    debug: (msg, fields) => to.debug(msg, fields),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (fields) => limitedView(limiter, to.child(fields), `${scope}${JSON.stringify(fields)} `),
    limiter,
    [LIMITED]: true,
  };
}
