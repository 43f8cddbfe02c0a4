import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { TrunkpilotError } from '../core/errors';
import { CliIO, processIO } from './cli-io';
import { AnyCommand, commandName, commandSummary, DEFAULT_EXIT_CODES, execute, table } from './command';

/**
 * A command table: one line per top-level command, `name: () => import('./commands/name')`
 * (see the note at the top of ./command.ts). Modules load lazily, and a command loads
 * its native libraries only when it runs, so `--help` works on a machine without them.
 */
export type CommandTable = Record<string, () => Promise<{ default: AnyCommand }>>;

/**
 * The product's own commands (real boards, provisioning). The simulator's commands
 * (sim, bench) live in simulator/cli; app/trunkpilot.ts puts both tables
 * together for the trunkpilot binary.
 */
export const PRODUCT_COMMANDS: CommandTable = {
  run: () => import('./commands/run'),
  campaign: () => import('./commands/campaign'),
  seat: () => import('./commands/seat'),
  privacy: () => import('./commands/privacy'),
  dial: () => import('./commands/dial'),
  detect: () => import('./commands/detect'),
  provision: () => import('./commands/provision'),
  status: () => import('./commands/status'),
  passwd: () => import('./commands/passwd'),
  telemetry: () => import('./commands/telemetry'),
};

export const PROGRAM = 'trunkpilot';

export async function loadCommand(commands: CommandTable, name: string): Promise<AnyCommand> {
  const cmd = (await commands[name]()).default;
  if (commandName(cmd) !== name) throw new Error(`command table: '${name}' loads a command named '${commandName(cmd)}'`);
  return cmd;
}

/** The version in package.json, found from here in src/ (tests) and in dist/src/ (built). */
export function packageVersion(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      if (pkg.name === 'trunkpilot') return String(pkg.version);
    } catch {
      // not here: go up
    }
  }
  return 'unknown';
}

async function topHelp(commands: CommandTable): Promise<string> {
  const cmds = await Promise.all(Object.keys(commands).map((n) => loadCommand(commands, n)));
  const lines = table(cmds.map((c) => [commandName(c), commandSummary(c)]));
  const codes = table(Object.entries(DEFAULT_EXIT_CODES));
  return [
    `usage: ${PROGRAM} <command> [options]`,
    `       ${PROGRAM} --version`,
    '',
    'commands:',
    lines,
    '',
    `run '${PROGRAM} <command> --help' for a command's options, examples and exit codes`,
    '',
    'exit codes (a command may add its own, listed in its help):',
    codes,
    '',
  ].join('\n');
}

/** Runs the command `argv[0]` of `commands` with the rest of argv; resolves to the exit code. */
export async function runCommand(commands: CommandTable, argv: string[], io: CliIO = processIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-V') {
    io.stdout(`${packageVersion()}\n`);
    return 0;
  }
  if (name === '--help' || name === '-h') {
    io.stdout(await topHelp(commands));
    return 0;
  }
  if (name === 'help') return runCommand(commands, rest.length ? [...rest, '--help'] : ['--help'], io);
  if (name === undefined || !Object.hasOwn(commands, name)) {
    const problem = name === undefined ? 'a command is required' : `unknown ${name.startsWith('-') ? 'option' : 'command'} '${name}'`;
    io.stderr(`${PROGRAM}: usage: ${problem}; one of: ${Object.keys(commands).join(', ')}\n(see '${PROGRAM} --help')\n`);
    return 2;
  }
  try {
    return await execute(await loadCommand(commands, name), rest, io, { program: PROGRAM, path: [name] });
  } catch (err) {
    // Typed errors are the user's to fix: print the message, not a stack.
    if (err instanceof TrunkpilotError) {
      io.stderr(`${PROGRAM} ${name}: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}
