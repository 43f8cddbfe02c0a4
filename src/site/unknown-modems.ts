/**
 * GSM/LTE modules plugged in while the gateway runs that the site file does not list.
 * By default one is left alone (a module someone plugs in is not a trunk until the site
 * says so) and reported as unassigned; with `modemHotplug.adoptUnknown` it is opened and
 * added to the trunk group the site names. Devices that are not GSM modules are ignored.
 */
import { AtModem } from '../../drivers/modem/at-modem';
import { modemProfile } from '../../drivers/modem/modem-profiles';
import type { SerialLineOpener } from '../../drivers/ports/serial-line-port';
import type { UsbDeviceInfo, UsbPort } from '../../drivers/ports/usb-port';
import { BindingSerialLineOpener } from '../../drivers/serial/binding-serial-line';
import { Unsubscribe } from '../core/emitter';
import { classifyUsbDevice, hexId, readUsbSysfs } from '../discovery';
import { SiteModemHotplug, SiteModem } from '../provisioning/site-types';
import { openModemGroup, OpenedModemGroup, SiteModemOptions } from './site-modems';

/** A module present and not used: what telemetry shows so someone adds it to the site file. */
export interface UnassignedModem {
  vendorId: string;
  productId: string;
  serialNumber?: string;
  /** The AT dialect its USB IDs say (quectel-ec2x, simcom-sim7600, huawei-e1x). */
  model: string;
  atPort?: string;
  pluggedAt: number;
}

export interface UnknownModemWatch {
  /** Modules plugged in, not in the site file and not adopted. */
  unassigned(): UnassignedModem[];
  close(): void;
}

/** Whether a device is one of the site's modules (by USB serial; by model alone for a module given by port). */
export function isSiteModem(d: UsbDeviceInfo, site: readonly SiteModem[], modelOf: (m: SiteModem) => string | undefined): boolean {
  const model = classifyUsbDevice(d)?.modem?.model;
  return site.some((m) => (m.usbSerial ? m.usbSerial === d.serialNumber : !!model && modelOf(m) === model));
}

export function watchUnknownModems(
  usb: UsbPort,
  opts: SiteModemOptions & {
    site: readonly SiteModem[];
    modelOf: (m: SiteModem) => string | undefined;
    policy: SiteModemHotplug | undefined;
    /** Puts an adopted module's span into its trunk group. */
    adopt: (group: OpenedModemGroup) => void;
  },
): UnknownModemWatch {
  const unassigned = new Map<string, UnassignedModem>();
  const adopted = new Map<string, AtModem>();
  const opener: SerialLineOpener = opts.serialOpener ?? new BindingSerialLineOpener();
  const keyOf = (d: UsbDeviceInfo) => d.serialNumber ?? hexId(d.vendorId, d.productId);
  let adoptedCount = 0;
  const attached = (d: UsbDeviceInfo) => {
    if (isSiteModem(d, opts.site, opts.modelOf)) return;
    const key = keyOf(d);
    const back = adopted.get(key);
    if (back) return back.deviceAttached();
    const sysfs = readUsbSysfs(opts.sysRoot ?? '/').find(
      (s) => s.vendorId === d.vendorId && s.productId === d.productId && (s.serialNumber ?? '') === (d.serialNumber ?? ''),
    );
    const found = classifyUsbDevice(d, sysfs)?.modem;
    if (!found) return;
    const entry: UnassignedModem = {
      vendorId: d.vendorId.toString(16).padStart(4, '0'),
      productId: d.productId.toString(16).padStart(4, '0'),
      serialNumber: d.serialNumber,
      model: found.model,
      atPort: found.atPort,
      pluggedAt: opts.clock.now(),
    };
    const profile = modemProfile(found.model);
    if (!opts.policy?.adoptUnknown || !found.atPort || !profile) {
      unassigned.set(key, entry);
      opts.logger.warn(
        opts.policy?.adoptUnknown
          ? 'GSM module plugged in, not in the site file, and its AT port is not known: not used'
          : 'GSM module plugged in that is not in the site file: not used (modemHotplug.adoptUnknown is off)',
        { ...entry },
      );
      return;
    }
    const id = `adopted-${++adoptedCount}`;
    const trunkGroup = opts.policy.trunkGroup ?? 'gsm';
    const modem = new AtModem({
      ...opts.modemTimers,
      path: found.atPort,
      profile,
      opener,
      clock: opts.clock,
      logger: opts.logger.child({ modem: id }),
      minRssi: opts.policy.minRssi,
    });
    adopted.set(key, modem);
    opts.logger.info('GSM module not in the site file adopted into its trunk group', { ...entry, trunkGroup });
    // Its own USB events after this one come here (`back` above, `detached` below), not to a group watch.
    void openModemGroup(
      trunkGroup,
      [{ id, modem, voicePath: found.voicePort, usbSerial: undefined, dailyCallCap: opts.policy.dailyCallCap }],
      opener,
      { ...opts, usb: undefined },
    )
      .then(opts.adopt)
      .catch((err) => {
        adopted.delete(key);
        opts.logger.error('adopted GSM module could not be opened', { ...entry, err: String(err) });
      });
  };
  const detached = (d: UsbDeviceInfo) => {
    const key = keyOf(d);
    unassigned.delete(key);
    adopted.get(key)?.deviceDetached();
  };
  const offs: Unsubscribe[] = [usb.onAttach(attached), usb.onDetach(detached)];
  return {
    unassigned: () => [...unassigned.values()],
    close: () => offs.splice(0).forEach((off) => off()),
  };
}
