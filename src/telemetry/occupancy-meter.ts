/**
 * Seat occupancy over a sliding window, integrated exactly from seat transitions:
 * time in talking or wrap-up divided by time logged in. Checkpoints every few
 * seconds keep the window without storing every transition.
 */
import { Clock } from '../core/clock';
import { Seat, SeatState } from '../seats/seat';

const OCCUPIED: ReadonlySet<SeatState> = new Set(['talking', 'wrap-up']);
const CHECKPOINT_MS = 5000;

interface Checkpoint {
  at: number;
  busyMs: number;
  loggedMs: number;
}

export class OccupancyMeter {
  private busy = 0;
  private loggedIn = 0;
  private busyMs = 0;
  private loggedMs = 0;
  private lastAt: number;
  private readonly checkpoints: Checkpoint[] = [];

  constructor(
    seats: readonly Seat[],
    private readonly clock: Clock,
    private readonly windowMs = 300_000,
  ) {
    this.lastAt = clock.now();
    for (const seat of seats) {
      this.count(seat.state, 1);
      seat.onChange((_s, e) => {
        this.advance(e.at);
        this.count(e.from, -1);
        this.count(e.to, 1);
      });
    }
    this.checkpoints.push({ at: this.lastAt, busyMs: 0, loggedMs: 0 });
  }

  /** Occupancy (0-1) over the last window, or right now if no time has passed. */
  occupancy(): number {
    const now = this.clock.now();
    this.advance(now);
    if (now - this.checkpoints[this.checkpoints.length - 1].at >= CHECKPOINT_MS)
      this.checkpoints.push({ at: now, busyMs: this.busyMs, loggedMs: this.loggedMs });
    while (this.checkpoints.length > 1 && now - this.checkpoints[1].at >= this.windowMs) this.checkpoints.shift();
    const from = this.checkpoints[0];
    const logged = this.loggedMs - from.loggedMs;
    if (logged > 0) return (this.busyMs - from.busyMs) / logged;
    return this.loggedIn ? this.busy / this.loggedIn : 0;
  }

  private count(state: SeatState, d: number): void {
    if (state !== 'logged-out') this.loggedIn += d;
    if (OCCUPIED.has(state)) this.busy += d;
  }

  private advance(now: number): void {
    const dt = Math.max(0, now - this.lastAt);
    this.busyMs += this.busy * dt;
    this.loggedMs += this.loggedIn * dt;
    this.lastAt = Math.max(this.lastAt, now);
  }
}
