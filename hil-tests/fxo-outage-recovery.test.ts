/**
 * A dead analog board (every line's battery lost: the exchange's line card or the
 * cable) while it is loaded, in free-running virtual time: calls talking and calls
 * still dialling or ringing. Each call must end once with cause 38, no channel may
 * leak, and every line must be back in service within 2 s of battery returning,
 * ready to carry calls again.
 */
import { silentLogger } from '../src/core/logger';
import { Q850 } from '../src/core/q850';
import { CalleePopulation } from '../simulator/callee-population';
import { buildFxoRig } from '../simulator/analog/fxo-rig';
import { liveSpanDspStates } from '../drivers/spandsp/live-states';
import { FreeRunningClock } from '../simulator/analog/free-running-clock';

jest.setTimeout(60_000);

/** Waits (in the rig's virtual time) until `cond` holds; returns the virtual ms it took. */
async function until(clock: FreeRunningClock, cond: () => boolean, limitMs: number): Promise<number> {
  const t0 = clock.now();
  while (!cond()) {
    if (clock.now() - t0 > limitMs) throw new Error(`not within ${limitMs} virtual ms`);
    await new Promise<void>((r) => clock.setTimer(5, () => r()));
  }
  return clock.now() - t0;
}

it('battery lost on every line under load: each call ends once with cause 38, nothing leaks, lines back within 2 s', async () => {
  const population = new CalleePopulation({ seed: 11 });
  const nativeBefore = liveSpanDspStates();
  const rig = await buildFxoRig({ spans: 1, linesPerSpan: 8, seed: 11, population, logger: silentLogger, ringTimeoutSec: 60 });
  try {
    const clock = rig.clock;
    const span = rig.group.spans[0];
    const numbers = Array.from({ length: 8 }, (_, i) => `1380013${String(i).padStart(4, '0')}`);
    // 5 talking, 3 still dialling or ringing when the lines die.
    numbers.forEach((n, i) => population.override(n, { kind: 'answer', ringMs: i < 5 ? 500 : 600_000, talkMs: 600_000 }));
    const talking = await Promise.all(numbers.slice(0, 5).map((number) => rig.group.dial({ number })));
    expect(talking.map((x) => x.outcome)).toEqual(numbers.slice(0, 5).map(() => 'answered'));
    const ringing = numbers.slice(5).map((number) => rig.group.dial({ number }));
    await until(clock, () => span.idleCount() === 0, 5000);
    let endCount = 0;
    const ends: number[] = [];
    for (const x of talking)
      void x.call!.ended.then((e) => {
        endCount++;
        ends.push(e.cause);
      });

    for (let line = 1; line <= 8; line++) rig.injectFault('BATTERY_LOSS', { span: 1, line });
    const unanswered = await Promise.all(ringing);
    await until(clock, () => endCount === 5, 1000);
    for (const x of unanswered) ends.push(x.cause);
    expect(ends).toEqual(numbers.map(() => Q850.NETWORK_OUT_OF_ORDER));
    const downSince = clock.now();
    await until(clock, () => clock.now() - downSince >= 5000, 6000);
    expect(span.idleCount()).toBe(0);

    for (let line = 1; line <= 8; line++) rig.injectFault('BATTERY_LOSS', { span: 1, line, clear: true });
    const recoveryMs = await until(clock, () => span.idleCount() === span.channels.length, 2000);
    console.log(`FXO recovery after a 5 s battery loss, 8 calls up or in setup: ${recoveryMs} ms`);
    expect(endCount).toBe(5); // once each
    expect(rig.group.leakedChannels()).toEqual([]);

    numbers.forEach((n) => population.override(n, { kind: 'answer', ringMs: 500, talkMs: 500 }));
    const again = await Promise.all(numbers.map((number) => rig.group.dial({ number })));
    expect(again.map((x) => x.outcome)).toEqual(numbers.map(() => 'answered'));
    await Promise.all(again.map((x) => x.call!.ended));
    await until(clock, () => span.idleCount() === span.channels.length, 10_000);
    expect(rig.group.leakedChannels()).toEqual([]);
    // Native spandsp states (invisible to the JS heap): only the per-line DTMF receivers
    // (the board's caller-ID listener and the exchange's digit receiver) outlive the calls.
    expect(liveSpanDspStates()).toEqual({ ...nativeBefore, dtmf_rx: nativeBefore.dtmf_rx + 16 });
  } finally {
    await rig.close();
  }
  expect(liveSpanDspStates()).toEqual(nativeBefore);
});
