/**
 * Reader for /sys/bus/dahdi_devices: one directory per DAHDI device (board), with
 * its spans as `span-N` children, and the PCI or USB device it hangs under found by
 * walking up the resolved sysfs path (as dahdi_hardware and lsdahdi do).
 */
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { DahdiDevice, DahdiSpanType, HardwareId } from './types';

/** Span facts sysfs has and /proc/dahdi lacks. */
export interface SysfsSpan {
  spanno: number;
  device: string;
  localSpanno: number;
  type: DahdiSpanType;
  digital: boolean;
  basechan: number;
  channels: number;
  lbo?: number;
  syncMaster: boolean;
}

const SPAN_TYPES = new Set<DahdiSpanType>([
  'E1',
  'T1',
  'J1',
  'BRI_NT',
  'BRI_TE',
  'BRI_SOFT',
  'FXS',
  'FXO',
  'ANALOG_MIXED',
  'DYNAMIC',
  'INVALID',
]);

export function toSpanType(text: string): DahdiSpanType {
  return SPAN_TYPES.has(text as DahdiSpanType) ? (text as DahdiSpanType) : 'INVALID';
}

function readAttr(dir: string, name: string): string | undefined {
  const path = join(dir, name);
  if (!existsSync(path)) return undefined;
  return readFileSync(path, 'utf8').replace(/\n$/, '');
}

function readInt(dir: string, name: string): number | undefined {
  const text = readAttr(dir, name);
  if (text === undefined || text.trim() === '') return undefined;
  const n = Number(text.trim());
  return Number.isFinite(n) ? n : undefined;
}

/** Strips "0x" and pads to 4 hex digits, the form the profiles use. */
function hexId(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  return text.trim().toLowerCase().replace(/^0x/, '').padStart(4, '0');
}

/** Walks from a device directory towards /sys until it meets a PCI or USB device. */
export function findHardware(deviceDir: string, sysDir: string): HardwareId {
  let dir: string;
  try {
    dir = realpathSync(deviceDir);
  } catch {
    return { bus: 'other' };
  }
  const top = realpathSync(sysDir);
  while (dir.startsWith(top) && dir !== top) {
    const idVendor = hexId(readAttr(dir, 'idVendor'));
    const idProduct = hexId(readAttr(dir, 'idProduct'));
    if (idVendor && idProduct) return { bus: 'usb', vendor: idVendor, product: idProduct, path: '/' + relative(dirname(top), dir) };
    const vendor = hexId(readAttr(dir, 'vendor'));
    const device = hexId(readAttr(dir, 'device'));
    if (vendor && device && existsSync(join(dir, 'subsystem_vendor'))) {
      const address = dir.split('/').pop() ?? '';
      return {
        bus: 'pci',
        vendor,
        device,
        subsystemVendor: hexId(readAttr(dir, 'subsystem_vendor')),
        subsystemDevice: hexId(readAttr(dir, 'subsystem_device')),
        address,
      };
    }
    dir = dirname(dir);
  }
  return { bus: 'other' };
}

export interface SysfsScan {
  devices: DahdiDevice[];
  spans: SysfsSpan[];
  warnings: string[];
}

/** Reads every DAHDI device under `sysRoot`/sys/bus/dahdi_devices/devices. */
export function readSysfsDevices(sysRoot: string): SysfsScan {
  const sysDir = join(sysRoot, 'sys');
  const devicesDir = join(sysDir, 'bus', 'dahdi_devices', 'devices');
  const scan: SysfsScan = { devices: [], spans: [], warnings: [] };
  if (!existsSync(devicesDir)) {
    scan.warnings.push(`${devicesDir} is missing (DAHDI not loaded, or a DAHDI older than 2.6)`);
    return scan;
  }
  for (const name of readdirSync(devicesDir).sort()) {
    const dir = join(devicesDir, name);
    const spanTypes: Record<number, DahdiSpanType> = {};
    for (const line of (readAttr(dir, 'spantype') ?? '').split('\n')) {
      const m = /^(\d+):(\S+)$/.exec(line.trim());
      if (m) spanTypes[Number(m[1])] = toSpanType(m[2]);
    }
    const spans = readdirSync(dir)
      .filter((e) => /^span-\d+$/.test(e) && statSync(join(dir, e)).isDirectory())
      .map((e) => readSpanDir(join(dir, e), name, scan.warnings))
      .filter((s): s is SysfsSpan => s !== undefined)
      .sort((a, b) => a.localSpanno - b.localSpanno);
    scan.spans.push(...spans);
    scan.devices.push({
      name,
      manufacturer: readAttr(dir, 'manufacturer') ?? '',
      type: readAttr(dir, 'type') ?? '',
      hardwareId: readAttr(dir, 'hardware_id') ?? '',
      location: readAttr(dir, 'location') ?? '',
      spanCount: readInt(dir, 'span_count') ?? spans.length,
      spanTypes,
      hardware: findHardware(dir, sysDir),
      spannos: spans.map((s) => s.spanno),
    });
  }
  return scan;
}

function readSpanDir(dir: string, device: string, warnings: string[]): SysfsSpan | undefined {
  const spanno = Number(dir.split('-').pop());
  const localSpanno = readInt(dir, 'local_spanno');
  const basechan = readInt(dir, 'basechan');
  const channels = readInt(dir, 'channels');
  if (localSpanno === undefined || basechan === undefined || channels === undefined) {
    warnings.push(`${dir}: local_spanno, basechan or channels unreadable; span skipped`);
    return undefined;
  }
  return {
    spanno,
    device,
    localSpanno,
    type: toSpanType(readAttr(dir, 'spantype') ?? 'INVALID'),
    digital: readInt(dir, 'is_digital') === 1,
    basechan,
    channels,
    lbo: readInt(dir, 'lbo'),
    syncMaster: readInt(dir, 'is_sync_master') === 1,
  };
}
