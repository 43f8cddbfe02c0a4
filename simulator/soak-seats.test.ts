import { VirtualClock } from '../src/core/clock';
import { silentLogger } from '../src/core/logger';
import { Span } from '../src/controller/span';
import { TrunkGroup } from '../src/controller/trunk-group';
import { OutboundSetup, SignallingCall, SignallingEvent, SpanSignalling } from '../src/signalling/span-signalling';
import { SeatPool } from './soak-seats';

/** A far end that answers every call at once and can fail its link. */
class AnsweringFarEnd implements SpanSignalling {
  readonly kind = 'pri-cpe' as const;
  readonly bearerChannels = [1, 2, 3, 4];
  linkUp = true;
  private listener: ((ev: SignallingEvent) => void) | undefined;
  private seq = 0;
  onEvent(listener: (ev: SignallingEvent) => void): () => void {
    this.listener = listener;
    return () => (this.listener = undefined);
  }
  setup(_channel: number, _setup: OutboundSetup): SignallingCall {
    const call = { id: ++this.seq };
    queueMicrotask(() => this.listener!({ type: 'answered', call }));
    return call;
  }
  answer(): void {}
  hangup(call: SignallingCall, cause: number): void {
    queueMicrotask(() => this.listener!({ type: 'released', call, cause, by: 'local' }));
  }
  resetChannel(): void {}
  linkDown(): void {
    this.linkUp = false;
    this.listener!({ type: 'link-down', reason: 'test' });
  }
  async close(): Promise<void> {}
}

async function settle(clock: VirtualClock, ms: number): Promise<void> {
  const end = clock.now() + ms;
  for (;;) {
    for (let i = 0; i < 5; i++) await Promise.resolve();
    const next = clock.nextDeadline();
    if (next === undefined || next > end) break;
    clock.advanceTo(next);
  }
  clock.advanceTo(end);
}

function rig(seats: number) {
  const clock = new VirtualClock(0);
  const far = new AnsweringFarEnd();
  const span = new Span(1, far, { clock });
  for (const ch of span.channels) ch.apply('restore');
  const group = new TrunkGroup([span], { clock });
  const pool = new SeatPool({ clock, seats, seed: 1, logger: silentLogger });
  return { clock, far, group, pool };
}

describe('SeatPool (the soak seats)', () => {
  it('hands answered calls to seats; the agents hang up, wrap up and are ready again', async () => {
    const { clock, group, pool } = rig(2);
    const calls = await Promise.all(['13800000001', '13800000002'].map((number) => group.dial({ number })));
    for (const c of calls) pool.take(c.call!);
    await settle(clock, 10);
    expect(pool.seats.map((s) => s.state)).toEqual(['talking', 'talking']);
    await settle(clock, 60_000);
    expect(calls.map((c) => c.call!.state)).toEqual(['ended', 'ended']);
    expect(pool.report()).toMatchObject({ seats: 2, routed: 2, connected: 2, ended_by: { seat: 2, fault: 0 }, stuck: {} });
  });

  it('a line fault ends the calls on seats; the seats come back, none stuck', async () => {
    const { clock, far, group, pool } = rig(2);
    const calls = await Promise.all(['13800000001', '13800000002', '13800000003'].map((number) => group.dial({ number })));
    for (const c of calls) pool.take(c.call!);
    await settle(clock, 10);
    // Two on seats, one waiting for a seat.
    expect(pool.distributor.waitingCount()).toBe(1);
    far.linkDown();
    await settle(clock, 60_000);
    expect(pool.report()).toMatchObject({ routed: 3, connected: 2, lost: 1, ended_by: { fault: 2 }, stuck: {} });
    expect(pool.notReady()).toEqual([]);
  });

  it('a seat left not ready is counted stuck, by its state', async () => {
    const { pool } = rig(3);
    pool.seats[1].forceBusy('agent went home');
    expect(pool.report().stuck).toEqual({ paused: 1 });
  });
});
