import { CommandTable } from '../../src/cli/main';

/** The commands that run the product against the line simulator. */
export const SIMULATOR_COMMANDS: CommandTable = {
  sim: { summary: 'run calls through the controller against the line simulator (sim calls ...)', load: () => import('./sim') },
  bench: { summary: 'a benchmark in virtual time (bench pacing --scenario FILE --algorithm NAME --seed S --json)', load: () => import('./bench') },
};
