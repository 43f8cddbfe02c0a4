/**
 * The trunkpilot binary's command table: the product's commands and the
 * simulator's, in the order `trunkpilot --help` lists them. The composition root:
 * the one place that may import both src/ and simulator/; nothing imports it.
 */
import { CliIO, processIO } from '../src/cli/cli-io';
import { CommandTable, PRODUCT_COMMANDS, runCommand } from '../src/cli/main';
import { SIMULATOR_COMMANDS } from '../simulator/cli/commands';

const { demo, sim, bench } = SIMULATOR_COMMANDS;
const { dial, detect, provision, status } = PRODUCT_COMMANDS;
export const COMMANDS: CommandTable = { demo, dial, sim, detect, provision, status, bench };

export function main(argv: string[], io: CliIO = processIO): Promise<number> {
  return runCommand(COMMANDS, argv, io);
}
