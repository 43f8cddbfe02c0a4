/**
 * The trunkpilot binary's command table: the product's commands, then the
 * simulator's. The composition root: the one place that may import both src/ and
 * simulator/; nothing imports it.
 */
import { CliIO, processIO } from '../src/cli/cli-io';
import { CommandTable, PRODUCT_COMMANDS, runCommand } from '../src/cli/main';
import { SIMULATOR_COMMANDS } from '../simulator/cli/commands';

export const COMMANDS: CommandTable = {
  ...PRODUCT_COMMANDS,
  // `run` with the line simulator plugged in, so `run --simulate` (and npm start) work from this binary.
  run: async () => {
    const [{ runCommandWith }, { SITE_SIMULATOR }] = await Promise.all([
      import('../src/cli/commands/run'),
      import('../simulator/site/simulated-site'),
    ]);
    return { default: runCommandWith(SITE_SIMULATOR) };
  },
  ...SIMULATOR_COMMANDS,
};

export function main(argv: string[], io: CliIO = processIO): Promise<number> {
  return runCommand(COMMANDS, argv, io);
}
