import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runPacingScenario } from '../../simulator/virtual-trunk/pacing-run';
import { parseScenario } from '../../simulator/virtual-trunk/scenario';

/**
 * The predictive pacer holds the benchmark's rule on every shipped scenario up to
 * 32 seats, for a few seeds (the benchmark runs twenty): abandonment within the
 * target over the run, within the hour cap in the worst rolling hour. The larger
 * centres are in predictive-large.test.ts so jest runs them side by side.
 */
const dir = join(__dirname, '../../bench/scenarios');
const load = (name: string) => parseScenario(JSON.parse(readFileSync(join(dir, name), 'utf8')), name);
const small = readdirSync(dir)
  .filter((f) => f.endsWith('.json') && load(f).agents <= 32)
  .sort();

test('every shipped scenario is checked here or in predictive-large.test.ts', () => {
  expect(small.length).toBeGreaterThanOrEqual(5);
});

describe.each(small)('predictive on %s', (file) => {
  const scenario = load(file);
  test.each([1, 2])('seed %i: abandonment within the target over the run and the cap in the worst rolling hour', async (seed) => {
    const r = await runPacingScenario(scenario, 'predictive', seed);
    expect(r.answered).toBeGreaterThan(200);
    expect(r.abandon_rate).toBeLessThanOrEqual(scenario.abandonTarget);
    expect(r.max_window_abandon_rate).toBeLessThanOrEqual(scenario.windowCap);
    expect(r.abandon_rate_ofcom).toBeGreaterThanOrEqual(r.abandon_rate);
  });
});

test('held to the target in every hour (window cap = target), it holds 3% there too', async () => {
  const scenario = { ...load('default.json'), windowCap: 0.03 };
  const r = await runPacingScenario(scenario, 'predictive', 3);
  expect(r.abandon_rate).toBeLessThanOrEqual(0.03);
  expect(r.max_window_abandon_rate).toBeLessThanOrEqual(0.03);
});

// Ratio 2.25 is the best fixed ratio in hindsight on this traffic (bench, seeds 1-4); predictive runs ahead of it on a seed of its own.
test('predictive keeps agents busier than progressive and than the hindsight ratio on the default traffic', async () => {
  const scenario = load('default.json');
  const [predictive, progressive, ratio] = await Promise.all(
    ['predictive', 'progressive', 'fixed-ratio-2.25'].map((a) => runPacingScenario(scenario, a, 4)),
  );
  expect(progressive.abandoned).toBe(0);
  expect(predictive.occupancy).toBeGreaterThan(progressive.occupancy + 0.1);
  expect(predictive.occupancy).toBeGreaterThan(ratio.occupancy);
  expect(predictive.max_window_abandon_rate).toBeLessThanOrEqual(scenario.windowCap);
});

// Seed 10 of the 8-seat long-talk centre reached 5.06% in its worst hour (4 abandons in 79 answers) before the
// window guard kept an abandon spare below the cap (bench, 20 seeds: worst 4.05% since).
test('an 8-seat centre, where one abandon is 1.25 points of the hour, stays under the cap in every hour', async () => {
  const scenario = load('size-008-amd-longtalk.json');
  const r = await runPacingScenario(scenario, 'predictive', 10);
  expect(r.max_window_abandon_rate).toBeLessThanOrEqual(scenario.windowCap);
  expect(r.abandon_rate).toBeLessThanOrEqual(scenario.abandonTarget);
});
