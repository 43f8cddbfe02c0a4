import { VirtualClock } from '../core/clock';
import { StateTransitionError } from '../core/errors';
import { Seat } from './seat';

function seat(clock = new VirtualClock(0), opts = {}) {
  return new Seat('s1', { kind: 'simulated', id: 's1' }, { clock, ...opts });
}

describe('Seat', () => {
  test('a call cycle: ready, reserved, talking, wrap-up, ready', () => {
    const clock = new VirtualClock(0);
    const s = seat(clock);
    s.login();
    s.reserve('c1');
    s.connect();
    expect(s.state).toBe('talking');
    clock.advance(30_000);
    s.callEnded('remote');
    expect(s.state).toBe('wrap-up');
    expect(s.answeredCount).toBe(1);
    expect(s.lastServedAt).toBe(30_000);
    s.wrapDone();
    expect(s.state).toBe('ready');
    expect(s.history().map((h) => h.to)).toEqual(['ready', 'reserved', 'talking', 'wrap-up', 'ready']);
  });

  test('wrap-up ends by itself when the agent forgets (the seat never sticks)', () => {
    const clock = new VirtualClock(0);
    const s = seat(clock, { maxWrapSec: 60 });
    s.login();
    s.reserve('c1');
    s.connect();
    s.callEnded('fault');
    clock.advance(59_000);
    expect(s.state).toBe('wrap-up');
    clock.advance(1_000);
    expect(s.state).toBe('ready');
  });

  test('an unused reservation lapses back to ready', () => {
    const clock = new VirtualClock(0);
    const s = seat(clock, { reserveTimeoutSec: 10 });
    s.login();
    s.reserve('c1');
    clock.advance(10_000);
    expect(s.state).toBe('ready');
    expect(s.callId).toBeUndefined();
  });

  test('force busy while talking pauses the seat after the call, force ready releases it', () => {
    const s = seat();
    s.login();
    s.reserve('c1');
    s.connect();
    s.forceBusy('supervisor');
    expect(s.state).toBe('talking');
    s.callEnded();
    expect(s.state).toBe('paused');
    s.forceReady();
    expect(s.state).toBe('ready');
  });

  test('force busy from ready and wrap-up is immediate', () => {
    const s = seat();
    s.login();
    s.forceBusy();
    expect(s.state).toBe('paused');
    s.forceReady();
    s.reserve('c');
    s.connect();
    s.callEnded();
    s.forceBusy();
    expect(s.state).toBe('paused');
  });

  test('an illegal move is a typed error naming the seat and the state', () => {
    const s = seat();
    expect(() => s.connect()).toThrow(StateTransitionError);
    expect(() => s.connect()).toThrow(/seat s1: event 'connect' is not allowed in state 'logged-out'/);
  });
});
