/**
 * saveDahdiSnapshot(): copies what discovery reads from a machine (/proc/dahdi, the
 * DAHDI devices in /sys with their spans, and the identity files of the PCI/USB
 * devices above them) into a directory, with the same relative symlinks, so that an
 * installer can send it and it becomes a fixture (`--sys-root DIR`). USB telephony
 * devices (GSM/LTE modules, Astribanks) go with it: their identity files and which
 * tty each interface carries, under sys/bus/usb/devices (as directories, not links).
 */
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { readUsbSysfs, usbSysDir } from './sysfs-usb';
import { classifyUsbDevice } from './usb-telephony';

/** Files of a bus device that say what it is (the rest of sysfs stays behind). */
const IDENTITY_FILES = [
  'vendor',
  'device',
  'subsystem_vendor',
  'subsystem_device',
  'class',
  'idVendor',
  'idProduct',
  'manufacturer',
  'product',
  'bInterfaceNumber',
];

export interface SnapshotResult {
  files: number;
  devices: string[];
  /** Attributes that could not be read (write-only ones such as assign_span), skipped. */
  skipped: string[];
}

function copyReadable(from: string, to: string, result: SnapshotResult): void {
  try {
    // Read rather than copy: sysfs files report a size that is not their content's.
    const text = readFileSync(from);
    mkdirSync(dirname(to), { recursive: true });
    writeFileSync(to, text);
    result.files += 1;
  } catch {
    result.skipped.push(from);
  }
}

function copyAttributes(fromDir: string, toDir: string, result: SnapshotResult): void {
  for (const name of readdirSync(fromDir)) {
    const path = join(fromDir, name);
    const st = lstatSync(path);
    if (st.isFile()) copyReadable(path, join(toDir, name), result);
    else if (st.isDirectory() && /^span-\d+$/.test(name)) copyAttributes(path, join(toDir, name), result);
  }
}

export function saveDahdiSnapshot(opts: { sysRoot: string; dest: string }): SnapshotResult {
  const result: SnapshotResult = { files: 0, devices: [], skipped: [] };
  const procDir = join(opts.sysRoot, 'proc', 'dahdi');
  if (existsSync(procDir)) {
    for (const name of readdirSync(procDir)) {
      const path = join(procDir, name);
      if (lstatSync(path).isFile()) copyReadable(path, join(opts.dest, 'proc', 'dahdi', name), result);
    }
  }
  saveUsbTelephony(opts, result);
  const sysDir = join(opts.sysRoot, 'sys');
  const devicesDir = join(sysDir, 'bus', 'dahdi_devices', 'devices');
  if (!existsSync(devicesDir)) return result;
  const sysReal = realpathSync(sysDir);
  for (const name of readdirSync(devicesDir).sort()) {
    const real = realpathSync(join(devicesDir, name));
    const rel = relative(sysReal, real);
    copyAttributes(real, join(opts.dest, 'sys', rel), result);
    // The bus devices above it: their identity files only.
    for (let dir = dirname(real); dir.startsWith(sysReal) && dir !== sysReal; dir = dirname(dir)) {
      for (const f of IDENTITY_FILES) {
        if (existsSync(join(dir, f)) && lstatSync(join(dir, f)).isFile())
          copyReadable(join(dir, f), join(opts.dest, 'sys', relative(sysReal, dir), f), result);
      }
    }
    const link = join(opts.dest, 'sys', 'bus', 'dahdi_devices', 'devices', name);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(relative(dirname(link), join(opts.dest, 'sys', rel)), link);
    result.devices.push(name);
  }
  return result;
}

const USB_IDENTITY = ['idVendor', 'idProduct', 'serial', 'manufacturer', 'product', 'busnum', 'devnum'];

function saveUsbTelephony(opts: { sysRoot: string; dest: string }, result: SnapshotResult): void {
  const from = usbSysDir(opts.sysRoot);
  const to = usbSysDir(opts.dest);
  for (const dev of readUsbSysfs(opts.sysRoot)) {
    if (!classifyUsbDevice(dev, dev)) continue;
    for (const f of USB_IDENTITY)
      if (existsSync(join(from, dev.sysName, f))) copyReadable(join(from, dev.sysName, f), join(to, dev.sysName, f), result);
    for (const [num, ttys] of dev.interfaces) {
      const ifDir = join(to, dev.sysName, `${dev.sysName}:1.${num}`);
      mkdirSync(ifDir, { recursive: true });
      writeFileSync(join(ifDir, 'bInterfaceNumber'), `${num.toString(16).padStart(2, '0')}\n`);
      for (const tty of ttys) mkdirSync(join(ifDir, tty), { recursive: true });
      result.files += 1;
    }
    result.devices.push(`usb:${dev.sysName}`);
  }
}
