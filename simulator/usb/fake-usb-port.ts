import { Emitter, Unsubscribe } from '../../src/core/emitter';
import { UsbDeviceInfo, UsbPort } from '../../drivers/ports/usb-port';

/**
 * A USB bus with no USB: devices are plugged and unplugged by the test or the simulator
 * (these machines have no /sys/bus/usb, no dummy_hcd, no usbip), and hot-plug events
 * arrive as node-usb would deliver them.
 */
export class FakeUsbPort implements UsbPort {
  private readonly present: UsbDeviceInfo[] = [];
  private readonly attach = new Emitter<[UsbDeviceInfo]>();
  private readonly detach = new Emitter<[UsbDeviceInfo]>();
  readonly warnings: string[] = [];

  constructor(devices: UsbDeviceInfo[] = []) {
    this.present.push(...devices);
  }

  async list(): Promise<UsbDeviceInfo[]> {
    return [...this.present];
  }

  plug(device: UsbDeviceInfo): void {
    this.present.push(device);
    this.attach.emit(device);
  }

  /** Unplugs the first device with this serial number (or these IDs). */
  unplug(match: { serialNumber?: string; vendorId?: number; productId?: number }): UsbDeviceInfo | undefined {
    const i = this.present.findIndex(
      (d) =>
        (match.serialNumber === undefined || d.serialNumber === match.serialNumber) &&
        (match.vendorId === undefined || d.vendorId === match.vendorId) &&
        (match.productId === undefined || d.productId === match.productId),
    );
    if (i < 0) return undefined;
    const [d] = this.present.splice(i, 1);
    this.detach.emit(d);
    return d;
  }

  onAttach(listener: (device: UsbDeviceInfo) => void): Unsubscribe {
    return this.attach.on(listener);
  }

  onDetach(listener: (device: UsbDeviceInfo) => void): Unsubscribe {
    return this.detach.on(listener);
  }

  async close(): Promise<void> {
    this.attach.clear();
    this.detach.clear();
  }
}
