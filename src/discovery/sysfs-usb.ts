/**
 * USB devices as /sys/bus/usb/devices shows them, with the tty each interface carries
 * (usb-serial ttyUSBn, cdc-acm tty/ttyACMn): what tells a modem's AT port from its
 * other ports. Read-only; a snapshot directory works as well as `/`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Emitter, Unsubscribe } from '../core/emitter';
import type { UsbDeviceInfo, UsbPort } from '../../drivers/ports/usb-port';

export interface SysfsUsbDevice extends UsbDeviceInfo {
  /** sysfs name, e.g. "1-1.2" (bus-port path). */
  sysName: string;
  busnum?: number;
  devnum?: number;
  /** Interface number -> ttys it carries (e.g. 2 -> ["ttyUSB2"]). */
  interfaces: Map<number, string[]>;
}

function read(dir: string, name: string): string | undefined {
  try {
    return readFileSync(join(dir, name), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

function ttysOf(ifDir: string): string[] {
  const out: string[] = [];
  for (const e of safeList(ifDir)) {
    if (/^tty(USB|ACM)\d+$/.test(e)) out.push(e);
    if (e === 'tty') out.push(...safeList(join(ifDir, 'tty')).filter((t) => /^tty/.test(t)));
  }
  return out.sort((a, b) => Number(a.replace(/\D/g, '')) - Number(b.replace(/\D/g, '')));
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

export function usbSysDir(sysRoot: string): string {
  return join(sysRoot, 'sys', 'bus', 'usb', 'devices');
}

/** Every USB device under sysRoot (not hubs' interfaces); [] when there is no USB sysfs. */
export function readUsbSysfs(sysRoot: string): SysfsUsbDevice[] {
  const dir = usbSysDir(sysRoot);
  const out: SysfsUsbDevice[] = [];
  for (const name of safeList(dir).sort()) {
    if (name.includes(':')) continue; // an interface, read through its device
    const d = join(dir, name);
    const vid = read(d, 'idVendor');
    const pid = read(d, 'idProduct');
    if (!vid || !pid || !/^[0-9a-f]{4}$/i.test(vid) || !/^[0-9a-f]{4}$/i.test(pid)) continue;
    const interfaces = new Map<number, string[]>();
    for (const sub of safeList(d)) {
      if (!sub.startsWith(`${name}:`)) continue;
      const num = read(join(d, sub), 'bInterfaceNumber');
      if (num !== undefined) interfaces.set(parseInt(num, 16), ttysOf(join(d, sub)));
    }
    const busnum = read(d, 'busnum');
    const devnum = read(d, 'devnum');
    out.push({
      sysName: name,
      vendorId: parseInt(vid, 16),
      productId: parseInt(pid, 16),
      serialNumber: read(d, 'serial'),
      manufacturer: read(d, 'manufacturer'),
      product: read(d, 'product'),
      busnum: busnum ? Number(busnum) : undefined,
      devnum: devnum ? Number(devnum) : undefined,
      interfaces,
    });
  }
  return out;
}

/** A UsbPort over a sysfs tree (a snapshot, or a machine without node-usb): lists, never hot-plugs. */
export class SysfsUsbPort implements UsbPort {
  private readonly never = new Emitter<[UsbDeviceInfo]>();

  constructor(private readonly sysRoot: string) {}

  /** None: a snapshot without sys/bus/usb simply had no USB telephony (older snapshots predate it). */
  readonly warnings: readonly string[] = [];

  async list(): Promise<UsbDeviceInfo[]> {
    return readUsbSysfs(this.sysRoot).map(({ vendorId, productId, serialNumber, manufacturer, product }) => ({
      vendorId,
      productId,
      serialNumber,
      manufacturer,
      product,
    }));
  }

  onAttach(listener: (device: UsbDeviceInfo) => void): Unsubscribe {
    return this.never.on(listener);
  }

  onDetach(listener: (device: UsbDeviceInfo) => void): Unsubscribe {
    return this.never.on(listener);
  }

  async close(): Promise<void> {}
}
