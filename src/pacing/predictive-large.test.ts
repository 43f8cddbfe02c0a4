import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runPacingScenario } from '../../simulator/virtual-trunk/pacing-run';
import { parseScenario } from '../../simulator/virtual-trunk/scenario';

/** 64 seats, 8 E1s, answer rates falling then rising during the day. */
const scenario = parseScenario(JSON.parse(readFileSync(join(__dirname, '../../bench/scenarios/e1x8-64seats-drift.json'), 'utf8')));

test.each([1])('predictive holds the limits on the 64-seat drifting scenario (seed %i)', async (seed) => {
  const r = await runPacingScenario(scenario, 'predictive', seed);
  expect(r.abandon_rate).toBeLessThanOrEqual(scenario.abandonTarget);
  expect(r.max_window_abandon_rate).toBeLessThanOrEqual(scenario.windowCap);
  expect(r.occupancy).toBeGreaterThan(0.65);
});
