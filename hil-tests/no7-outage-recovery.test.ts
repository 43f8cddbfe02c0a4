/**
 * Loss of the No.7 signalling link (the TS16 cable cut) on a loaded span, ISUP and
 * TUP: calls talking and ringing when it fails. Each call must end once with cause
 * 38, no circuit may leak, and all 30 circuits must be back in service within 2 s of
 * the link returning (MTP2 realigns with emergency proving: the link set has no
 * other link), ready to carry calls again.
 */
import { silentLogger } from '../src/core/logger';
import { Q850 } from '../src/core/q850';
import { CalleePopulation } from '../simulator/callee-population';
import { buildNo7Rig } from '../simulator/ss7/no7-rig';

jest.setTimeout(60_000);

const recovery: Record<string, number> = {};
afterAll(() => console.log(`No.7 recovery after a 3 s link failure, 30 calls up or ringing: ${JSON.stringify(recovery)}`));

async function until(cond: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

it.each(['ss7-isup', 'ss7-tup'] as const)(
  '%s: link failure under load ends each call once with cause 38, leaks nothing, circuits back within 2 s',
  async (kind) => {
    const r = await buildNo7Rig({ kind, spans: 1, seed: 3, population: new CalleePopulation({ seed: 3 }), logger: silentLogger });
    try {
      const span = r.group.spans[0];
      const numbers = Array.from({ length: 30 }, (_, i) => `1380013${String(i).padStart(4, '0')}`);
      numbers.forEach((n, i) => r.population.override(n, { kind: 'answer', ringMs: i < 20 ? 10 : 600_000, talkMs: 600_000 }));
      const talking = await Promise.all(numbers.slice(0, 20).map((number) => r.group.dial({ number })));
      expect(talking.map((x) => x.outcome)).toEqual(numbers.slice(0, 20).map(() => 'answered'));
      const ringing = numbers.slice(20).map((number) => r.group.dial({ number }));
      await until(() => span.idleCount() === 0, 5000);
      let endCount = 0;
      const ends: number[] = [];
      for (const x of talking)
        void x.call!.ended.then((e) => {
          endCount++;
          ends.push(e.cause);
        });

      r.injectFault('LINK_FAILURE');
      const unanswered = await Promise.all(ringing);
      await until(() => endCount === 20, 5000);
      for (const x of unanswered) ends.push(x.cause);
      expect(ends).toEqual(numbers.map(() => Q850.NETWORK_OUT_OF_ORDER));
      await new Promise((res) => setTimeout(res, 3000));
      expect(span.idleCount()).toBe(0);

      const back = Date.now();
      r.injectFault('LINK_FAILURE', { clear: true });
      await until(() => span.idleCount() === 30, 5000);
      recovery[kind] = Date.now() - back;
      expect(recovery[kind]).toBeLessThan(2000);
      await new Promise((res) => setTimeout(res, 200));
      expect(endCount).toBe(20); // once each
      expect(r.group.leakedChannels()).toEqual([]);

      numbers.forEach((n) => r.population.override(n, { kind: 'answer', ringMs: 10, talkMs: 200 }));
      const again = await Promise.all(numbers.map((number) => r.group.dial({ number })));
      expect(again.map((x) => x.outcome)).toEqual(numbers.map(() => 'answered'));
      await Promise.all(again.map((x) => x.call!.ended));
      await until(() => span.idleCount() === 30 && r.heldCalls() === 0, 10_000);
      expect(r.group.leakedChannels()).toEqual([]);
    } finally {
      await r.close();
    }
  },
);

it.each(['ss7-isup', 'ss7-tup'] as const)(
  '%s: blocking and unblocking asked for while the link is down take effect within 2 s of its return, not at the next retry',
  async (kind) => {
    // The exchange's BLO or UBL is lost with the link; its retry timer (15 s, or cancelled
    // by the outage) was all that would ever send it again, so a circuit the exchange had
    // unblocked stayed out of service at our end (5-6 per 10,000 calls in the soak).
    const r = await buildNo7Rig({ kind, spans: 1, seed: 4, population: new CalleePopulation({ seed: 4 }), logger: silentLogger });
    try {
      const span = r.group.spans[0];
      const ch = (n: number) => span.channel(n)!;
      await until(() => span.idleCount() === 30, 5000);
      r.injectFault('BLOCK', { channel: 5 });
      await until(() => ch(5).state === 'out-of-service', 2000);

      r.injectFault('LINK_FAILURE');
      await until(() => !span.linkUp, 5000);
      r.injectFault('BLOCK', { channel: 5, clear: true }); // lost: the link is down
      r.injectFault('BLOCK', { channel: 9 }); // lost too
      await new Promise((res) => setTimeout(res, 500));
      const back = Date.now();
      r.injectFault('LINK_FAILURE', { clear: true });
      await until(() => span.linkUp && ch(5).state === 'idle' && ch(9).state === 'out-of-service' && span.idleCount() === 29, 2000);
      expect(Date.now() - back).toBeLessThan(2000);

      // Both ends agree: 9 refuses calls, 5 carries one.
      r.injectFault('BLOCK', { channel: 9, clear: true });
      await until(() => span.idleCount() === 30, 2000);
      expect(r.group.leakedChannels()).toEqual([]);
    } finally {
      await r.close();
    }
  },
);
