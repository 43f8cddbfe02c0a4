import { VirtualClock } from '../../src/core/clock';

/**
 * Runs a virtual clock as fast as the work allows until `work` settles: lets
 * promise callbacks run, then jumps to the next timer. Simulated R2 spans always
 * have a frame timer pending, so time advances at most 20 ms per step. `inFlight`
 * says when messages are still travelling on setImmediate (PRI frames between two
 * libpri ends): time does not move until they have arrived.
 */
export async function runVirtual<T>(clock: VirtualClock, work: Promise<T>, limitMs = 3_600_000, inFlight?: () => boolean): Promise<T> {
  let done = false;
  const result = work.finally(() => (done = true));
  const end = clock.now() + limitMs;
  while (!done) {
    await new Promise((r) => setImmediate(r));
    for (let i = 0; i < 1000 && !done && inFlight?.(); i++) await new Promise((r) => setImmediate(r));
    if (done) break;
    const next = clock.nextDeadline();
    if (next === undefined || next > end) throw new Error(`virtual run stalled at ${clock.now()} ms (next timer: ${next ?? 'none'})`);
    clock.advanceTo(next);
  }
  return result;
}
