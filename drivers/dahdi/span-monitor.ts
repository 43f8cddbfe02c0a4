import { Clock, systemClock, TimerHandle } from '../../src/core/clock';
import { rateLimitedLogger } from '../../src/core/log-limiter';
import { Logger, silentLogger } from '../../src/core/logger';
import { DahdiChannel } from './dahdi-channel';
import { DahdiControl } from './dahdi-control';
import { DahdiSpaninfoValue } from './ffi';
import { SpanAlarmChange, SpanAlarmKind, SpanAlarmState } from './span-alarms';
import { Emitter, Unsubscribe } from '../../src/core/emitter';

/** Error counters of an E1 span, as read and as grown since the previous read. */
export interface SpanCounters {
  spanno: number;
  at: number;
  bpv: number;
  crc4: number;
  ebit: number;
  fas: number;
  erroredSeconds: number;
  delta: { bpv: number; crc4: number; ebit: number; fas: number; erroredSeconds: number };
}

export interface SpanMonitorOptions {
  spanno: number;
  clock?: Clock;
  /** How often the raw alarm state is read (alarm events from watched channels also trigger a read). */
  statusIntervalMs?: number;
  /** How often counters are read and reported. */
  countersIntervalMs?: number;
  debounceMs?: Partial<Record<SpanAlarmKind, number>>;
  control?: DahdiControl;
  logger?: Logger;
}

/**
 * Watches one span through /dev/dahdi/ctl: reads DAHDI_SPANSTAT on the injected
 * clock, debounces RED/BLUE/YELLOW, and reports counters periodically. DAHDI
 * signals alarms on channels as events; channels given to watch() make the
 * monitor read at once instead of waiting for its next period.
 */
export class DahdiSpanMonitor {
  readonly spanno: number;
  private readonly clock: Clock;
  private readonly control: DahdiControl;
  private readonly ownsControl: boolean;
  private readonly alarms: SpanAlarmState;
  private readonly logger: Logger;
  private readonly alarmChanges = new Emitter<[change: SpanAlarmChange]>((err) =>
    this.logger.error('alarm listener failed', { error: String(err) }),
  );
  private readonly counterReads = new Emitter<[counters: SpanCounters]>((err) =>
    this.logger.error('counter listener failed', { error: String(err) }),
  );
  private statusTimer: TimerHandle | undefined;
  private countersTimer: TimerHandle | undefined;
  private last: SpanCounters | undefined;
  private closed = false;

  constructor(private readonly opts: SpanMonitorOptions) {
    this.spanno = opts.spanno;
    this.clock = opts.clock ?? systemClock;
    // A flapping line raises and clears alarms as fast as it flaps: logged through a limiter, with counts.
    this.logger = rateLimitedLogger(opts.logger ?? silentLogger).child({ span: opts.spanno });
    this.ownsControl = !opts.control;
    this.control = opts.control ?? DahdiControl.open();
    this.alarms = new SpanAlarmState(opts.spanno, this.clock, (c) => this.emitAlarm(c), opts.debounceMs);
  }

  /** Starts the periodic reads (status at once). */
  start(): void {
    this.refresh();
    this.scheduleStatus();
    this.scheduleCounters();
  }

  onAlarm(cb: (change: SpanAlarmChange) => void): Unsubscribe {
    return this.alarmChanges.on(cb);
  }

  /**
   * The span going down (a debounced RED or BLUE alarm: no traffic) and coming back,
   * once each way, with the cause: what a CAS span's signalling needs of its line.
   */
  onDown(cb: (down: boolean, reason: string) => void): Unsubscribe {
    let down = this.down;
    return this.alarmChanges.on((change) => {
      if (this.down === down) return;
      down = this.down;
      cb(down, down ? change.cause : 'cleared');
    });
  }

  onCounters(cb: (counters: SpanCounters) => void): Unsubscribe {
    return this.counterReads.on(cb);
  }

  /** Reads the span's alarm state through this channel's events as soon as DAHDI raises or clears one. */
  watch(channel: DahdiChannel): void {
    channel.onEvent((ev) => {
      if (ev.type === 'alarm' || ev.type === 'noalarm') this.refresh();
    });
  }

  /** Debounced alarms now. */
  get activeAlarms(): Record<SpanAlarmKind, boolean> {
    return this.alarms.active;
  }

  /** True while a debounced RED or BLUE alarm stands: the span carries no traffic. */
  get down(): boolean {
    return this.alarms.down;
  }

  /** Reads DAHDI_SPANSTAT now and feeds the alarm debounce; returns what was read. */
  refresh(): DahdiSpaninfoValue | undefined {
    if (this.closed) return undefined;
    try {
      const si = this.control.spanStatus(this.spanno);
      this.alarms.update(si.alarms);
      return si;
    } catch (err) {
      this.logger.error('span status read failed', { error: String(err) });
      return undefined;
    }
  }

  /** Reads and reports the counters now. */
  readCounters(): SpanCounters | undefined {
    const si = this.refresh();
    if (!si) return undefined;
    const prev = this.last;
    const c: SpanCounters = {
      spanno: this.spanno,
      at: this.clock.now(),
      bpv: si.bpvcount,
      crc4: si.crc4count,
      ebit: si.ebitcount,
      fas: si.fascount,
      erroredSeconds: si.errsec,
      delta: {
        bpv: si.bpvcount - (prev?.bpv ?? 0),
        crc4: si.crc4count - (prev?.crc4 ?? 0),
        ebit: si.ebitcount - (prev?.ebit ?? 0),
        fas: si.fascount - (prev?.fas ?? 0),
        erroredSeconds: si.errsec - (prev?.erroredSeconds ?? 0),
      },
    };
    this.last = c;
    this.counterReads.emit(c);
    return c;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.statusTimer?.cancel();
    this.countersTimer?.cancel();
    this.alarms.stop();
    this.alarmChanges.clear();
    this.counterReads.clear();
    if (this.ownsControl) this.control.close();
  }

  private scheduleStatus(): void {
    this.statusTimer = this.clock.setTimer(this.opts.statusIntervalMs ?? 250, () => {
      this.refresh();
      if (!this.closed) this.scheduleStatus();
    });
  }

  private scheduleCounters(): void {
    this.countersTimer = this.clock.setTimer(this.opts.countersIntervalMs ?? 1000, () => {
      this.readCounters();
      if (!this.closed) this.scheduleCounters();
    });
  }

  private emitAlarm(change: SpanAlarmChange): void {
    this.logger.warn(`span ${change.kind} alarm ${change.active ? 'raised' : 'cleared'}`, { cause: change.cause });
    this.alarmChanges.emit(change);
  }
}
