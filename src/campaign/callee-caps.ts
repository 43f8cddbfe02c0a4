import { InputError } from '../core/errors';
import { CallingHours } from './calling-hours';

/**
 * Per-callee limits carriers set for outbound centres: at most N calls to one
 * number in any 24 hours, at most M in any 5 minutes, and only within the
 * callee's local hours (e.g. 08:00-21:00 Asia/Shanghai). The contact list asks
 * before it hands a number out; a number over a cap waits until the cap allows it.
 */
export interface CalleeCapsSettings {
  maxPer24h?: number;
  maxPer5min?: number;
  /** "HH:MM-HH:MM" in the callee's zone. */
  localHours?: string;
  timeZone?: string;
}

/** What a contact list consults before dialling a number, and tells when it has. */
export interface CalleeAdmission {
  /** The earliest instant at or after `now` the number may be dialled (`now` when it may be now). */
  notBefore(number: string, now: number): number;
  dialled(number: string, at: number): void;
}

const DAY_MS = 86_400_000;
const FIVE_MIN_MS = 300_000;

export class CalleeCaps implements CalleeAdmission {
  private readonly hours: CallingHours | undefined;
  /** Dial times per number within the last 24 h, oldest first. */
  private readonly dials = new Map<string, number[]>();
  private readonly keep: number;

  constructor(
    readonly settings: CalleeCapsSettings,
    where = 'calleeCaps',
  ) {
    for (const k of ['maxPer24h', 'maxPer5min'] as const) {
      const v = settings[k];
      if (v !== undefined && (!Number.isInteger(v) || v < 1))
        throw new InputError(`${where}.${k}`, `must be a whole number of at least 1, got ${v}`);
    }
    if (settings.localHours) {
      const m = /^(\d{1,2}:\d{2})-(\d{1,2}:\d{2})$/.exec(settings.localHours);
      if (!m) throw new InputError(`${where}.localHours`, `'${settings.localHours}' is not HH:MM-HH:MM`);
      this.hours = new CallingHours([{ start: m[1], end: m[2], timeZone: settings.timeZone ?? 'Asia/Shanghai' }], `${where}.localHours`);
    }
    this.keep = Math.max(settings.maxPer24h ?? 0, settings.maxPer5min ?? 0);
  }

  notBefore(number: string, now: number): number {
    let t = now;
    // Each rule can only push the time later; three rounds settle any mix of them.
    for (let round = 0; round < 3; round++) {
      const before = t;
      const times = this.dials.get(number) ?? [];
      t = Math.max(t, capWait(times, this.settings.maxPer24h, DAY_MS, t), capWait(times, this.settings.maxPer5min, FIVE_MIN_MS, t));
      if (this.hours && !this.hours.isOpen(t)) t = this.hours.nextOpening(t) ?? t + DAY_MS;
      if (t === before) break;
    }
    return t;
  }

  dialled(number: string, at: number): void {
    if (this.keep === 0) return;
    const times = (this.dials.get(number) ?? []).filter((x) => x > at - DAY_MS);
    times.push(at);
    if (times.length > this.keep) times.splice(0, times.length - this.keep);
    this.dials.set(number, times);
  }

  /** Calls in the last 24 h to the number, as counted so far. */
  recent(number: string, now: number, windowMs = DAY_MS): number {
    return (this.dials.get(number) ?? []).filter((x) => x > now - windowMs).length;
  }
}

/** When a number with these dial times may be dialled again under "at most `max` in `windowMs`". */
function capWait(times: readonly number[], max: number | undefined, windowMs: number, t: number): number {
  if (max === undefined) return t;
  const inWindow = times.filter((x) => x > t - windowMs);
  if (inWindow.length < max) return t;
  // The oldest call that keeps the count at the cap must leave the window first.
  return inWindow[inWindow.length - max] + windowMs;
}
