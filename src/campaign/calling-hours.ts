import { InputError } from '../core/errors';

/**
 * When a campaign may dial: windows of local time on given weekdays, each in its
 * own IANA time zone (a campaign for Urumqi numbers may keep Xinjiang hours).
 * An empty list means any time.
 */
export interface CallingWindow {
  /** ISO weekdays, 1 = Monday .. 7 = Sunday (default every day). */
  days?: number[];
  /** "HH:MM" local time, start inclusive, end exclusive; end may be "24:00". */
  start: string;
  end: string;
  /** IANA zone, e.g. "Asia/Shanghai" (default). */
  timeZone?: string;
}

interface ParsedWindow {
  days: ReadonlySet<number>;
  startMin: number;
  endMin: number;
  timeZone: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  return f;
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** Weekday (1-7) and minute of the day at `ms` in a zone. */
export function localTime(ms: number, timeZone: string): { day: number; minute: number } {
  let day = 0;
  let hour = 0;
  let minute = 0;
  for (const p of formatterFor(timeZone).formatToParts(new Date(ms))) {
    if (p.type === 'weekday') day = WEEKDAYS[p.value];
    else if (p.type === 'hour') hour = Number(p.value);
    else if (p.type === 'minute') minute = Number(p.value);
  }
  return { day, minute: hour * 60 + minute };
}

function parseClock(value: string, where: string): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(value);
  if (!m || Number(m[1]) > 24 || Number(m[2]) > 59 || (Number(m[1]) === 24 && m[2] !== '00'))
    throw new InputError(where, `'${value}' is not a time of day (HH:MM)`);
  return Number(m[1]) * 60 + Number(m[2]);
}

export class CallingHours {
  private readonly windows: ParsedWindow[];

  constructor(windows: readonly CallingWindow[] = [], where = 'calling_hours') {
    this.windows = windows.map((w, i) => {
      const at = `${where}[${i}]`;
      const timeZone = w.timeZone ?? 'Asia/Shanghai';
      try {
        formatterFor(timeZone);
      } catch {
        throw new InputError(`${at}.timeZone`, `unknown time zone '${timeZone}'`);
      }
      const days = w.days ?? [1, 2, 3, 4, 5, 6, 7];
      for (const d of days) if (!Number.isInteger(d) || d < 1 || d > 7) throw new InputError(`${at}.days`, `${d} is not a weekday 1-7`);
      const startMin = parseClock(w.start, `${at}.start`);
      const endMin = parseClock(w.end, `${at}.end`);
      if (endMin <= startMin) throw new InputError(at, `ends (${w.end}) before it starts (${w.start})`);
      return { days: new Set(days), startMin, endMin, timeZone };
    });
  }

  get unrestricted(): boolean {
    return this.windows.length === 0;
  }

  isOpen(ms: number): boolean {
    if (this.unrestricted) return true;
    return this.windows.some((w) => {
      const t = localTime(ms, w.timeZone);
      return w.days.has(t.day) && t.minute >= w.startMin && t.minute < w.endMin;
    });
  }

  /** The first instant at or after `ms` when dialling is allowed (to the minute); undefined if never within 8 days. */
  nextOpening(ms: number): number | undefined {
    if (this.isOpen(ms)) return ms;
    // Step to each minute boundary; windows start on whole minutes in every zone we accept.
    let t = Math.floor(ms / 60_000) * 60_000 + 60_000;
    const limit = ms + 8 * 86_400_000;
    while (t <= limit) {
      if (this.isOpen(t)) return t;
      t += this.skipHint(t);
    }
    return undefined;
  }

  /**
   * How far it is safe to jump while closed: to the next quarter hour when every
   * window starts on one (zone offsets are 15-minute multiples), else a minute.
   */
  private skipHint(t: number): number {
    if (this.windows.some((w) => w.startMin % 15 !== 0)) return 60_000;
    const minute = Math.floor(t / 60_000) % 15;
    return (minute === 0 ? 15 : 15 - minute) * 60_000;
  }
}
