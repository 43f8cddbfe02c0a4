/**
 * The trunkpilot binary's command table: the product's commands and the
 * simulator's, in the order `trunkpilot --help` lists them. The composition root:
 * the one place that may import both src/ and simulator/; nothing imports it.
 */
import { CliIO, processIO } from '../src/cli/cli-io';
import { CommandEntry, CommandTable, PRODUCT_COMMANDS, runCommand } from '../src/cli/main';
import { SIMULATOR_COMMANDS } from '../simulator/cli/commands';

const { sim, bench } = SIMULATOR_COMMANDS;
const { run, campaign, dial, detect, provision, status } = PRODUCT_COMMANDS;
/** `run` with the line simulator plugged in, so `run --simulate` (and npm start) work from this binary. */
const runWithSimulator: CommandEntry = {
  summary: run.summary,
  load: async () => {
    const [{ runCommandWith }, { SITE_SIMULATOR }] = await Promise.all([import('../src/cli/commands/run'), import('../simulator/site/simulated-site')]);
    return runCommandWith(SITE_SIMULATOR);
  },
};
export const COMMANDS: CommandTable = { run: runWithSimulator, campaign, dial, sim, detect, provision, status, bench };

export function main(argv: string[], io: CliIO = processIO): Promise<number> {
  return runCommand(COMMANDS, argv, io);
}
