/**
 * Telephony devices on USB: GSM/LTE voice modules (by the USB IDs of the modem
 * profiles) and Xorcom Astribanks (e4e4:11xx, whose last product digit says which
 * firmware is loaded). Found through the injected UsbPort (node-usb on a machine, a
 * fake in tests), with each modem's AT and voice ttys from sysfs.
 */
import { join } from 'node:path';
import { profileForUsbId, ModemModel } from '../../drivers/modem/modem-profiles';
import type { UsbDeviceInfo, UsbPort } from '../../drivers/ports/usb-port';
import { readUsbSysfs, SysfsUsbDevice } from './sysfs-usb';

export type AstribankFirmware = 'none' | 'usb' | 'fpga';

export interface UsbTelephonyDevice {
  /** "2c7c:0125" */
  id: string;
  kind: 'gsm-modem' | 'astribank';
  vendorId: number;
  productId: number;
  serialNumber?: string;
  manufacturer?: string;
  product?: string;
  /** sysfs name when sysfs had the device (e.g. "1-1"). */
  sysName?: string;
  modem?: {
    model: ModemModel;
    name: string;
    /** The AT command port (/dev/ttyUSBn) when sysfs showed the interfaces. */
    atPort?: string;
    /** The serial PCM voice port, for models that carry voice on one. */
    voicePort?: string;
    ttys: string[];
  };
  astribank?: {
    family: string;
    firmware: AstribankFirmware;
    /** What the installer should do, in words. */
    note: string;
  };
}

const XORCOM = 0xe4e4;
const ASTRIBANK_FAMILY: Record<number, string> = { 0x113: 'FXS/FXO', 0x114: 'BRI', 0x115: 'multi', 0x116: 'modular' };
const FIRMWARE: Record<number, AstribankFirmware> = { 0: 'none', 1: 'usb', 2: 'fpga' };

export function hexId(vendorId: number, productId: number): string {
  return `${vendorId.toString(16).padStart(4, '0')}:${productId.toString(16).padStart(4, '0')}`;
}

function astribank(productId: number): UsbTelephonyDevice['astribank'] | undefined {
  if (productId === 0x1163) return { family: 'TwinStar', firmware: 'fpga', note: 'TwinStar failover controller' };
  if (productId === 0x1164)
    return { family: 'EEPROM burner', firmware: 'none', note: 'EEPROM burner mode: not a telephony device until re-flashed' };
  const family = ASTRIBANK_FAMILY[productId >> 4];
  const firmware = FIRMWARE[productId & 0xf];
  if (!family || !firmware) return undefined;
  const note =
    firmware === 'fpga'
      ? 'firmware loaded: its spans are DAHDI devices (see the boards above)'
      : firmware === 'usb'
        ? 'USB firmware loaded, FPGA firmware not yet (astribank_hexload / xpp_fxloader)'
        : 'no firmware loaded: udev xpp_fxloader should load it (is dahdi-firmware installed?)';
  return { family, firmware, note };
}

/** What a USB device is, telephony-wise; undefined for everything else (mice, hubs, disks). */
export function classifyUsbDevice(d: UsbDeviceInfo, sysfs?: SysfsUsbDevice): UsbTelephonyDevice | undefined {
  const base = {
    id: hexId(d.vendorId, d.productId),
    vendorId: d.vendorId,
    productId: d.productId,
    serialNumber: d.serialNumber,
    manufacturer: d.manufacturer,
    product: d.product,
    sysName: sysfs?.sysName,
  };
  const profile = profileForUsbId(d.vendorId, d.productId);
  if (profile) {
    const ttys = sysfs ? [...sysfs.interfaces.values()].flat() : [];
    const port = (n?: number) => (n === undefined ? undefined : sysfs?.interfaces.get(n)?.[0]);
    const at = port(profile.atInterface);
    const voice = profile.voice.carrier === 'serial-pcm' ? port(profile.voice.usbInterface) : undefined;
    return {
      ...base,
      kind: 'gsm-modem',
      modem: { model: profile.model, name: profile.name, atPort: at && join('/dev', at), voicePort: voice && join('/dev', voice), ttys },
    };
  }
  if (d.vendorId === XORCOM) {
    const a = astribank(d.productId);
    if (a) return { ...base, kind: 'astribank', astribank: a };
  }
  return undefined;
}

/** Pairs each device the port lists with its sysfs entry (same IDs and serial, first unused). */
function sysfsFor(d: UsbDeviceInfo, pool: SysfsUsbDevice[]): SysfsUsbDevice | undefined {
  const i = pool.findIndex(
    (s) => s.vendorId === d.vendorId && s.productId === d.productId && (s.serialNumber ?? '') === (d.serialNumber ?? ''),
  );
  return i < 0 ? undefined : pool.splice(i, 1)[0];
}

export interface UsbTelephonyDiscovery {
  devices: UsbTelephonyDevice[];
  warnings: string[];
}

export async function discoverUsbTelephony(opts: { usb: UsbPort; sysRoot?: string }): Promise<UsbTelephonyDiscovery> {
  const listed = await opts.usb.list();
  const pool = readUsbSysfs(opts.sysRoot ?? '/');
  const devices: UsbTelephonyDevice[] = [];
  for (const d of listed) {
    const t = classifyUsbDevice(d, sysfsFor(d, pool));
    if (t) devices.push(t);
  }
  return { devices, warnings: [...opts.usb.warnings] };
}
