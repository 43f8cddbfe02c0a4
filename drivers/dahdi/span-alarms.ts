/**
 * Span alarm debounce: a layer-1 condition becomes an alarm only after it has
 * lasted its debounce time, and the alarm clears only after the condition has
 * been gone as long (E1 practice: LOS/LOF/AIS 2500 ms, RAI 500 ms).
 *
 *   state     stimulus   action                     next
 *   clear     seen       start debounce timer       raising
 *   raising   gone       stop timer                 clear
 *   raising   settled    report alarm raised        active
 *   active    gone       start debounce timer       clearing
 *   clearing  seen       stop timer                 active
 *   clearing  settled    report alarm cleared       clear
 */
import { Clock } from '../../src/core/clock';
import { StateMachine, TransitionTable } from '../../src/core/state-machine';
import { DAHDI } from './abi';

export type SpanAlarmKind = 'red' | 'blue' | 'yellow';
export type SpanAlarmCause = 'LOS' | 'LOF' | 'AIS' | 'RAI';

export interface SpanAlarmChange {
  spanno: number;
  kind: SpanAlarmKind;
  active: boolean;
  cause: SpanAlarmCause;
  at: number;
}

export const DEFAULT_ALARM_DEBOUNCE_MS: Readonly<Record<SpanAlarmKind, number>> = { red: 2500, blue: 2500, yellow: 500 };

type DebounceState = 'clear' | 'raising' | 'active' | 'clearing';
type DebounceEvent = 'seen' | 'gone' | 'settled';

const DEBOUNCE_TABLE: TransitionTable<DebounceState, DebounceEvent> = {
  clear: { seen: 'raising' },
  raising: { gone: 'clear', settled: 'active' },
  active: { gone: 'clearing' },
  clearing: { seen: 'active', settled: 'clear' },
};

/** The raw condition of each alarm kind in a DAHDI alarms word, with its cause. */
export function rawAlarms(alarms: number): Record<SpanAlarmKind, SpanAlarmCause | undefined> {
  const red = alarms & DAHDI.ALARM_RED ? (alarms & DAHDI.ALARM_LFA && !(alarms & DAHDI.ALARM_LOS) ? 'LOF' : 'LOS') : undefined;
  return {
    red,
    blue: alarms & DAHDI.ALARM_BLUE ? 'AIS' : undefined,
    yellow: alarms & DAHDI.ALARM_YELLOW ? 'RAI' : undefined,
  };
}

class AlarmDebouncer {
  private readonly fsm: StateMachine<DebounceState, DebounceEvent>;
  private cause: SpanAlarmCause;

  constructor(
    private readonly kind: SpanAlarmKind,
    private readonly spanno: number,
    private readonly ms: number,
    private readonly clock: Clock,
    private readonly report: (change: SpanAlarmChange) => void,
  ) {
    this.fsm = new StateMachine(`span ${spanno} ${kind} alarm`, DEBOUNCE_TABLE, 'clear', { clock });
    this.cause = kind === 'red' ? 'LOS' : kind === 'blue' ? 'AIS' : 'RAI';
  }

  get active(): boolean {
    return this.fsm.state === 'active' || this.fsm.state === 'clearing';
  }

  update(cause: SpanAlarmCause | undefined): void {
    const present = cause !== undefined;
    if (cause) this.cause = cause;
    const s = this.fsm.state;
    if (present && (s === 'clear' || s === 'clearing')) {
      this.fsm.transition('seen', cause);
      if (s === 'clear') this.fsm.startTimer('debounce', this.ms, () => this.settle(true));
      else this.fsm.stopTimer('debounce');
    } else if (!present && (s === 'raising' || s === 'active')) {
      this.fsm.transition('gone');
      if (s === 'raising') this.fsm.stopTimer('debounce');
      else this.fsm.startTimer('debounce', this.ms, () => this.settle(false));
    }
  }

  stop(): void {
    this.fsm.stopAllTimers();
  }

  private settle(active: boolean): void {
    this.fsm.transition('settled');
    this.report({ spanno: this.spanno, kind: this.kind, active, cause: this.cause, at: this.clock.now() });
  }
}

/** Debounced RED/BLUE/YELLOW state of one span, fed raw DAHDI alarm words. */
export class SpanAlarmState {
  private readonly debouncers: Record<SpanAlarmKind, AlarmDebouncer>;

  constructor(
    spanno: number,
    clock: Clock,
    report: (change: SpanAlarmChange) => void,
    debounceMs: Partial<Record<SpanAlarmKind, number>> = {},
  ) {
    const ms = { ...DEFAULT_ALARM_DEBOUNCE_MS, ...debounceMs };
    const make = (k: SpanAlarmKind) => new AlarmDebouncer(k, spanno, ms[k], clock, report);
    this.debouncers = { red: make('red'), blue: make('blue'), yellow: make('yellow') };
  }

  /** Feeds the span's raw alarms word (DAHDI_ALARM_* bits) as last read. */
  update(alarms: number): void {
    const raw = rawAlarms(alarms);
    for (const k of ['red', 'blue', 'yellow'] as const) this.debouncers[k].update(raw[k]);
  }

  get active(): Record<SpanAlarmKind, boolean> {
    return { red: this.debouncers.red.active, blue: this.debouncers.blue.active, yellow: this.debouncers.yellow.active };
  }

  /** RED or BLUE: the span carries no traffic. YELLOW alone still does. */
  get down(): boolean {
    return this.debouncers.red.active || this.debouncers.blue.active;
  }

  stop(): void {
    for (const d of Object.values(this.debouncers)) d.stop();
  }
}
