import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../app/trunkpilot';

const FIELDS = [
  'algorithm',
  'scenario',
  'seed',
  'agents',
  'lines',
  'sim_hours',
  'occupancy',
  'busy_share',
  'abandon_rate',
  'abandon_rate_ofcom',
  'max_window_abandon_rate',
  'asa_sec',
  'contacts_per_agent_hour',
  'attempts',
  'answered',
  'abandoned',
  'lines_mean',
  'lines_max',
  'wall_ms',
];

function scenarioFile(over: Record<string, unknown> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'tp-bench-'));
  const file = join(dir, 'small.json');
  writeFileSync(
    file,
    JSON.stringify({
      name: 'small',
      agents: 4,
      lines: 12,
      hours: 0.5,
      warmup_minutes: 5,
      outcomes: { invalid: 0.1, busy: 0.1, no_answer: 0.3, machine: 0.2, human: 0.3 },
      ring_timeout_sec: 25,
      talk_sec: { dist: 'lognormal', mean: 60, cv: 1 },
      wrap_sec: { dist: 'fixed', value: 10 },
      ...over,
    }),
  );
  return file;
}

async function bench(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['bench', 'pacing', ...args], { stdout: (t) => out.push(t), stderr: (t) => err.push(t), isTTY: false });
  return { code, out: out.join(''), err: err.join('') };
}

describe('trunkpilot bench pacing', () => {
  test('--json prints one object with exactly the benchmark fields', async () => {
    const r = await bench(['--scenario', scenarioFile(), '--algorithm', 'fixed-ratio-1.5', '--seed', '3', '--json']);
    expect(r.code).toBe(0);
    const obj = JSON.parse(r.out);
    expect(Object.keys(obj).sort()).toEqual([...FIELDS].sort());
    expect(obj).toMatchObject({ algorithm: 'fixed-ratio-1.5', scenario: 'small', seed: 3, agents: 4, lines: 12, sim_hours: 0.5 });
    expect(obj.occupancy).toBeGreaterThan(0.2);
    expect(obj.occupancy).toBeLessThan(obj.busy_share);
    expect(obj.lines_max).toBeLessThanOrEqual(12);
    expect(obj.abandoned).toBeLessThanOrEqual(obj.answered);
  });

  test('the same seed gives the same run; progressive never abandons', async () => {
    const file = scenarioFile();
    const a = JSON.parse((await bench(['--scenario', file, '--algorithm', 'progressive', '--seed', '5', '--json'])).out);
    const b = JSON.parse((await bench(['--scenario', file, '--algorithm', 'progressive', '--seed', '5', '--json'])).out);
    delete a.wall_ms;
    delete b.wall_ms;
    expect(a).toEqual(b);
    expect(a.abandoned).toBe(0);
    expect(a.attempts).toBeGreaterThan(50);
  });

  test('bad input is named: unknown algorithm, missing file, bad scenario field', async () => {
    expect((await bench(['--scenario', scenarioFile(), '--algorithm', 'magic'])).err).toMatch(/unknown pacing algorithm 'magic'/);
    expect((await bench(['--scenario', '/nope.json'])).err).toMatch(/\/nope.json: cannot read/);
    const bad = await bench(['--scenario', scenarioFile({ agents: -1 })]);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/small.json.agents: must be at least 1/);
  });

  test('what-if: more seats on the same traffic, two algorithms side by side over several seeds', async () => {
    const file = scenarioFile();
    const r = await bench([
      '--scenario',
      file,
      '--algorithm',
      'progressive',
      '--algorithm',
      'fixed-ratio-2',
      '--seeds',
      '2',
      '--agents',
      '6',
      '--lines',
      '20',
      '--hours',
      '0.4',
    ]);
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^progressive .* abandoned 0\.00% .* holds 3\.00%\/5\.00% on every seed/);
    expect(lines[1]).toMatch(/^fixed-ratio-2 /);
    const json = await bench([
      '--scenario',
      file,
      '--algorithm',
      'progressive',
      '--seeds',
      '2',
      '--agents',
      '6',
      '--window-cap',
      '0.04',
      '--json',
    ]);
    const runs = json.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(runs.map((x) => [x.seed, x.agents])).toEqual([
      [1, 6],
      [2, 6],
    ]);
    expect((await bench(['--scenario', file, '--window-cap', '5'])).err).toMatch(
      /--window-cap: must be a number from 0.0001 to 1, got '5'/,
    );
    expect((await bench(['--scenario', file, '--frobnicate'])).err).toMatch(/frobnicate/);
  });
});
