import { readFile } from 'node:fs/promises';
import { InputError } from '../../src/core/errors';
import { defineCommand, defineGroup, UsageError } from '../../src/cli/command';
import type { PacingRunResult } from '../virtual-trunk/pacing-run';
import type { Scenario } from '../virtual-trunk/scenario';

/**
 * `trunkpilot bench pacing`: pacing algorithms over a scenario in virtual time. It
 * is also the supervisor's what-if tool: the scenario's seats, lines, hours and
 * limits changed on the command line, several algorithms side by side, several
 * seeds averaged.
 */
export interface ScenarioOverrides {
  agents?: number;
  lines?: number;
  hours?: number;
  abandonTarget?: number;
  windowCap?: number;
}

/** The scenario with the command line's what-if changes applied. */
export function applyOverrides(s: Scenario, o: ScenarioOverrides): Scenario {
  const out = { ...s };
  if (o.agents !== undefined) out.agents = o.agents;
  if (o.lines !== undefined) out.lines = o.lines;
  if (o.hours !== undefined) out.hours = o.hours;
  if (o.abandonTarget !== undefined) out.abandonTarget = o.abandonTarget;
  if (o.windowCap !== undefined) out.windowCap = o.windowCap;
  return out;
}

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

function describeRun(r: PacingRunResult): string {
  return (
    `${r.algorithm} on ${r.scenario} (seed ${r.seed}, ${r.agents} agents, ${r.lines} lines, ${r.sim_hours} h)\n` +
    `  occupancy ${pct(r.occupancy)}  busy ${pct(r.busy_share)}  abandoned ${pct(r.abandon_rate)} (Ofcom ${pct(r.abandon_rate_ofcom)}, worst hour ${pct(r.max_window_abandon_rate)})\n` +
    `  ASA ${r.asa_sec.toFixed(2)} s  contacts/agent-hour ${r.contacts_per_agent_hour.toFixed(1)}  attempts ${r.attempts}  lines mean ${r.lines_mean.toFixed(1)} max ${r.lines_max}  (${r.wall_ms} ms)\n`
  );
}

function describeSeeds(algorithm: string, runs: PacingRunResult[], s: Scenario): string {
  const mean = (f: (r: PacingRunResult) => number) => runs.reduce((a, r) => a + f(r), 0) / runs.length;
  const worst = Math.max(...runs.map((r) => r.abandon_rate));
  const worstHour = Math.max(...runs.map((r) => r.max_window_abandon_rate));
  const holds = worst <= s.abandonTarget && worstHour <= s.windowCap;
  return (
    `${algorithm.padEnd(22)} occupancy ${pct(mean((r) => r.occupancy))}  abandoned ${pct(mean((r) => r.abandon_rate))} (worst seed ${pct(worst)}, worst hour ${pct(worstHour)})  ` +
    `${holds ? 'holds' : 'BREAKS'} ${pct(s.abandonTarget)}/${pct(s.windowCap)} on every seed  (${Math.round(mean((r) => r.wall_ms))} ms/run)\n`
  );
}

