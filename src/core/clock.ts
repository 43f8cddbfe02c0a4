/**
 * Time is injected everywhere below the CLI: logic asks a Clock for "now" and for
 * timers, so the same controller and pacing code runs on the wall clock against
 * live drivers and in virtual time in the benchmark.
 */
export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  /** Milliseconds since the epoch (wall or virtual). */
  now(): number;
  /** Calls fn once after delayMs. Cancelling a fired or cancelled timer is a no-op. */
  setTimer(delayMs: number, fn: () => void): TimerHandle;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(delayMs, fn) {
    const t = setTimeout(fn, Math.max(0, delayMs));
    return { cancel: () => clearTimeout(t) };
  },
};

interface VirtualTimer {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
  /** Taken off the heap (fired or dropped): a later cancel has nothing to drop. */
  out: boolean;
}

/** Below this many cancelled timers the heap is not worth rebuilding. */
const COMPACT_MIN = 1024;

/**
 * A clock that moves only when told to. Timers fire in deadline order (ties in the
 * order they were set), so a run is reproducible from its seed.
 */
export class VirtualClock implements Clock {
  private current: number;
  private seq = 0;
  private heap: VirtualTimer[] = [];
  /** Cancelled timers still on the heap (dropped lazily when they reach the top). */
  private cancelledOnHeap = 0;

  constructor(startMs = 0) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  setTimer(delayMs: number, fn: () => void): TimerHandle {
    const timer: VirtualTimer = { at: this.current + Math.max(0, delayMs), seq: this.seq++, fn, cancelled: false, out: false };
    this.push(timer);
    return {
      cancel: () => {
        if (timer.cancelled) return;
        timer.cancelled = true;
        if (timer.out) return;
        // A cancelled timer stays on the heap until its deadline comes up: long timers
        // cancelled at every call (an hour's guard) would pile up over a long run.
        if (++this.cancelledOnHeap >= COMPACT_MIN && this.cancelledOnHeap * 2 > this.heap.length) this.compact();
      },
    };
  }

  /** Deadline of the next live timer, or undefined when none is pending. */
  nextDeadline(): number | undefined {
    this.dropCancelled();
    return this.heap[0]?.at;
  }

  /** Fires every timer due up to and including `untilMs`, then sets now to it. */
  advanceTo(untilMs: number): void {
    for (;;) {
      this.dropCancelled();
      const top = this.heap[0];
      if (!top || top.at > untilMs) break;
      this.pop();
      this.current = Math.max(this.current, top.at);
      top.fn();
    }
    this.current = Math.max(this.current, untilMs);
  }

  advance(ms: number): void {
    this.advanceTo(this.current + ms);
  }

  /** Runs timers until none is left or `limitMs` is reached; returns the final time. */
  runUntilIdle(limitMs = Number.POSITIVE_INFINITY): number {
    for (;;) {
      const next = this.nextDeadline();
      if (next === undefined || next > limitMs) break;
      this.advanceTo(next);
    }
    return this.current;
  }

  private dropCancelled(): void {
    while (this.heap.length && this.heap[0].cancelled) {
      this.pop();
      this.cancelledOnHeap--;
    }
  }

  /** Rebuilds the heap without its cancelled timers (a sorted array is a heap). */
  private compact(): void {
    for (const t of this.heap) if (t.cancelled) t.out = true;
    this.heap = this.heap.filter((t) => !t.cancelled).sort((a, b) => (this.before(a, b) ? -1 : 1));
    this.cancelledOnHeap = 0;
  }

  /** Timers held, cancelled ones not yet dropped included (what the clock costs in memory). */
  get heldTimers(): number {
    return this.heap.length;
  }

  private before(a: VirtualTimer, b: VirtualTimer): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private push(t: VirtualTimer): void {
    const h = this.heap;
    h.push(t);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(h[i], h[parent])) break;
      [h[i], h[parent]] = [h[parent], h[i]];
      i = parent;
    }
  }

  private pop(): VirtualTimer | undefined {
    const h = this.heap;
    const top = h[0];
    if (top) top.out = true;
    const last = h.pop();
    if (h.length && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.before(h[l], h[m])) m = l;
        if (r < h.length && this.before(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}
