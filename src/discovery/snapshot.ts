/**
 * saveDahdiSnapshot(): copies what discovery reads from a machine (/proc/dahdi, the
 * DAHDI devices in /sys with their spans, and the identity files of the PCI/USB
 * devices above them) into a directory, with the same relative symlinks, so that an
 * installer can send it and it becomes a fixture (`--sys-root DIR`).
 */
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/** Files of a bus device that say what it is (the rest of sysfs stays behind). */
const IDENTITY_FILES = ['vendor', 'device', 'subsystem_vendor', 'subsystem_device', 'class', 'idVendor', 'idProduct', 'manufacturer', 'product', 'bInterfaceNumber'];

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
        if (existsSync(join(dir, f)) && lstatSync(join(dir, f)).isFile()) copyReadable(join(dir, f), join(opts.dest, 'sys', relative(sysReal, dir), f), result);
      }
    }
    const link = join(opts.dest, 'sys', 'bus', 'dahdi_devices', 'devices', name);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(relative(dirname(link), join(opts.dest, 'sys', rel)), link);
    result.devices.push(name);
  }
  return result;
}

