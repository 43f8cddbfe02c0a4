import { Mtp2Link, Mtp2Options } from '../../src/signalling/ss7/mtp2/mtp2-link';

/**
 * Two MTP2 engines on a simulated signalling timeslot, in virtual time, for the
 * engine's tests: 'mtp2' delivers only what is written and drops a frame equal
 * to the previous one (DAHDI's MTP2 flag); 'dchan' also repeats each end's
 * fill-in every `repeatMs`.
 */
export class Mtp2Wire {
  now = 0;
  cut = false;
  /** Drops the next frames sent by A that this returns true for. */
  dropFromA: (su: Uint8Array) => boolean = () => false;
  private lastRx = new Map<Mtp2Link, Uint8Array>();
  readonly a: Mtp2Link;
  readonly b: Mtp2Link;

  constructor(
    readonly mode: 'mtp2' | 'dchan',
    optsA: Mtp2Options = {},
    optsB: Mtp2Options = optsA,
    readonly repeatMs = 10,
  ) {
    this.a = new Mtp2Link(optsA, 'mtp2 A');
    this.b = new Mtp2Link(optsB, 'mtp2 B');
  }

  private deliver(from: Mtp2Link, to: Mtp2Link, sus: Uint8Array[]): void {
    for (const su of sus) {
      if (this.cut || (from === this.a && this.dropFromA(su))) continue;
      const prev = this.lastRx.get(to);
      if (this.mode === 'mtp2' && prev && prev.length === su.length && prev.every((x, i) => x === su[i])) continue;
      this.lastRx.set(to, su);
      to.receive(su, this.now);
    }
  }

  private exchange(): void {
    for (let i = 0; i < 50; i++) {
      const fromA = this.a.takeOutgoing();
      const fromB = this.b.takeOutgoing();
      if (!fromA.length && !fromB.length) return;
      this.deliver(this.a, this.b, fromA);
      this.deliver(this.b, this.a, fromB);
    }
  }

  /** Runs the two ends for `ms` of virtual time. */
  run(ms: number): void {
    const end = this.now + ms;
    this.exchange();
    let nextRepeat = this.now + this.repeatMs;
    for (;;) {
      const deadlines = [this.a.nextDeadline(), this.b.nextDeadline()].filter((d): d is number => d !== undefined);
      if (this.mode === 'dchan') deadlines.push(nextRepeat);
      const next = Math.min(end, ...deadlines);
      this.now = Math.max(this.now, next);
      this.a.feedTime(this.now);
      this.b.feedTime(this.now);
      if (this.mode === 'dchan' && this.now >= nextRepeat) {
        nextRepeat = this.now + this.repeatMs;
        this.deliver(this.a, this.b, [this.a.fillIn]);
        this.deliver(this.b, this.a, [this.b.fillIn]);
      }
      this.exchange();
      if (this.now >= end) return;
    }
  }
}
