/**
 * A GSM/LTE module that loses its port (USB unplugged), its registration or its SIM
 * while it carries a call, in free-running virtual time: the production AtModem and
 * ModemSpanSignalling against simulated modules (three AT dialects). Each call on a
 * faulted module must end once with cause 38 (network out of order: the number is not
 * at fault, so a campaign or the soak tries it again); the other modules' calls go on;
 * no channel leaks; the module comes back into service and carries calls again.
 *
 * Back within 2 s of the port, the SIM or the registration returning, measured in the
 * rig's virtual time, however long the outage: the driver rechecks a module the moment
 * it reports +CPIN: READY or +CREG: 1 (at-modem.fsm), and looks for a vanished port's
 * device node every 500 ms and opens it as soon as it is there, also after it gave up
 * reopening and reported the module out of service.
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
  /** The faulted modules' driver states just before the fault cleared. */
  modemStatesAtClear: string[];
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
    const modemStatesAtClear = hit.map((m) => rig.modems[m - 1].state);
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
    return { talkingEnds: [...talkingEnds], ringingResults: [...ringingResults], othersUp, recoveryMs, leaked, after, modemStatesAtClear };
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

  it('is back in service within 2 s of the port, SIM or registration returning', () => {
    expect(run.recoveryMs).toBeLessThanOrEqual(2000);
  });
});

it('GSM: a port back after a 15 s outage is in service within 2 s, and reads out of service while it is gone', async () => {
  const run = await outage('PORT_VANISHES', 15_000);
  console.log(`GSM PORT_VANISHES for 15 s: back in service ${run.recoveryMs} ms after it cleared`);
  expect(run.talkingEnds).toEqual([{ cause: Q850.NETWORK_OUT_OF_ORDER, by: 'fault' }]);
  // Past its reopen attempts (5 x 2 s) the module gave up: telemetry says so.
  expect(run.modemStatesAtClear).toEqual(['out-of-service', 'out-of-service']);
  expect(run.leaked).toBe(0);
  expect(run.after).toEqual(['answered', 'answered']);
  expect(run.recoveryMs).toBeLessThanOrEqual(2000);
});

it('GSM: a module that lost its network without saying so does not burn through the numbers', async () => {
  // The network drops it while its firmware is wedged, so +CREG: 2 is never printed: the
  // driver still thinks it registered, and the module answers every ATD with NO CARRIER at once.
  const population = new CalleePopulation({ seed: 6 });
  const rig = await buildGsmRig({ spans: 1, modems: 4, seed: 6, population, logger: silentLogger });
  try {
    const span = rig.group.spans[0];
    rig.injectFault('STOPS_ANSWERING', { modem: 4 });
    rig.injectFault('NOT_REGISTERED', { modem: 4 });
    rig.injectFault('STOPS_ANSWERING', { modem: 4, clear: true });
    expect(rig.modems[3].state).toBe('ready');
    const outcomes: string[] = [];
    for (let i = 0; i < 20; i++) {
      const number = `1370000${String(i).padStart(4, '0')}`;
      population.override(number, { kind: 'answer', ringMs: 100, talkMs: 100 });
      const r = await rig.group.dial({ number });
      outcomes.push(r.outcome);
      if (r.call) await r.call.ended;
    }
    // The first dial on it (the highest channel is hunted first) found it unregistered: it
    // left service and that number ended as link_down (a campaign tries it again, cause 38);
    // the rest went to the other modules. None ended as "other" (cause 31, not retried).
    expect(outcomes).toEqual(['link_down', ...Array(19).fill('answered')]);
    expect(rig.devices[3].dialled).toEqual([]); // refused at once: the network never had it
    expect(rig.modems[3].state).toBe('not-ready');
    expect(span.channel(4)!.state).toBe('out-of-service');
    // Registered again (+CREG: 1): back in service within 2 s.
    rig.injectFault('NOT_REGISTERED', { modem: 4, clear: true });
    expect(await until(rig, () => span.channel(4)!.state === 'idle', 120_000)).toBeLessThanOrEqual(2000);
    expect(rig.group.leakedChannels()).toEqual([]);
  } finally {
    await rig.close();
  }
});
