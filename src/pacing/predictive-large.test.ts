import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runPacingScenario } from '../../simulator/virtual-trunk/pacing-run';
import { parseScenario } from '../../simulator/virtual-trunk/scenario';

/**
 * The larger centres (64 to 240 seats) of the shipped scenarios: the predictive
 * pacer holds the rule on one seed each over the first 1.5 hours (the first drift
 * step falls inside it; the benchmark runs them in full over twenty seeds).
 */
const dir = join(__dirname, '../../bench/scenarios');
const load = (name: string) => parseScenario(JSON.parse(readFileSync(join(dir, name), 'utf8')), name);
const large = readdirSync(dir)
  .filter((f) => f.endsWith('.json') && load(f).agents > 32)
  .sort();

test.each(large)('predictive holds the limits on %s (seed 1, first 1.5 h)', async (file) => {
  const scenario = { ...load(file), hours: Math.min(1.5, load(file).hours) };
  const r = await runPacingScenario(scenario, 'predictive', 1);
  expect(r.abandon_rate).toBeLessThanOrEqual(scenario.abandonTarget);
  expect(r.max_window_abandon_rate).toBeLessThanOrEqual(scenario.windowCap);
  expect(r.occupancy).toBeGreaterThan(0.65);
});
