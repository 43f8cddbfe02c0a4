import { VirtualClock } from '../../src/core/clock';

/**
 * Virtual time that runs as fast as the work allows: after the event loop has
 * settled (every promise continuation done), the next timer fires at once. A
 * simulation whose only time sources are this clock's timers then runs in virtual
 * time, tens of times faster than the wall clock, with the same results.
 */
export class FreeRunningClock extends VirtualClock {
  private running = false;
  private handle: NodeJS.Immediate | NodeJS.Timeout | undefined;

  constructor(startMs = Date.now()) {
    super(startMs);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule();
  }

  stop(): void {
    this.running = false;
    if (this.handle) {
      clearImmediate(this.handle as NodeJS.Immediate);
      clearTimeout(this.handle as NodeJS.Timeout);
    }
    this.handle = undefined;
  }

  private schedule(): void {
    if (!this.running) return;
    // setImmediate runs after pending I/O and promise jobs: nothing waits on us but timers.
    this.handle = setImmediate(() => {
      const next = this.nextDeadline();
      if (next === undefined) {
        this.handle = setTimeout(() => this.schedule(), 1);
        return;
      }
      this.advanceTo(next);
      this.schedule();
    });
  }
}
