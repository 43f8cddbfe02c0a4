import { TrunkpilotError } from '../core/errors';
import { CliIO, CommandModule, processIO } from './cli-io';

/**
 * The command table: one line per top-level command, loaded lazily so that a
 * command's native libraries are only opened when it runs.
 */
const COMMANDS: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {
  campaign: { summary: 'add, list, show, start, pause, resume, stop, approve, export, test-call campaigns on a running gateway', load: () => import('./commands/campaign') },
  run: { summary: 'the gateway: run campaigns on a provisioned site (--simulate: on the line simulator)', load: () => import('./commands/run') },
  dial: { summary: 'place one call on a provisioned site (real boards through DAHDI)', load: () => import('./commands/dial') },
  sim: { summary: 'run calls through the controller against the line simulator (sim calls ...)', load: () => import('./commands/sim') },
  detect: { summary: 'boards DAHDI shows, matched to board profiles by PCI/USB ID', load: () => import('./commands/detect') },
  provision: { summary: 'check, plan (diff) or apply a site file: system.conf, assigned-spans.conf, channel map', load: () => import('./commands/provision') },
  status: { summary: 'DAHDI spans and channels: type, framing, alarms, counters, signalling', load: () => import('./commands/status') },
  bench: { summary: 'a benchmark in virtual time (bench pacing --scenario FILE --algorithm NAME --seed S --json)', load: () => import('./commands/bench') },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `usage: trunkpilot <command> [options]\n\ncommands:\n${lines.join('\n')}\n`;
}

export async function main(argv: string[], io: CliIO = processIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage());
    return name ? 0 : 2;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    io.stderr(`trunkpilot: unknown command '${name}'\n\n${usage()}`);
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
