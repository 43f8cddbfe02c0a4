import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../core/errors';
import { parseBlendedScenario, runBlendedScenario } from '../../simulator/virtual-trunk/blended-run';
import { BlendedPacing } from './blended-pacing';

/**
 * Issue 21 item 2: two campaigns of different answer rates and talk times share
 * one pool of seats; the blended pacer decides each one's calls from one forecast,
 * and each campaign holds its own abandon limits.
 */
const scenario = parseBlendedScenario(
  JSON.parse(readFileSync(join(__dirname, '../../bench/scenarios/blended/blend-32seats-2.json'), 'utf8')),
  'blend-32seats-2',
);

test('two campaigns on one pool: each within its own limits, both reach people, the pool busier than progressive dialling', async () => {
  const short = { ...scenario, hours: 2, campaigns: scenario.campaigns.map((c) => ({ ...c, hours: 2 })) };
  const [blended, progressive] = await Promise.all([
    runBlendedScenario(short, 'predictive', 1),
    runBlendedScenario(short, ['progressive', 'progressive'], 1),
  ]);
  for (const [i, c] of blended.campaigns.entries()) {
    expect(c.abandon_rate).toBeLessThanOrEqual(short.campaigns[i].abandonTarget);
    expect(c.max_window_abandon_rate).toBeLessThanOrEqual(short.campaigns[i].windowCap);
    expect(c.answered).toBeGreaterThan(50);
  }
  expect(blended.occupancy).toBeCloseTo(blended.campaigns[0].occupancy + blended.campaigns[1].occupancy, 9);
  expect(blended.occupancy).toBeGreaterThan(progressive.occupancy + 0.05);
});

test('blended settings and files are checked', () => {
  expect(() => new BlendedPacing([])).toThrow(InputError);
  expect(() => new BlendedPacing([{ name: 'a' }, { name: 'a' }])).toThrow(/named twice/);
  expect(() => new BlendedPacing([{ name: 'a', weight: 0 }])).toThrow(/weight/);
  expect(() => new BlendedPacing([{ name: 'a' }]).pacerFor('b')).toThrow(/unknown campaign 'b'/);
  const raw = JSON.parse(readFileSync(join(__dirname, '../../bench/scenarios/blended/blend-32seats-2.json'), 'utf8'));
  expect(() => parseBlendedScenario({ ...raw, campaigns: [raw.campaigns[0]] })).toThrow(/2 to 4 campaigns/);
  expect(() => parseBlendedScenario({ ...raw, campaigns: [{ ...raw.campaigns[0], agents: 5 }, raw.campaigns[1]] })).toThrow(
    /campaigns\[0\]\.agents: belongs to the pool/,
  );
});
