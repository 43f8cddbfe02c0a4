import { readFile } from 'node:fs/promises';
import { InputError } from '../../src/core/errors';
import { defineCommand, defineGroup, UsageError } from '../../src/cli/command';

/** `trunkpilot bench pacing`: one run of a pacing algorithm over a scenario in virtual time. */
const pacing = defineCommand({
  name: 'pacing',
  summary: 'one run of a pacing algorithm over a scenario, in virtual time',
  description: `Runs the real campaign, seat distributor, Span and TrunkGroup over a virtual network with
simulated agents on a virtual clock (hours of traffic in seconds). Fields of --json as in
shared/spec/pacing-bench.md. \`npm run bench -- pacing\` compares every algorithm over the
shipped scenarios.`,
  options: {
    scenario: { type: 'string', value: 'FILE', required: true, description: 'the scenario (JSON, e.g. bench/scenarios/default.json)' },
    algorithm: { type: 'string', value: 'NAME', default: 'predictive', description: 'predictive, progressive, vicidial-adaptive or fixed-ratio-<R> (e.g. fixed-ratio-1.5)' },
    seed: { type: 'integer', value: 'S', min: 0, max: 2 ** 31, default: 1, description: 'seed of the simulated traffic' },
    json: { type: 'flag', description: 'one JSON object with the benchmark fields' },
  },
  examples: [
    'trunkpilot bench pacing --scenario bench/scenarios/default.json',
    'trunkpilot bench pacing --scenario bench/scenarios/default.json --algorithm fixed-ratio-2 --seed 3 --json',
  ],
  exitCodes: { 1: 'the scenario cannot be read or is invalid (FILE.field: problem), or an error' },
  async run({ options: args }, io) {
    const { createPacer } = await import('../../src/pacing/pacer-factory');
    try {
      createPacer(args.algorithm); // a bad name fails before the file is read
    } catch (err) {
      if (err instanceof InputError) throw new UsageError('--algorithm', err.problem);
      throw err;
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
    const result = await runPacingScenario(parseScenario(raw, args.scenario), args.algorithm, args.seed);
    if (args.json) io.stdout(JSON.stringify(result) + '\n');
    else {
      const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
      io.stdout(`${result.algorithm} on ${result.scenario} (seed ${result.seed}, ${result.agents} agents, ${result.lines} lines, ${result.sim_hours} h)\n` +
        `  occupancy ${pct(result.occupancy)}  busy ${pct(result.busy_share)}  abandoned ${pct(result.abandon_rate)} (Ofcom ${pct(result.abandon_rate_ofcom)}, worst hour ${pct(result.max_window_abandon_rate)})\n` +
        `  ASA ${result.asa_sec.toFixed(2)} s  contacts/agent-hour ${result.contacts_per_agent_hour.toFixed(1)}  attempts ${result.attempts}  lines mean ${result.lines_mean.toFixed(1)} max ${result.lines_max}  (${result.wall_ms} ms)\n`);
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
