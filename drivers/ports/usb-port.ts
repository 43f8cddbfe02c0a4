import { Unsubscribe } from '../../src/core/emitter';

/** What discovery needs to know about one USB device. IDs as numbers; strings absent when the device has none. */
export interface UsbDeviceInfo {
  vendorId: number;
  productId: number;
  serialNumber?: string;
  manufacturer?: string;
  product?: string;
}

/**
 * The machine's USB bus as discovery sees it: the devices present and hot-plug events.
 * On a machine: drivers/usb/webusb-port.ts over node-usb (`usb`, its WebUSB API), or
 * drivers/usb/sysfs-usb-port.ts over a /sys snapshot (no hot-plug). In tests and the
 * simulator: simulator/usb/fake-usb-port.ts (no USB can be created on these machines).
 */
export interface UsbPort {
  /** The devices present now. */
  list(): Promise<UsbDeviceInfo[]>;
  onAttach(listener: (device: UsbDeviceInfo) => void): Unsubscribe;
  onDetach(listener: (device: UsbDeviceInfo) => void): Unsubscribe;
  /** Why enumeration or hot-plug is not available here (no /sys/bus/usb), for warnings. */
  readonly warnings: readonly string[];
  close(): Promise<void>;
}
