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

describe('VirtualClock over a long run', () => {
  it('does not keep cancelled timers: an hour-long guard set and cancelled at every call holds no memory after it', () => {
    const clock = new VirtualClock();
    const fired: number[] = [];
    // 100,000 calls of a second each, each with an hour's guard cancelled when the call ends.
    for (let call = 0; call < 100_000; call++) {
      const guard = clock.setTimer(3_600_000, () => fired.push(-call));
      clock.setTimer(1000, () => fired.push(call));
      clock.advance(1000);
      guard.cancel();
    }
    expect(fired).toHaveLength(100_000);
    expect(fired.every((n, i) => n === i)).toBe(true);
    // Bounded by the rebuild threshold, not by the calls: once it was 100,000.
    expect(clock.heldTimers).toBeLessThan(2100);
  });

  it('keeps order and live timers when it drops cancelled ones, also from inside a firing timer', () => {
    const clock = new VirtualClock();
    const order: number[] = [];
    const handles = Array.from({ length: 3000 }, (_, i) => clock.setTimer(10 + i, () => order.push(i)));
    clock.setTimer(5, () => {
      // Cancels every odd timer while the clock is firing: the heap is rebuilt under advanceTo.
      for (let i = 1; i < handles.length; i += 2) handles[i].cancel();
    });
    handles[0].cancel();
    handles[0].cancel(); // twice is once
    clock.runUntilIdle();
    expect(order).toEqual(Array.from({ length: 1499 }, (_, k) => 2 * (k + 1)));
    expect(clock.heldTimers).toBe(0);
    // Cancelling a timer that already fired changes nothing.
    handles[2].cancel();
    expect(clock.nextDeadline()).toBeUndefined();
  });
});
