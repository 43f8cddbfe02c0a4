import { readFile } from 'node:fs/promises';
import { InputError } from '../../src/core/errors';
import { CliIO, CommandModule } from '../../src/cli/cli-io';

/**
 * `trunkpilot bench pacing --scenario FILE --algorithm NAME [--seed S] [--json]`:
 * one run of a pacing algorithm over a scenario in virtual time.
 */
const USAGE = 'usage: trunkpilot bench pacing --scenario FILE [--algorithm NAME] [--seed S] [--json]\n' +
  '  NAME: predictive (default), progressive, vicidial-adaptive, fixed-ratio-<R> (e.g. fixed-ratio-1.5)\n';

interface PacingArgs {
  scenario: string;
  algorithm: string;
  seed: number;
  json: boolean;
}

export function parsePacingArgs(argv: string[]): PacingArgs {
  const args: PacingArgs = { scenario: '', algorithm: 'predictive', seed: 1, json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new InputError(a, 'needs a value');
      return v;
    };
    switch (a) {
      case '--scenario': args.scenario = value(); break;
      case '--algorithm': args.algorithm = value(); break;
      case '--seed': {
        const v = value();
        if (!/^\d+$/.test(v)) throw new InputError('--seed', `'${v}' is not a whole number`);
        args.seed = Number(v);
        break;
      }
      case '--json': args.json = true; break;
      default: throw new InputError(a, `unknown option\n${USAGE}`);
    }
  }
  if (!args.scenario) throw new InputError('--scenario', `is required\n${USAGE}`);
  return args;
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
    createPacer(args.algorithm); // a bad name fails before the file is read
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
};

export default command;
export const run = command.run;
