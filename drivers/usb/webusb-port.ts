import { existsSync } from 'node:fs';
import { WebUSB } from 'usb';
import { Emitter, Unsubscribe } from '../../src/core/emitter';
import { UsbDeviceInfo, UsbPort } from '../ports/usb-port';

/** A device as node-usb's WebUSB gives it. */
export interface WebUsbDevice {
  vendorId: number;
  productId: number;
  serialNumber?: string | null;
  manufacturerName?: string | null;
  productName?: string | null;
}

/**
 * What the port uses of node-usb's WebUSB: listing, and the connect/disconnect events
 * (each carrying its `device`). The simulator gives a fake of it (simulator/usb/fake-webusb.ts).
 */
export interface WebUsbApi {
  getDevices(): Promise<WebUsbDevice[]>;
  addEventListener(type: 'connect' | 'disconnect', listener: (ev: Event) => void): void;
  removeEventListener(type: 'connect' | 'disconnect', listener: (ev: Event) => void): void;
}

function info(d: WebUsbDevice): UsbDeviceInfo {
  return {
    vendorId: d.vendorId,
    productId: d.productId,
    serialNumber: d.serialNumber || undefined,
    manufacturer: d.manufacturerName || undefined,
    product: d.productName || undefined,
  };
}

/**
 * The USB bus through node-usb's WebUSB API (usb 3.x: no libusb, no libudev). It reads
 * /sys/bus/usb; where there is none (containers, CI) enumeration fails and node-usb's
 * hot-plug watcher would throw from a timer, so the port checks first, lists nothing
 * and says why in `warnings` instead of crashing the process.
 */
export class WebUsbPort implements UsbPort {
  private api?: WebUsbApi;
  private readonly attach = new Emitter<[UsbDeviceInfo]>();
  private readonly detach = new Emitter<[UsbDeviceInfo]>();
  private readonly problems: string[] = [];
  private watching = false;
  private readonly onConnect = (ev: Event) => this.attach.emit(info((ev as unknown as { device: WebUsbDevice }).device));
  private readonly onDisconnect = (ev: Event) => this.detach.emit(info((ev as unknown as { device: WebUsbDevice }).device));

  constructor(
    private readonly usbSysDir = '/sys/bus/usb/devices',
    webusb?: WebUsbApi,
  ) {
    this.api = webusb;
  }

  /** node-usb's WebUSB, made when first needed (it touches the bus). */
  private get webusb(): WebUsbApi {
    return (this.api ??= new WebUSB({ allowAllDevices: true }));
  }

  get warnings(): readonly string[] {
    return this.problems;
  }

  async list(): Promise<UsbDeviceInfo[]> {
    if (!this.available('enumerate USB devices')) return [];
    try {
      return (await this.webusb.getDevices()).map(info);
    } catch (err) {
      this.warn(`cannot enumerate USB devices: ${(err as Error).message}`);
      return [];
    }
  }

  onAttach(listener: (device: UsbDeviceInfo) => void): Unsubscribe {
    this.watch();
    return this.attach.on(listener);
  }

  onDetach(listener: (device: UsbDeviceInfo) => void): Unsubscribe {
    this.watch();
    return this.detach.on(listener);
  }

  async close(): Promise<void> {
    if (!this.watching) return;
    this.watching = false;
    this.webusb.removeEventListener('connect', this.onConnect);
    this.webusb.removeEventListener('disconnect', this.onDisconnect);
  }

  private watch(): void {
    if (this.watching || !this.available('watch USB hot-plug')) return;
    this.watching = true;
    this.webusb.addEventListener('connect', this.onConnect);
    this.webusb.addEventListener('disconnect', this.onDisconnect);
  }

  private available(what: string): boolean {
    if (existsSync(this.usbSysDir)) return true;
    this.warn(`cannot ${what}: ${this.usbSysDir} does not exist (no USB here, or a container without /sys/bus/usb)`);
    return false;
  }

  private warn(msg: string): void {
    if (!this.problems.includes(msg)) this.problems.push(msg);
  }
}
