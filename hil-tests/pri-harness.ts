import { CalleePopulation, PopulationOptions } from '../simulator/callee-population';
import { buildPriRig, PriRig, PriRigOptions } from '../simulator/pri/pri-rig';
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
