/**
 * `trunkpilot status [--sys-root DIR] [--json] [--spans-only]`: spans (type, framing,
 * coding, alarms, counters) and their channels (signalling, state), as dahdi_scan and
 * lsdahdi show them, read from /proc/dahdi and /sys.
 */
import { parseArgs } from 'node:util';
import { InputError } from '../../core/errors';
import { DahdiSpan, DahdiSystem, discoverDahdi } from '../../discovery';
import { CliIO } from '../cli-io';

export async function run(argv: string[], io: CliIO): Promise<number> {
  const args = parseStatusArgs(argv);
  const system = discoverDahdi({ sysRoot: args.sysRoot });
  if (args.json) {
    io.stdout(JSON.stringify(system, null, 2) + '\n');
  } else {
    io.stdout(renderStatus(system, { channels: !args.spansOnly }));
  }
  for (const w of system.warnings) io.stderr(`warning: ${w}\n`);
  return 0;
}

function parseStatusArgs(argv: string[]): { sysRoot: string; json: boolean; spansOnly: boolean } {
  try {
    const { values } = parseArgs({
      args: argv,
      options: { 'sys-root': { type: 'string' }, json: { type: 'boolean' }, 'spans-only': { type: 'boolean' } },
      strict: true,
    });
    return { sysRoot: values['sys-root'] ?? '/', json: values.json ?? false, spansOnly: values['spans-only'] ?? false };
  } catch (err) {
    throw new InputError('trunkpilot status', `${(err as Error).message}; usage: trunkpilot status [--sys-root DIR] [--json] [--spans-only]`);
  }
}

/** Alarm column the way dahdi_scan words it: OK, UNCONFIGURED or the alarm names. */
export function spanState(span: DahdiSpan): string {
  if (span.alarms.length) return span.alarms.join('/');
  return span.configured ? 'OK' : 'UNCONFIGURED';
}

function lineSetup(span: DahdiSpan): string {
  if (!span.digital) return 'analog';
  if (!span.framing) return 'not configured';
  return [span.framing, span.coding, span.crc4 ? 'CRC4' : undefined].filter(Boolean).join('/');
}

export function renderStatus(system: DahdiSystem, opts: { channels: boolean }): string {
  if (!system.spans.length) return 'no DAHDI spans found\n';
  const out: string[] = [];
  for (const span of system.spans) {
    const timing = [span.syncMaster ? 'master' : '', span.clockSource ? 'clock source' : ''].filter(Boolean).join(', ');
    out.push(`Span ${span.spanno}: ${span.name} "${span.description}" ${span.type} ${lineSetup(span)} ${spanState(span)}${timing ? ` (${timing})` : ''}`);
    const last = span.basechan + span.channelCount - 1;
    out.push(`  device ${span.device ?? '?'} local span ${span.localSpanno ?? '?'}, channels ${span.basechan}-${last}`);
    const c = span.counters;
    if (span.digital) out.push(`  counters: BPV ${c.bpv}, CRC-4 ${c.crc4}, E-bit ${c.ebit}, FAS ${c.fas}, slips ${c.timingSlips}`);
    if (opts.channels) {
      out.push(`  ${'chan'.padStart(5)} ${'pos'.padStart(3)}  ${'name'.padEnd(16)} ${'signalling'.padEnd(22)} state`);
      for (const ch of span.channels) {
        const state = [ch.reserved ? 'reserved' : '', ch.inUse ? 'in use' : 'idle', ...ch.alarms].filter(Boolean).join(' ');
        const ec = ch.echoCanceller ? `  EC ${ch.echoCanceller.name} (${ch.echoCanceller.active ? 'active' : 'inactive'})` : '';
        out.push(`  ${String(ch.channo).padStart(5)} ${String(ch.spanPosition).padStart(3)}  ${ch.name.padEnd(16)} ${ch.signalling.padEnd(22)} ${state}${ec}`);
      }
    }
    out.push('');
  }
  return out.join('\n');
}
