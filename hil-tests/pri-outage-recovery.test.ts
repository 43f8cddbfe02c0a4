/**
 * Line outages on a loaded PRI span: every channel busy with an answered call, then
 * LOS, AIS or a silent D-channel for longer than libpri keeps calls through (T309),
 * then the line back. Each call must end once with cause 38 (network out of order),
 * no channel may leak, and all 30 channels must be back in service within 2 s of the
 * link returning (it was ~30 s: RESTART waited for libpri's own call timers).
 *
 * On the memory cable everything (libpri's T309/T200/T203 at both ends, the network,
 * the controller) runs on one virtual clock, so the outage and the recovery are
 * measured in the span's own time and the file takes well under a second per fault.
 * OUTAGE_TRANSPORT=dahdi runs on the wall clock, as the userspace DAHDI does.
 */
import { PRI_LINE_FAULTS, PriLineFault, PriRig } from '../simulator/pri/pri-rig';
import { Q850 } from '../src/core/q850';
import { describeWithFakeDahdi } from '../test-support/dahdi/jest-preload';
import { priRig, until, virtualPriRig } from './pri-harness';

jest.setTimeout(60_000);

// Longer than T309 would let libpri keep calls through is what used to take ~30 s; OUTAGE_MS and
// OUTAGE_TRANSPORT=dahdi (run it under LD_PRELOAD to see the figures) measure other cases.
const OUTAGE_MS = Number(process.env.OUTAGE_MS ?? 5_000);
const recovery: Record<string, number> = {};

afterAll(() => {
  // The figure for the closing note: ms from the line back to all channels in service.
  console.log(`PRI recovery after a ${OUTAGE_MS} ms outage, 30 calls up: ${JSON.stringify(recovery)}`);
});

const TRANSPORT = (process.env.OUTAGE_TRANSPORT ?? 'memory') as 'memory' | 'dahdi';
const suite = (title: string, body: () => void) =>
  TRANSPORT === 'dahdi' ? describeWithFakeDahdi(title, __filename, body) : describe(title, body);

suite(`PRI outages (${TRANSPORT} transport)`, () =>
  describe.each(PRI_LINE_FAULTS)('PRI span under load through %s', (fault: PriLineFault) => {
    let rig: PriRig;
    /** The span's time: virtual on the memory cable, the wall clock's on DAHDI. */
    let time: {
      run<T>(work: () => Promise<T>): Promise<T>;
      sleep(ms: number): Promise<void>;
      until(cond: () => boolean, timeoutMs: number): Promise<void>;
      now(): number;
    };
    beforeAll(async () => {
      if (TRANSPORT === 'memory') {
        const v = await virtualPriRig();
        rig = v.rig;
        time = { run: v.run, sleep: v.sleep, until: v.until, now: () => v.clock.now() };
      } else {
        rig = await priRig({ transport: TRANSPORT });
        const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
        time = { run: (work) => work(), sleep, until, now: () => Date.now() };
      }
    });
    afterAll(async () => {
      await rig?.close();
    });

    it('ends each call once with cause 38, leaks nothing, and has every channel back within 2 s', () =>
      time.run(async () => {
        const { sleep, until } = time;
        const span = rig.group.spans[0];
        const numbers = Array.from({ length: 30 }, (_, i) => `1380013${String(i).padStart(4, '0')}`);
        // Calls in every state: 20 talking, 10 still ringing when the line fails.
        numbers.forEach((n, i) => rig.population.override(n, { kind: 'answer', ringMs: i < 20 ? 50 : 60_000, talkMs: 600_000 }));
        const talking = await Promise.all(numbers.slice(0, 20).map((number) => rig.group.dial({ number })));
        expect(talking.map((r) => r.outcome)).toEqual(numbers.slice(0, 20).map(() => 'answered'));
        const ringing = numbers.slice(20).map((number) => rig.group.dial({ number }));
        await until(() => span.idleCount() === 0, 5000);
        const ends: { cause: number }[] = [];
        let endCount = 0;
        for (const r of talking)
          r.call!.ended.then((e) => {
            ends.push(e);
            endCount++;
          });

        rig.injectFault(fault, { span: 1 });
        const unanswered = await Promise.all(ringing);
        await until(() => endCount === 20, 10_000);
        // A call not answered yet ends as a failed dial with the same cause.
        for (const r of unanswered) ends.push({ cause: r.cause });
        await sleep(OUTAGE_MS);
        const back = time.now();
        rig.injectFault(fault, { span: 1, clear: true });
        await until(() => span.idleCount() === span.channels.length, 30_000);
        recovery[`${TRANSPORT}/${fault}`] = time.now() - back;

        expect(ends.map((e) => e.cause)).toEqual(numbers.map(() => Q850.NETWORK_OUT_OF_ORDER));
        await sleep(200);
        expect(endCount).toBe(20); // once each
        expect(recovery[`${TRANSPORT}/${fault}`]).toBeLessThan(2000);
        // And the span carries calls again.
        rig.population.override('13900000001', { kind: 'answer', ringMs: 50, talkMs: 50 });
        const again = await rig.group.dial({ number: '13900000001' });
        expect(again.outcome).toBe('answered');
        await again.call!.ended;
        await until(() => span.idleCount() === span.channels.length && rig.heldLibpriCalls() === 0, 10_000);
      }));
  }),
);
