import { readFile } from 'node:fs/promises';
import { InputError } from '../../src/core/errors';
import { CliIO, CommandModule } from '../../src/cli/cli-io';
import { parseCommandArgs, wholeNumberOption } from '../../src/cli/options';
import type { PacingRunResult } from '../virtual-trunk/pacing-run';
import type { Scenario } from '../virtual-trunk/scenario';

/**
 * `trunkpilot bench pacing --scenario FILE [--algorithm NAME]... [options]`: runs
 * pacing algorithms over a scenario in virtual time. It is also the supervisor's
 * what-if tool: the scenario's seats, lines, hours and limits can be changed on the
 * command line, several algorithms compared side by side, and several seeds averaged.
 */
const USAGE =
  'usage: trunkpilot bench pacing --scenario FILE [--algorithm NAME]... [--seed S] [--seeds N] [--json]\n' +
  '         [--agents N] [--lines N] [--hours H] [--abandon-target SHARE] [--window-cap SHARE]\n' +
  '  NAME: predictive (default), progressive, vicidial-adaptive, fixed-ratio-<R> (e.g. fixed-ratio-1.5); repeat to compare\n' +
  '  --seeds N: seeds S..S+N-1, with the mean and the worst seed per algorithm\n' +
  '  --window-cap: the most abandoned/answered may reach in any rolling hour (default 5%; predictive holds it)\n';

export interface PacingArgs {
  scenario: string;
  algorithms: string[];
  seed: number;
  seeds: number;
  json: boolean;
  overrides: { agents?: number; lines?: number; hours?: number; abandonTarget?: number; windowCap?: number };
}

function share(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 1) throw new InputError(`--${name}`, `must be a share above 0 and at most 1 (0.03 for 3%), got '${value}'`);
  return n;
}

export function parsePacingArgs(argv: string[]): PacingArgs {
  const v = parseCommandArgs('bench pacing', argv, {
    scenario: { type: 'string' },
    algorithm: { type: 'string', multiple: true },
    seed: { type: 'string' },
    seeds: { type: 'string' },
    json: { type: 'boolean' },
    agents: { type: 'string' },
    lines: { type: 'string' },
    hours: { type: 'string' },
    'abandon-target': { type: 'string' },
    'window-cap': { type: 'string' },
  }, USAGE);
  if (!v.scenario) throw new InputError('--scenario', `is required\n${USAGE}`);
  let hours: number | undefined;
  if (v.hours !== undefined) {
    hours = Number(v.hours);
    if (!Number.isFinite(hours) || hours < 0.01 || hours > 48) throw new InputError('--hours', `must be a number of hours from 0.01 to 48, got '${v.hours}'`);
  }
  return {
    scenario: v.scenario,
    algorithms: v.algorithm?.length ? v.algorithm : ['predictive'],
    seed: wholeNumberOption(v.seed, 'seed', 1, 0, 2 ** 31),
    seeds: wholeNumberOption(v.seeds, 'seeds', 1, 1, 100),
    json: v.json ?? false,
    overrides: {
      agents: v.agents === undefined ? undefined : wholeNumberOption(v.agents, 'agents', 0, 1, 999),
      lines: v.lines === undefined ? undefined : wholeNumberOption(v.lines, 'lines', 0, 1, 999),
      hours,
      abandonTarget: share(v['abandon-target'], 'abandon-target'),
      windowCap: share(v['window-cap'], 'window-cap'),
    },
  };
}

/** The scenario with the command line's what-if changes applied. */
export function applyOverrides(s: Scenario, o: PacingArgs['overrides']): Scenario {
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
  return `${r.algorithm} on ${r.scenario} (seed ${r.seed}, ${r.agents} agents, ${r.lines} lines, ${r.sim_hours} h)\n` +
    `  occupancy ${pct(r.occupancy)}  busy ${pct(r.busy_share)}  abandoned ${pct(r.abandon_rate)} (Ofcom ${pct(r.abandon_rate_ofcom)}, worst hour ${pct(r.max_window_abandon_rate)})\n` +
    `  ASA ${r.asa_sec.toFixed(2)} s  contacts/agent-hour ${r.contacts_per_agent_hour.toFixed(1)}  attempts ${r.attempts}  lines mean ${r.lines_mean.toFixed(1)} max ${r.lines_max}  (${r.wall_ms} ms)\n`;
}

function describeSeeds(algorithm: string, runs: PacingRunResult[], s: Scenario): string {
  const mean = (f: (r: PacingRunResult) => number) => runs.reduce((a, r) => a + f(r), 0) / runs.length;
  const worst = Math.max(...runs.map((r) => r.abandon_rate));
  const worstHour = Math.max(...runs.map((r) => r.max_window_abandon_rate));
  const holds = worst <= s.abandonTarget && worstHour <= s.windowCap;
  return `${algorithm.padEnd(22)} occupancy ${pct(mean((r) => r.occupancy))}  abandoned ${pct(mean((r) => r.abandon_rate))} (worst seed ${pct(worst)}, worst hour ${pct(worstHour)})  ` +
    `${holds ? 'holds' : 'BREAKS'} ${pct(s.abandonTarget)}/${pct(s.windowCap)} on every seed  (${Math.round(mean((r) => r.wall_ms))} ms/run)\n`;
}

const command: CommandModule = {
  async run(argv: string[], io: CliIO): Promise<number> {
    const [what, ...rest] = argv;
    if (what !== 'pacing') {
      io.stderr(USAGE);
      return 2;
    }
    const args = parsePacingArgs(rest);
    const { parseScenario } = await import('../virtual-trunk/scenario');
    const { runPacingScenario } = await import('../virtual-trunk/pacing-run');
    const { createPacer } = await import('../../src/pacing/pacer-factory');
    for (const a of args.algorithms) createPacer(a); // a bad name fails before the file is read
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
    const scenario = applyOverrides(parseScenario(raw, args.scenario), args.overrides);
    const seeds = Array.from({ length: args.seeds }, (_, i) => args.seed + i);
    for (const algorithm of args.algorithms) {
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
};

export default command;
export const run = command.run;
