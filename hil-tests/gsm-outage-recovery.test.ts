/**
 * A GSM/LTE module that loses its port (USB unplugged), its registration or its SIM
 * while it carries a call, in free-running virtual time: the production AtModem and
 * ModemSpanSignalling against simulated modules (three AT dialects). Each call on a
 * faulted module must end once with cause 38 (network out of order: the number is not
 * at fault, so a campaign or the soak tries it again); the other modules' calls go on;
 * no channel leaks; the module comes back into service and carries calls again.
 *
 * Back within 2 s of the port or registration returning is met today only by a port
 * that returns within AtModem's reopen attempts (one every 2 s: a port back just after
 * an attempt waits for the next, 1,995 ms measured after an 8.01 s outage, on a
 * simulated module that initialises in milliseconds). The rest are known gaps of the AT
 * driver (drivers/modem/at-modem.ts, the gsm helper's area), kept as `it.failing` so
 * they turn red the day the driver meets the goal: a module that is not ready checks
 * again only every recheckMs (10 s) and ignores +CREG: 1 meanwhile, and after
 * maxReopenAttempts (5 x 2 s) a vanished port is retried only every 60 s.
 */
import { silentLogger } from '../src/core/logger';
import { Q850 } from '../src/core/q850';
import { DialResult } from '../src/controller/trunk-group';
import { CalleePopulation } from '../simulator/callee-population';
import { buildGsmRig, GsmRig } from '../simulator/modem/gsm-rig';
import { ModemFaultName } from '../simulator/modem/modem-faults';

jest.setTimeout(60_000);

/** Waits (in the rig's virtual time) until `cond` holds; returns the virtual ms it took. */
async function until(rig: GsmRig, cond: () => boolean, limitMs: number): Promise<number> {
  const t0 = rig.clock.now();
  while (!cond()) {
    if (rig.clock.now() - t0 > limitMs) throw new Error(`not within ${limitMs} virtual ms`);
    await new Promise<void>((r) => rig.clock.setTimer(5, () => r()));
  }
  return rig.clock.now() - t0;
}

interface OutageRun {
  /** How each call on a faulted module ended (talking: its release; ringing: its dial result). */
  talkingEnds: { cause: number; by: string }[];
  ringingResults: DialResult[];
  /** Calls on the modules the fault did not touch, still up when it cleared. */
  othersUp: number;
  /** Virtual ms from the fault clearing to both modules in service. */
  recoveryMs: number;
  leaked: number;
  /** Outcomes of a call on each faulted module afterwards. */
  after: string[];
}

/**
 * Four modules, four calls: two talking, two ringing. The fault hits one module of
 * each kind for `outageMs`; then it clears and the modules must come back.
 */
async function outage(fault: ModemFaultName, outageMs: number): Promise<OutageRun> {
  const population = new CalleePopulation({ seed: 5 });
  const rig = await buildGsmRig({ spans: 1, modems: 4, seed: 5, population, logger: silentLogger, ringTimeoutSec: 600 });
  try {
    const span = rig.group.spans[0];
    const numbers = ['13800000001', '13800000002', '13800000003', '13800000004'];
    numbers.forEach((n, i) => population.override(n, { kind: 'answer', ringMs: i < 2 ? 300 : 600_000, talkMs: 600_000 }));
    const talking = await Promise.all(numbers.slice(0, 2).map((number) => rig.group.dial({ number })));
    expect(talking.map((x) => x.outcome)).toEqual(['answered', 'answered']);
    const ringing = numbers.slice(2).map((number) => rig.group.dial({ number }));
    const ringingResults: DialResult[] = [];
    ringing.forEach((p) => void p.then((r) => ringingResults.push(r)));
    await until(rig, () => span.idleCount() === 0, 5000);
    const ringingChannel = span.channels.find((c) => !talking.some((t) => t.channel === c.number))!.number;
    const hit = [talking[0].channel!, ringingChannel];
    const talkingEnds: OutageRun['talkingEnds'] = [];
    for (const x of talking) void x.call!.ended.then((e) => talkingEnds.push({ cause: e.cause, by: e.by }));

    for (const m of hit) rig.injectFault(fault, { modem: m });
    const since = rig.clock.now();
    await until(rig, () => rig.clock.now() - since >= outageMs, outageMs + 1000);
    const othersUp = span.channels.filter((c) => !hit.includes(c.number) && c.state !== 'idle' && c.state !== 'out-of-service').length;
    for (const m of hit) rig.injectFault(fault, { modem: m, clear: true });
    const recoveryMs = await until(rig, () => hit.every((m) => span.channel(m)!.state === 'idle'), 120_000);

    // Each faulted module carries a call again (the highest idle channel is hunted first).
    const after: string[] = [];
    for (const [i] of hit.entries()) {
      const number = `1390000000${i}`;
      population.override(number, { kind: 'answer', ringMs: 300, talkMs: 300 });
      const r = await rig.group.dial({ number });
      after.push(r.outcome);
      if (r.call) await r.call.ended;
    }
    const leaked = rig.group.leakedChannels().length;
    return { talkingEnds: [...talkingEnds], ringingResults: [...ringingResults], othersUp, recoveryMs, leaked, after };
  } finally {
    await rig.close();
  }
}

describe.each<[ModemFaultName, string]>([
  ['PORT_VANISHES', 'its USB port vanishes'],
  ['NOT_REGISTERED', 'the network drops it'],
  ['NO_SIM', 'its SIM is removed'],
])('GSM: %s (%s) for 5 s under load', (fault) => {
  let run: OutageRun;
  beforeAll(async () => {
    run = await outage(fault, 5000);
    console.log(`GSM ${fault} for 5 s under load: back in service ${run.recoveryMs} ms after it cleared`);
  });

  it('ends the calls on the faulted modules once, with cause 38, and the number is worth another try', () => {
    expect(run.talkingEnds).toEqual([{ cause: Q850.NETWORK_OUT_OF_ORDER, by: 'fault' }]);
    expect(run.ringingResults.map((r) => [r.outcome, r.cause])).toEqual([['link_down', Q850.NETWORK_OUT_OF_ORDER]]);
  });

  it("leaves the other modules' calls up, leaks no channel, and the modules carry calls again", () => {
    expect(run.othersUp).toBe(2);
    expect(run.leaked).toBe(0);
    expect(run.after).toEqual(['answered', 'answered']);
  });

  const within2s = () => expect(run.recoveryMs).toBeLessThanOrEqual(2000);
  if (fault === 'PORT_VANISHES') it('is back in service within 2 s of the port returning', within2s);
  else it.failing('is back in service within 2 s of the registration or SIM returning (known gap: AtModem rechecks every 10 s)', within2s);
});

it.failing(
  'GSM: a port back after a 15 s outage is in service within 2 s (known gap: AtModem retries only every 60 s after 5 reopen attempts)',
  async () => {
    const run = await outage('PORT_VANISHES', 15_000);
    console.log(`GSM PORT_VANISHES for 15 s: back in service ${run.recoveryMs} ms after it cleared`);
    expect(run.talkingEnds).toEqual([{ cause: Q850.NETWORK_OUT_OF_ORDER, by: 'fault' }]);
    expect(run.leaked).toBe(0);
    expect(run.recoveryMs).toBeLessThanOrEqual(2000);
  },
);
