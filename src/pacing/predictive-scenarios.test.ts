import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runPacingScenario } from '../../simulator/virtual-trunk/pacing-run';
import { parseScenario } from '../../simulator/virtual-trunk/scenario';

/**
 * The predictive pacer holds the abandon limit on the shipped small-pool scenarios
 * for several seeds (life-time rate and worst rolling hour both within the
 * configured target, as issue 4 asks; the benchmark itself only asks 5% of the
 * hour), and keeps agents busier than the seed's fixed ratio.
 * The 64-seat scenario is in predictive-large.test.ts so jest runs them side by side.
 */
const load = (name: string) => parseScenario(JSON.parse(readFileSync(join(__dirname, '../../bench/scenarios', name), 'utf8')), name);

describe.each(['default.json', 'e1x1-8seats-amd.json'])('predictive on %s', (file) => {
  const scenario = load(file);
  test.each([1, 2, 3])('seed %i: abandonment within the target over the run and in the worst rolling hour', async (seed) => {
    const r = await runPacingScenario(scenario, 'predictive', seed);
    expect(r.answered).toBeGreaterThan(300);
    expect(r.abandon_rate).toBeLessThanOrEqual(scenario.abandonTarget);
    expect(r.max_window_abandon_rate).toBeLessThanOrEqual(scenario.windowCap);
    expect(r.abandon_rate_ofcom).toBeGreaterThanOrEqual(r.abandon_rate);
  });
});

// Ratio 2 is the best fixed ratio in hindsight on this traffic under the benchmark's 5% hour (and it breaks
// the 3% hour on this seed); holding the hour at the target leaves predictive 0.6 points ahead here, not 1.
test('predictive keeps agents busier than progressive and than the seed\'s ratio 2 on the default traffic', async () => {
  const scenario = load('default.json');
  const [predictive, progressive, ratio2] = await Promise.all(['predictive', 'progressive', 'fixed-ratio-2'].map((a) => runPacingScenario(scenario, a, 4)));
  expect(progressive.abandoned).toBe(0);
  expect(predictive.occupancy).toBeGreaterThan(progressive.occupancy + 0.1);
  expect(predictive.occupancy).toBeGreaterThan(ratio2.occupancy);
  expect(predictive.max_window_abandon_rate).toBeLessThanOrEqual(scenario.windowCap);
});
