/**
 * A hostile or broken line cannot flood the log, whatever the signalling: a line
 * that flaps (China No.1 LOS, an analog line's battery, a No.7 signalling link, a GSM
 * module's registration) or a module that sends junk (GSM) hundreds of times gives a
 * few lines of each kind, the
 * rest counted (src/core/log-limiter.ts; PRI's libpri lines have their own test in
 * the D-channel fuzz). Each rig runs in virtual time; the logger is a plain one, so
 * the limiting is the modules' own.
 */
import { VirtualClock } from '../src/core/clock';
import { createLogger, LogRecord } from '../src/core/logger';
import { CalleePopulation } from '../simulator/callee-population';
import { FreeRunningClock } from '../simulator/analog/free-running-clock';
import { buildFxoRig } from '../simulator/analog/fxo-rig';
import { buildGsmRig } from '../simulator/modem/gsm-rig';
import { buildR2Rig } from '../simulator/r2/r2-rig';
import { runVirtual } from '../simulator/r2/virtual-time';
import { buildNo7Rig } from '../simulator/ss7/no7-rig';

jest.setTimeout(60_000);

function capture() {
  const lines: LogRecord[] = [];
  return { lines, logger: createLogger({ level: 'info', sink: (r) => lines.push(r) }) };
}

/** How many lines each message got. */
function byMessage(lines: LogRecord[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const l of lines) out[l.msg] = (out[l.msg] ?? 0) + 1;
  return out;
}

/** Waits `ms` of a virtual clock that someone else runs. */
const after = (clock: { setTimer(ms: number, fn: () => void): unknown }, ms: number) =>
  new Promise<void>((r) => clock.setTimer(ms, () => r()));

/** Waits until `cond` holds on a free-running clock (bounded). */
async function until(clock: FreeRunningClock, cond: () => boolean, limitMs: number): Promise<void> {
  const end = clock.now() + limitMs;
  while (!cond()) {
    if (clock.now() > end) throw new Error(`not within ${limitMs} virtual ms`);
    await after(clock, 5);
  }
}

const FLAPS = 100;
/** At most this many lines of one kind (the limiter's burst is 5 per 10 s; the flood takes far less wall time). */
const FEW = 5;

it('China No.1: LOS flapping 100 times logs a few lines per kind', async () => {
  const { lines, logger } = capture();
  const clock = new VirtualClock(0);
  const r = await buildR2Rig({ spans: 1, seed: 3, population: new CalleePopulation({ seed: 3 }), logger, clock });
  try {
    await runVirtual(clock, r.group.whenReady(1000));
    const span = r.group.spans[0];
    let downs = 0;
    for (let i = 0; i < FLAPS; i++) {
      r.injectFault('LOS', { span: 1 });
      await runVirtual(clock, after(clock, 50));
      if (!span.linkUp) downs++;
      r.injectFault('LOS', { span: 1, clear: true });
      await runVirtual(clock, r.group.whenReady(2000));
    }
    expect(downs).toBe(FLAPS);
    const counts = byMessage(lines);
    console.log(JSON.stringify(counts));
    expect(counts['r2 span line alarm: circuits out of service']).toBeGreaterThan(0);
    for (const [msg, n] of Object.entries(counts)) expect([msg, n]).toEqual([msg, Math.min(n, FEW)]);
  } finally {
    await r.close();
  }
});

it('analog: battery flapping 100 times on a line logs a few lines per kind', async () => {
  const { lines, logger } = capture();
  const rig = await buildFxoRig({ spans: 1, linesPerSpan: 2, seed: 3, population: new CalleePopulation({ seed: 3 }), logger });
  try {
    const span = rig.group.spans[0];
    let downs = 0;
    for (let i = 0; i < FLAPS; i++) {
      rig.injectFault('BATTERY_LOSS', { span: 1, line: 1 });
      await until(rig.clock, () => span.idleCount() < 2, 2000);
      downs++;
      rig.injectFault('BATTERY_LOSS', { span: 1, line: 1, clear: true });
      await until(rig.clock, () => span.idleCount() === 2, 5000);
    }
    expect(downs).toBe(FLAPS);
    const counts = byMessage(lines);
    console.log(JSON.stringify(counts));
    expect(counts['battery lost: line unavailable']).toBeGreaterThan(0);
    for (const [msg, n] of Object.entries(counts)) expect([msg, n]).toEqual([msg, Math.min(n, FEW)]);
  } finally {
    await rig.close();
  }
});

