import { CalleePopulation, PopulationOptions } from '../simulator/callee-population';
import { buildPriRig, PriRig, PriRigOptions } from '../simulator/pri/pri-rig';
import { runVirtual } from '../simulator/r2/virtual-time';
import { VirtualClock } from '../src/core/clock';
import { silentLogger } from '../src/core/logger';

/** A PRI rig for a test, with quick callees unless the test says otherwise. */
export async function priRig(opts: Partial<PriRigOptions> & { populationOptions?: Partial<PopulationOptions> } = {}): Promise<PriRig> {
  const population =
    opts.population ??
    new CalleePopulation({
      seed: 1,
      ringSec: { dist: 'fixed', value: 0.05 },
      talkSec: { dist: 'fixed', value: 0.05 },
      ...opts.populationOptions,
    });
  return buildPriRig({ spans: 1, seed: 1, logger: silentLogger, noAnswerMs: 300, ...opts, population });
}

export function until(cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (cond()) return resolve();
      if (Date.now() - start > timeoutMs) return reject(new Error(`condition not met within ${timeoutMs} ms`));
      setTimeout(tick, 5);
    };
    tick();
  });
}

/** A PRI rig whose libpri ends, network and controller all run on one virtual clock. */
export interface VirtualPriRig {
  readonly rig: PriRig;
  readonly clock: VirtualClock;
  /** Runs `work` with the clock driven as fast as it allows (frames on the cable arrive before time moves). */
  run<T>(work: () => Promise<T>, limitMs?: number): Promise<T>;
  /** Lets `ms` of virtual time pass (inside run). */
  sleep(ms: number): Promise<void>;
  /** Waits, in virtual time, until `cond` holds (inside run). */
  until(cond: () => boolean, timeoutMs?: number): Promise<void>;
}

export async function virtualPriRig(
  opts: Partial<PriRigOptions> & { populationOptions?: Partial<PopulationOptions> } = {},
): Promise<VirtualPriRig> {
  const clock = new VirtualClock(Date.UTC(2030, 0, 1));
  const rig = await priRig({ ...opts, clock });
  const run = <T>(work: () => Promise<T>, limitMs = 3_600_000) => runVirtual(clock, work(), limitMs, () => rig.framesInFlight());
  const sleep = (ms: number) => new Promise<void>((r) => clock.setTimer(ms, () => r()));
  const until = async (cond: () => boolean, timeoutMs = 5000) => {
    const end = clock.now() + timeoutMs;
    while (!cond()) {
      if (clock.now() > end) throw new Error(`condition not met within ${timeoutMs} ms of virtual time`);
      await sleep(5);
    }
  };
  const v: VirtualPriRig = { rig, clock, run, sleep, until };
  if (!(await run(() => rig.group.whenReady(15_000))))
    throw new Error('simulated PRI span did not come into service within 15 s of virtual time');
  return v;
}
