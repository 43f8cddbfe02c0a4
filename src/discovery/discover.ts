/**
 * discoverDahdi(): the spans, channels and boards DAHDI exposes under a system root.
 * Reads files only, so a saved snapshot of a real machine's /proc/dahdi and /sys
 * (hil-tests/fixtures/sysfs/*) gives the same answer the machine would.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TrunkpilotError } from '../core/errors';
import { parseProcDahdiSpan, ProcSpan } from './proc-dahdi';
import { readSysfsDevices, SysfsSpan } from './sysfs-dahdi';
import { DahdiSpan, DahdiSpanType, DahdiSystem } from './types';
import { spanPosition } from '../core/timeslots';

export interface DiscoverOptions {
  /** Directory that stands for `/`: holds proc/dahdi and sys/bus/dahdi_devices. Default "/". */
  sysRoot?: string;
}

export function discoverDahdi(options: DiscoverOptions = {}): DahdiSystem {
  const sysRoot = options.sysRoot ?? '/';
  const sysfs = readSysfsDevices(sysRoot);
  const warnings = [...sysfs.warnings];
  const bySpanno = new Map(sysfs.spans.map((s) => [s.spanno, s]));
  const spans: DahdiSpan[] = [];
  const procDir = join(sysRoot, 'proc', 'dahdi');
  if (!existsSync(procDir)) {
    warnings.push(`${procDir} is missing: the dahdi module is not loaded`);
  } else {
    const files = readdirSync(procDir)
      .filter((f) => /^\d+$/.test(f))
      .sort((a, b) => Number(a) - Number(b));
    for (const file of files) {
      const path = join(procDir, file);
      try {
        const proc = parseProcDahdiSpan(readFileSync(path, 'utf8'), path);
        spans.push(mergeSpan(proc, bySpanno.get(proc.spanno)));
      } catch (err) {
        // One unreadable span must not hide the others: report it and go on.
        if (!(err instanceof TrunkpilotError)) throw err;
        warnings.push(err.message);
      }
    }
  }
  return { sysRoot, devices: sysfs.devices, spans, warnings };
}

function mergeSpan(proc: ProcSpan, sys: SysfsSpan | undefined): DahdiSpan {
  const words = new Set(proc.lineconfig);
  const basechan = sys?.basechan ?? proc.channels[0]?.channo ?? 0;
  const type = sys?.type ?? inferType(proc);
  const digital = sys?.digital ?? ['E1', 'T1', 'J1'].includes(type);
  let framing: string | undefined;
  if (words.has('CCS')) framing = 'CCS';
  else if (words.has('ESF')) framing = 'ESF';
  else if (words.has('D4')) framing = 'D4';
  else if (proc.lineconfig.length && type === 'E1') framing = 'CAS';
  const coding = ['HDB3', 'AMI', 'B8ZS'].find((c) => words.has(c));
  return {
    spanno: proc.spanno,
    name: proc.name,
    description: proc.description,
    type,
    digital,
    device: sys?.device,
    localSpanno: sys?.localSpanno,
    basechan,
    channelCount: sys?.channels ?? proc.channels.length,
    framing,
    coding,
    crc4: words.has('CRC4'),
    lbo: sys?.lbo,
    syncMaster: proc.syncMaster,
    clockSource: proc.clockSource,
    alarms: proc.alarms,
    configured: proc.lineconfig.length > 0 || proc.channels.some((c) => c.signalling !== 'Unconfigured'),
    counters: proc.counters,
    channels: proc.channels.map((c) => ({ ...c, spanPosition: spanPosition(basechan, c.channo) })),
  };
}

/** Without sysfs (old DAHDI, partial snapshot) the type is guessed from what /proc shows. */
function inferType(proc: ProcSpan): DahdiSpanType {
  if (proc.lineconfig.some((w) => w === 'HDB3' || w === 'CRC4') || proc.channels.length === 31) return 'E1';
  if (proc.lineconfig.some((w) => w === 'B8ZS' || w === 'ESF' || w === 'D4') || proc.channels.length === 24) return 'T1';
  const sigs = proc.channels.map((c) => c.signalling);
  if (sigs.length && sigs.every((s) => s.startsWith('FXS'))) return 'FXO'; // FXO ports use FXS signalling
  if (sigs.length && sigs.every((s) => s.startsWith('FXO'))) return 'FXS';
  return 'INVALID';
}