it.each(['ss7-isup', 'ss7-tup'] as const)('%s: the signalling link failing 50 times logs a few lines per kind', async (kind) => {
  const { lines, logger } = capture();
  const clock = new FreeRunningClock();
  clock.start();
  const r = await buildNo7Rig({ kind, spans: 1, seed: 3, population: new CalleePopulation({ seed: 3 }), logger, clock });
  try {
    const span = r.group.spans[0];
    await until(clock, () => span.linkUp, 10_000);
    for (let i = 0; i < FLAPS / 2; i++) {
      r.injectFault('LINK_FAILURE');
      await until(clock, () => !span.linkUp, 10_000);
      r.injectFault('LINK_FAILURE', { clear: true });
      await until(clock, () => span.linkUp, 10_000);
    }
    const counts = byMessage(lines);
    console.log(JSON.stringify(counts));
    expect(counts['signalling link down: clearing calls']).toBeGreaterThan(0);
    // Both ends run the product's No.7 stack (the simulated exchange too), each with its own limit.
    for (const [msg, n] of Object.entries(counts)) expect([msg, n]).toEqual([msg, Math.min(n, 2 * FEW)]);
  } finally {
    await r.close();
    clock.stop();
  }
});

it('GSM: a module that sends junk for an hour logs a few lines per kind', async () => {
  const { lines, logger } = capture();
  const rig = await buildGsmRig({ spans: 1, modems: 1, seed: 3, population: new CalleePopulation({ seed: 3 }), logger });
  try {
    rig.injectFault('GARBAGE', { modem: 1 });
    const population = rig.population;
    // Calls and the driver's keep-alives give the module plenty to answer with junk in front.
    for (let i = 0; i < 50; i++) {
      const number = `1380000${String(i).padStart(4, '0')}`;
      population.override(number, { kind: 'answer', ringMs: 100, talkMs: 100 });
      const res = await rig.group.dial({ number });
      if (res.call) await res.call.ended;
    }
    await after(rig.clock, 3600_000);
    const counts = byMessage(lines);
    console.log(JSON.stringify(counts));
    expect(counts['modem sent bad data']).toBeGreaterThan(0);
    for (const [msg, n] of Object.entries(counts)) expect([msg, n]).toEqual([msg, Math.min(n, FEW)]);
  } finally {
    await rig.close();
  }
});

it('GSM: a module whose registration flaps 100 times logs a few lines per kind', async () => {
  const { lines, logger } = capture();
  const rig = await buildGsmRig({ spans: 1, modems: 1, seed: 3, population: new CalleePopulation({ seed: 3 }), logger });
  try {
    const modem = rig.modems[0];
    let changes = 0;
    modem.on((e) => void (e.type === 'state' && changes++));
    for (let i = 0; i < FLAPS; i++) {
      rig.injectFault('NOT_REGISTERED', { modem: 1 });
      await until(rig.clock, () => modem.state === 'not-ready', 5000);
      rig.injectFault('NOT_REGISTERED', { modem: 1, clear: true });
      await until(rig.clock, () => modem.state === 'ready', 5000);
    }
    const counts = byMessage(lines);
    console.log(JSON.stringify(counts), `${changes} state changes`);
    expect(changes).toBeGreaterThanOrEqual(3 * FLAPS); // not-ready, initialising, ready each time
    expect(counts['modem state']).toBeGreaterThan(0);
    for (const [msg, n] of Object.entries(counts)) expect([msg, n]).toEqual([msg, Math.min(n, FEW)]);
  } finally {
    await rig.close();
  }
});
