import { VirtualClock } from './clock';

describe('VirtualClock', () => {
  it('fires timers in deadline order, ties in the order they were set', () => {
    const clock = new VirtualClock();
    const order: string[] = [];
    clock.setTimer(30, () => order.push('c'));
    clock.setTimer(10, () => order.push('a1'));
    clock.setTimer(10, () => order.push('a2'));
    clock.setTimer(20, () => order.push('b'));
    clock.advance(25);
    expect(order).toEqual(['a1', 'a2', 'b']);
    expect(clock.now()).toBe(25);
    expect(clock.nextDeadline()).toBe(30);
  });

  it('runs timers set by other timers, and skips cancelled ones', () => {
    const clock = new VirtualClock();
    const seen: number[] = [];
    const cancelled = clock.setTimer(5, () => seen.push(-1));
    clock.setTimer(10, () => {
      seen.push(clock.now());
      clock.setTimer(10, () => seen.push(clock.now()));
    });
    cancelled.cancel();
    expect(clock.runUntilIdle()).toBe(20);
    expect(seen).toEqual([10, 20]);
  });

  it('stops at a limit without running later timers', () => {
    const clock = new VirtualClock();
    let fired = false;
    clock.setTimer(1000, () => (fired = true));
    clock.runUntilIdle(500);
    expect(fired).toBe(false);
    expect(clock.nextDeadline()).toBe(1000);
  });
});
