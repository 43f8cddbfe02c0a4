import type { UsbDeviceInfo } from '../../drivers/ports/usb-port';
import type { WebUsbApi, WebUsbDevice } from '../../drivers/usb/webusb-port';

/**
 * node-usb's WebUSB with no USB under it: devices are plugged and unplugged by the test or
 * the simulator, and arrive as WebUSB hands them on (a device object with null for the
 * strings it lacks; 'connect' and 'disconnect' events carrying it), so the production
 * WebUsbPort is what turns them into hot-plug events.
 */
export class FakeWebUsb extends EventTarget implements WebUsbApi {
  private readonly present: WebUsbDevice[] = [];

  async getDevices(): Promise<WebUsbDevice[]> {
    return [...this.present];
  }

  plug(device: UsbDeviceInfo): void {
    const d: WebUsbDevice = {
      vendorId: device.vendorId,
      productId: device.productId,
      serialNumber: device.serialNumber ?? null,
      manufacturerName: device.manufacturer ?? null,
      productName: device.product ?? null,
    };
    this.present.push(d);
    this.dispatchEvent(Object.assign(new Event('connect'), { device: d }));
  }

  /** Unplugs the first device with this serial number (or these IDs). */
  unplug(match: { serialNumber?: string; vendorId?: number; productId?: number }): boolean {
    const i = this.present.findIndex(
      (d) =>
        (match.serialNumber === undefined || d.serialNumber === match.serialNumber) &&
        (match.vendorId === undefined || d.vendorId === match.vendorId) &&
        (match.productId === undefined || d.productId === match.productId),
    );
    if (i < 0) return false;
    const [d] = this.present.splice(i, 1);
    this.dispatchEvent(Object.assign(new Event('disconnect'), { device: d }));
    return true;
  }
}
