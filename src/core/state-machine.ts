import { Clock, systemClock, TimerHandle } from './clock';
import { StateTransitionError } from './errors';

/** For each state, the events it accepts and the state each one leads to. */
export type TransitionTable<S extends string, E extends string> = {
  readonly [K in S]: Partial<Readonly<Record<E, S>>>;
};

export interface HistoryEntry<S extends string, E extends string> {
  at: number;
  from: S;
  event: E;
  to: S;
  note?: string;
}

export interface StateMachineOptions<S extends string, E extends string> {
  clock?: Clock;
  /** How many transitions to keep for diagnostics. */
  historySize?: number;
  onTransition?: (entry: HistoryEntry<S, E>) => void;
}

/**
 * An explicit state machine: one guarded transition(), a declared table, a short
 * history, and named timers that are stopped when the machine leaves a state
 * that owns them (callers stop them explicitly; stopAllTimers() on teardown).
 */
export class StateMachine<S extends string, E extends string> {
  private current: S;
  private readonly ring: HistoryEntry<S, E>[] = [];
  private ringNext = 0;
  private readonly timers = new Map<string, TimerHandle>();
  private readonly clock: Clock;
  private readonly historySize: number;

  constructor(
    readonly name: string,
    private readonly table: TransitionTable<S, E>,
    initial: S,
    private readonly opts: StateMachineOptions<S, E> = {},
  ) {
    this.current = initial;
    this.clock = opts.clock ?? systemClock;
    this.historySize = opts.historySize ?? 16;
  }

  get state(): S {
    return this.current;
  }

  can(event: E): boolean {
    return this.table[this.current][event] !== undefined;
  }

  /** Applies an event; throws StateTransitionError if the table does not allow it. */
  transition(event: E, note?: string): S {
    const to = this.table[this.current][event];
    if (to === undefined) {
      throw new StateTransitionError(
        this.name,
        this.current,
        event,
        this.history().map((h) => `${h.from}-[${h.event}]->${h.to}`),
      );
    }
    const entry: HistoryEntry<S, E> = { at: this.clock.now(), from: this.current, event, to, note };
    this.current = to;
    if (this.ring.length < this.historySize) this.ring.push(entry);
    else this.ring[this.ringNext] = entry;
    this.ringNext = (this.ringNext + 1) % this.historySize;
    this.opts.onTransition?.(entry);
    return to;
  }

  /** Oldest first. */
  history(): HistoryEntry<S, E>[] {
    if (this.ring.length < this.historySize) return [...this.ring];
    return [...this.ring.slice(this.ringNext), ...this.ring.slice(0, this.ringNext)];
  }

  /** (Re)starts a named timer. */
  startTimer(name: string, ms: number, onExpiry: () => void): void {
    this.stopTimer(name);
    const handle = this.clock.setTimer(ms, () => {
      this.timers.delete(name);
      onExpiry();
    });
    this.timers.set(name, handle);
  }

  stopTimer(name: string): void {
    this.timers.get(name)?.cancel();
    this.timers.delete(name);
  }

  hasTimer(name: string): boolean {
    return this.timers.has(name);
  }

  stopAllTimers(): void {
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
  }
}
