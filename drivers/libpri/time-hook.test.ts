import koffi from 'koffi';
import { MemoryDChannelLink } from '../../simulator/ports/memory-dchannel';
import { runVirtual } from '../../simulator/r2/virtual-time';
import { systemClock, VirtualClock } from '../../src/core/clock';
import { createLogger, LogRecord } from '../../src/core/logger';
import { PriEvent } from './pri-events';
import { PriInstance } from './pri-instance';
import { installFailure, libpriTimeHookPath, withLibpriTime } from './time-hook';

/** 2030-01-01: far from the wall clock, so a libpri deadline tells which clock it came from. */
const VIRTUAL_EPOCH = Date.UTC(2030, 0, 1);

function nextEvent(pri: PriInstance, type: PriEvent['type']): Promise<PriEvent> {
  return new Promise((resolve) => pri.onEvent((ev) => ev.type === type && resolve(ev)));
}

function virtualPair(clock: VirtualClock) {
  const link = new MemoryDChannelLink();
  const cpe = new PriInstance({ role: 'cpe', transport: link.a, clock });
  const net = new PriInstance({ role: 'net', transport: link.b, clock });
  const inFlight = () => link.a.pending + link.b.pending > 0;
  return { link, cpe, net, inFlight };
}

describe('libpri fed the injected clock (build/libpritime.so rewriting its GOT)', () => {
  it('schedules libpri timers in the virtual clock, and they stand still while only the wall clock moves', async () => {
    const clock = new VirtualClock(VIRTUAL_EPOCH);
    // Alone on its cable: nothing but time could move its deadline.
    const cpe = new PriInstance({ role: 'cpe', transport: new MemoryDChannelLink().a, clock });
    expect(cpe.timeSource).toBe('fed');
    const first = cpe.nextDeadline()!;
    expect(first).toBeGreaterThanOrEqual(VIRTUAL_EPOCH);
    expect(first).toBeLessThan(VIRTUAL_EPOCH + 60_000);
    await new Promise((r) => setTimeout(r, 50));
    expect(cpe.nextDeadline()).toBe(first);
    // Advancing the clock runs libpri's timer (SABME out, T200 started) at the virtual time.
    clock.advanceTo(first);
    const second = cpe.nextDeadline()!;
    expect(second).toBeGreaterThan(first);
    expect(second).toBeLessThan(first + 60_000);
    cpe.close();
  });

  it('Q.921 loss detection takes its full virtual T203 + N200 x T200, in a fraction of that in real time', async () => {
    const clock = new VirtualClock(VIRTUAL_EPOCH);
    const { cpe, net, inFlight } = virtualPair(clock);
    await runVirtual(clock, Promise.all([nextEvent(cpe, 'dchan-up'), nextEvent(net, 'dchan-up')]), 60_000, inFlight);
    const down = nextEvent(cpe, 'dchan-down');
    let downAt: number | undefined;
    void down.then(() => (downAt = clock.now()));
    net.close(); // silent far end: only layer 2's timers notice
    const silentFrom = clock.now();
    const realStart = Date.now();
    await new Promise((r) => setTimeout(r, 100));
    expect(downAt).toBeUndefined(); // nothing happens while the virtual clock stands still
    await runVirtual(clock, down, 120_000, inFlight);
    // libpri defaults: T203 10 s of silence, then N200 (3) polls T200 (1 s) apart.
    expect(downAt! - silentFrom).toBeGreaterThanOrEqual(10_000 + 3 * 1000);
    expect(downAt! - silentFrom).toBeLessThan(20_000);
    expect(Date.now() - realStart).toBeLessThan(5_000);
    cpe.close();
  });

  it('leaves the rest of the process on the wall clock: Date.now, libc gettimeofday, and libpri instances on the system clock', async () => {
    const clock = new VirtualClock(VIRTUAL_EPOCH);
    const { cpe, net } = virtualPair(clock);
    const libc = koffi.load('libc.so.6');
    koffi.struct('trunkpilot_test_timeval', { tv_sec: 'int64_t', tv_usec: 'int64_t' });
    const gettimeofday = libc.func('int gettimeofday(_Out_ trunkpilot_test_timeval *tv, void *tz)');
    const seen = withLibpriTime(VIRTUAL_EPOCH, () => {
      const tv = { tv_sec: 0, tv_usec: 0 };
      gettimeofday(tv, null);
      return { libc: Number(tv.tv_sec) * 1000, node: Date.now() };
    });
    expect(Math.abs(seen.libc - Date.now())).toBeLessThan(5_000);
    expect(Math.abs(seen.node - Date.now())).toBeLessThan(5_000);

    const link = new MemoryDChannelLink();
    const wallCpe = new PriInstance({ role: 'cpe', transport: link.a });
    const wallNet = new PriInstance({ role: 'net', transport: link.b });
    expect(wallCpe.timeSource).toBe('wall');
    expect(wallCpe.clock).toBe(systemClock);
    await Promise.all([nextEvent(wallCpe, 'dchan-up'), nextEvent(wallNet, 'dchan-up')]);
    expect(Math.abs(wallCpe.nextDeadline()! - Date.now())).toBeLessThan(60_000);
    // ... while the virtual pair's libpri still lives in 2030.
    expect(cpe.nextDeadline()!).toBeGreaterThanOrEqual(VIRTUAL_EPOCH);
    for (const p of [cpe, net, wallCpe, wallNet]) p.close();
  });

  it('says why when there is nothing to rewrite: a library not loaded, or one that imports no clock (as a static libpri would)', () => {
    const hook = koffi.load(libpriTimeHookPath());
    const install = hook.func('int pritime_install(const char *prefix)') as (prefix: string) => number;
    // libm is in every Node process and calls neither gettimeofday nor time.
    expect(installFailure(install('libm.so')).reason).toBe('not-imported');
    expect(installFailure(install('libno-such-library.so')).reason).toBe('libpri-not-loaded');
    expect(installFailure(install('libm.so')).code).toBe('TIME_SOURCE_UNAVAILABLE');
  });

  it('without the hook library, warns with a typed reason and runs libpri on the wall clock instead of a wrong time', () => {
    const saved = process.env.TRUNKPILOT_PRITIME;
    process.env.TRUNKPILOT_PRITIME = '/nonexistent/libpritime.so';
    try {
      jest.isolateModules(() => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { PriInstance: FreshPriInstance } = require('./pri-instance') as typeof import('./pri-instance');
        const records: LogRecord[] = [];
        const logger = createLogger({ level: 'debug', sink: (r) => records.push(r) });
        const pri = new FreshPriInstance({
          role: 'cpe',
          transport: new MemoryDChannelLink().a,
          clock: new VirtualClock(VIRTUAL_EPOCH),
          logger,
        });
        expect(pri.timeSource).toBe('wall');
        expect(Math.abs(pri.clock.now() - Date.now())).toBeLessThan(5_000);
        const warning = records.find((r) => r.level === 'warn' && /wall clock/.test(r.msg));
        expect(warning?.fields.reason).toBe('hook-library-missing');
        expect(Math.abs(pri.nextDeadline()! - Date.now())).toBeLessThan(60_000);
        pri.close();
      });
    } finally {
      if (saved === undefined) delete process.env.TRUNKPILOT_PRITIME;
      else process.env.TRUNKPILOT_PRITIME = saved;
    }
  });
});
