import { AtModem } from '../../../drivers/modem/at-modem';
import type { UsbDeviceInfo, UsbPort } from '../../../drivers/ports/usb-port';
import { Unsubscribe } from '../../core/emitter';
import { Logger, silentLogger } from '../../core/logger';

export interface HotplugModem {
  modem: AtModem;
  /** The module's USB serial number; without one a module is known by its model's USB IDs, if it is the only such module. */
  usbSerial?: string;
}

export type HotplugNotice = { type: 'attached' | 'detached'; path: string; device: UsbDeviceInfo };

/**
 * Turns USB hot-plug into modem trunk state: a module unplugged is out of service at once
 * (before any read on its port fails) and back in service once plugged in and checked.
 */
export function watchModemHotplug(
  usb: UsbPort,
  modems: readonly HotplugModem[],
  opts: { logger?: Logger; onNotice?: (n: HotplugNotice) => void } = {},
): Unsubscribe {
  const logger = opts.logger ?? silentLogger;
  const find = (d: UsbDeviceInfo): AtModem | undefined => {
    if (d.serialNumber) {
      const bySerial = modems.find((m) => m.usbSerial === d.serialNumber);
      if (bySerial) return bySerial.modem;
    }
    const byId = modems.filter(
      (m) => !m.usbSerial && m.modem.profile.usbIds.some((id) => id.vendorId === d.vendorId && id.productId === d.productId),
    );
    return byId.length === 1 ? byId[0].modem : undefined;
  };
  const handle = (type: 'attached' | 'detached') => (d: UsbDeviceInfo) => {
    const modem = find(d);
    if (!modem) return;
    logger.info(`modem USB device ${type}`, { path: modem.path, serial: d.serialNumber });
    if (type === 'detached') modem.deviceDetached();
    else modem.deviceAttached();
    opts.onNotice?.({ type, path: modem.path, device: d });
  };
  const offs = [usb.onDetach(handle('detached')), usb.onAttach(handle('attached'))];
  return () => offs.forEach((off) => off());
}
