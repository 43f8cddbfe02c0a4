import { CommandTable } from '../../src/cli/main';

/** The commands that run the product against the line simulator (see src/cli/command.ts on adding one). */
export const SIMULATOR_COMMANDS: CommandTable = {
  sim: () => import('./sim'),
  bench: () => import('./bench'),
};
