/**
 * `trunkpilot status`: spans (type, framing, coding, alarms, counters) and their
 * channels (signalling, state), as dahdi_scan and lsdahdi show them, read from
 * /proc/dahdi and /sys.
 */
import { TrunkpilotError } from '../../core/errors';
import { DahdiSpan, DahdiSystem, discoverDahdi } from '../../discovery';
import { defineCommand } from '../command';

export default defineCommand({
  name: 'status',
  summary: 'DAHDI spans and channels: type, framing, alarms, counters, signalling',
  description:
    'Reads /proc/dahdi and /sys (or the same files under --sys-root, e.g. a snapshot saved by\n`trunkpilot detect --save-snapshot`), as dahdi_scan and lsdahdi show them.',
  options: {
    'sys-root': { type: 'string', value: 'DIR', default: '/', description: 'directory that stands for / (holds proc/dahdi and sys)' },
    json: { type: 'flag', description: 'print the typed discovery result as JSON' },
    'spans-only': { type: 'flag', description: 'spans without their channel tables' },
  },
  examples: ['trunkpilot status', 'trunkpilot status --spans-only', 'trunkpilot status --json --sys-root ./snapshot'],
  exitCodes: {
    0: 'DAHDI shows at least one span',
    1: 'DAHDI is absent (no /proc/dahdi: modules not loaded) or shows no span, or an error',
  },
  async run({ options }, io) {
    const system = discoverDahdi({ sysRoot: options['sys-root'] });
    if (options.json) {
      io.stdout(JSON.stringify(system, null, 2) + '\n');
    } else {
      io.stdout(renderStatus(system, { channels: !options['spans-only'] }));
    }
    for (const w of system.warnings) io.stderr(`warning: ${w}\n`);
    // A monitoring script must see a machine without DAHDI as a failure, not as an empty list.
    if (!system.spans.length) throw new DahdiAbsentError(options['sys-root']);
    return 0;
  },
});

export class DahdiAbsentError extends TrunkpilotError {
  constructor(readonly sysRoot: string) {
    super('DAHDI_ABSENT', `no DAHDI span under ${sysRoot} (load the DAHDI modules and the board's driver, then run dahdi_cfg)`);
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
    out.push(
      `Span ${span.spanno}: ${span.name} "${span.description}" ${span.type} ${lineSetup(span)} ${spanState(span)}${timing ? ` (${timing})` : ''}`,
    );
    const last = span.basechan + span.channelCount - 1;
    out.push(`  device ${span.device ?? '?'} local span ${span.localSpanno ?? '?'}, channels ${span.basechan}-${last}`);
    const c = span.counters;
    if (span.digital) out.push(`  counters: BPV ${c.bpv}, CRC-4 ${c.crc4}, E-bit ${c.ebit}, FAS ${c.fas}, slips ${c.timingSlips}`);
    if (opts.channels) {
      out.push(`  ${'chan'.padStart(5)} ${'pos'.padStart(3)}  ${'name'.padEnd(16)} ${'signalling'.padEnd(22)} state`);
      for (const ch of span.channels) {
        const state = [ch.reserved ? 'reserved' : '', ch.inUse ? 'in use' : 'idle', ...ch.alarms].filter(Boolean).join(' ');
        const ec = ch.echoCanceller ? `  EC ${ch.echoCanceller.name} (${ch.echoCanceller.active ? 'active' : 'inactive'})` : '';
        out.push(
          `  ${String(ch.channo).padStart(5)} ${String(ch.spanPosition).padStart(3)}  ${ch.name.padEnd(16)} ${ch.signalling.padEnd(22)} ${state}${ec}`,
        );
      }
    }
    out.push('');
  }
  return out.join('\n');
}