const pacing = defineCommand({
  name: 'pacing',
  summary: 'pacing algorithms over a scenario in virtual time; the what-if tool',
  description: `Runs the real campaign, seat distributor, Span and TrunkGroup over a virtual network with
simulated agents on a virtual clock (hours of traffic in seconds). Fields of --json as in
shared/spec/pacing-bench.md (one object per run). The scenario's seats, lines, hours and limits
can be changed on the command line to try a day's settings; --algorithm repeated compares
pacers side by side; --seeds N prints the mean and the worst seed of each. \`npm run bench --
pacing\` compares every algorithm over the shipped scenarios.`,
  options: {
    scenario: { type: 'string', value: 'FILE', required: true, description: 'the scenario (JSON, e.g. bench/scenarios/default.json)' },
    algorithm: {
      type: 'list',
      value: 'NAME',
      description: 'predictive (default), progressive, vicidial-adaptive or fixed-ratio-<R> (e.g. fixed-ratio-1.5); repeat to compare',
    },
    seed: { type: 'integer', value: 'S', min: 0, max: 2 ** 31, default: 1, description: 'seed of the simulated traffic' },
    seeds: {
      type: 'integer',
      value: 'N',
      min: 1,
      max: 100,
      default: 1,
      description: 'seeds S..S+N-1: the mean and the worst seed per algorithm',
    },
    agents: { type: 'integer', value: 'N', min: 1, max: 999, description: "instead of the scenario's agents" },
    lines: { type: 'integer', value: 'N', min: 1, max: 999, description: "instead of the scenario's lines" },
    hours: { type: 'number', value: 'H', min: 0.01, max: 48, unit: 'hours', description: "instead of the scenario's length" },
    'abandon-target': {
      type: 'number',
      value: 'SHARE',
      min: 0.0001,
      max: 1,
      description: 'the most abandoned/answered over the run (0.03 for 3%)',
    },
    'window-cap': {
      type: 'number',
      value: 'SHARE',
      min: 0.0001,
      max: 1,
      description: 'the most abandoned/answered in any rolling hour (default 0.05; predictive holds it)',
    },
    json: { type: 'flag', description: 'one JSON object per run with the benchmark fields' },
  },
  examples: [
    'trunkpilot bench pacing --scenario bench/scenarios/default.json',
    'trunkpilot bench pacing --scenario bench/scenarios/default.json --algorithm fixed-ratio-2 --seed 3 --json',
    'trunkpilot bench pacing --scenario bench/scenarios/size-064-steady-8h.json --agents 48 --algorithm predictive --algorithm fixed-ratio-3.5 --seeds 3',
  ],
  exitCodes: { 1: 'the scenario cannot be read or is invalid (FILE.field: problem), or an error' },
  async run({ options: args }, io) {
    const { createPacer } = await import('../../src/pacing/pacer-factory');
    const algorithms = args.algorithm.length ? args.algorithm : ['predictive'];
    for (const a of algorithms) {
      try {
        createPacer(a); // a bad name fails before the file is read
      } catch (err) {
        if (err instanceof InputError) throw new UsageError('--algorithm', err.problem);
        throw err;
      }
    }
    const { parseScenario } = await import('../virtual-trunk/scenario');
    const { runPacingScenario } = await import('../virtual-trunk/pacing-run');
    let text: string;
    try {
      text = await readFile(args.scenario, 'utf8');
    } catch (err) {
      throw new InputError(args.scenario, `cannot read the scenario: ${(err as Error).message}`);
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      throw new InputError(args.scenario, `is not JSON: ${(err as Error).message}`);
    }
    const scenario = applyOverrides(parseScenario(raw, args.scenario), {
      agents: args.agents,
      lines: args.lines,
      hours: args.hours,
      abandonTarget: args['abandon-target'],
      windowCap: args['window-cap'],
    });
    const seeds = Array.from({ length: args.seeds }, (_, i) => args.seed + i);
    for (const algorithm of algorithms) {
      const runs: PacingRunResult[] = [];
      for (const seed of seeds) {
        const r = await runPacingScenario(scenario, algorithm, seed);
        runs.push(r);
        if (args.json) io.stdout(JSON.stringify(r) + '\n');
        else if (seeds.length === 1) io.stdout(describeRun(r));
      }
      if (!args.json && seeds.length > 1) io.stdout(describeSeeds(runs[0].algorithm, runs, scenario));
    }
    return 0;
  },
});

export default defineGroup({
  name: 'bench',
  summary: 'a benchmark in virtual time (bench pacing --scenario FILE --algorithm NAME --seed S --json)',
  description: 'For every benchmark with tables and a JSON file: npm run bench [-- NAME...].',
  subcommands: [pacing],
});
