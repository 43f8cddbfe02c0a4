import { TrunkpilotError } from '../core/errors';
import { CliIO, CommandModule, processIO } from './cli-io';

/** One line of a command table: loaded lazily so that a command's native libraries are only opened when it runs. */
export interface CommandEntry {
  summary: string;
  load: () => Promise<CommandModule>;
}

export type CommandTable = Record<string, CommandEntry>;

/**
 * The product's own commands (real boards, provisioning). The simulator's commands
 * (demo, sim, bench) live in simulator/cli; app/trunkpilot.ts puts both tables
 * together for the trunkpilot binary.
 */
export const PRODUCT_COMMANDS: CommandTable = {
  run: { summary: 'the gateway: run campaigns on a provisioned site (--simulate: on the line simulator)', load: () => import('./commands/run') },
  campaign: { summary: 'add, list, show, start, pause, resume, stop, approve, export, test-call campaigns on a running gateway', load: () => import('./commands/campaign') },
  dial: { summary: 'place one call on a provisioned site (real boards through DAHDI)', load: () => import('./commands/dial') },
  detect: { summary: 'boards DAHDI shows, matched to board profiles by PCI/USB ID', load: () => import('./commands/detect') },
  provision: { summary: 'check, plan (diff) or apply a site file: system.conf, assigned-spans.conf, channel map', load: () => import('./commands/provision') },
  status: { summary: 'DAHDI spans and channels: type, framing, alarms, counters, signalling', load: () => import('./commands/status') },
};

function usage(commands: CommandTable): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `usage: trunkpilot <command> [options]\n\ncommands:\n${lines.join('\n')}\n`;
}

/** Runs the command `argv[0]` of `commands`; resolves to the exit code. */
export async function runCommand(commands: CommandTable, argv: string[], io: CliIO = processIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage(commands));
    return name ? 0 : 2;
  }
  const entry = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!entry) {
    io.stderr(`trunkpilot: unknown command '${name}'\n\n${usage(commands)}`);
    return 2;
  }
  try {
    const mod = await entry.load();
    return await mod.run(rest, io);
  } catch (err) {
    // Typed errors are the user's to fix: print the message, not a stack.
    if (err instanceof TrunkpilotError) {
      io.stderr(`trunkpilot ${name}: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}
