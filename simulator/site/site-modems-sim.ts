/**
 * A site's GSM/LTE modules under `run --simulate`: one simulated module per `modems:`
 * entry, at the far end of the mock serial binding, so the gateway opens them through
 * its production serial opener (BindingSerialLineOpener) and AtModem. A module the
 * site finds by USB serial is also given a sysfs entry (a temporary tree the gateway
 * reads as its sysRoot, AT port at the model's interface) and sits on a fake USB bus,
 * so unplugging it sends the hot-plug detach the gateway follows.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModemProfile, MODEM_PROFILES } from '../../drivers/modem/modem-profiles';
import type { UsbDeviceInfo } from '../../drivers/ports/usb-port';
import { BindingSerialLineOpener } from '../../drivers/serial/binding-serial-line';
import { Clock } from '../../src/core/clock';
import { InputError } from '../../src/core/errors';
import { usbSysDir } from '../../src/discovery/sysfs-usb';
import { LoadedSite } from '../../src/provisioning/site-config';
import { SiteModem } from '../../src/provisioning/site-types';
import type { SimulatedModemAccess } from '../../src/runtime/site-simulator';
import { CalleePopulation } from '../callee-population';
import { MockSerialWire } from '../modem/mock-serial-wire';
import { ModemFaultName, MODEM_FAULT_CATALOGUE } from '../modem/modem-faults';
import { SimulatedModem } from '../modem/simulated-modem';
import { FakeWebUsb } from '../usb/fake-webusb';
import { WebUsbPort } from '../../drivers/usb/webusb-port';

export interface SiteModemsSimOptions {
  population: CalleePopulation;
  clock: Clock;
  noAnswerMs: number;
  /** Where SIM PINs are read (the same variables the gateway reads): a module whose PIN is set starts with its SIM locked. */
  env: Record<string, string | undefined>;
  onDialled?: (number: string) => void;
}

interface SimulatedSiteModem {
  site: SiteModem;
  device: SimulatedModem;
  usb?: UsbDeviceInfo;
}

export class SiteModemsSim {
  private readonly wire = new MockSerialWire();
  /** The bus under the production WebUsbPort (drivers/usb): `run --simulate` follows hot-plug through it. */
  private readonly usb = new FakeWebUsb();
  private usbPort?: WebUsbPort;
  private readonly opener = new BindingSerialLineOpener(this.wire.binding, this.wire.exists);
  private readonly modems = new Map<string, SimulatedSiteModem>();
  private sysRoot?: string;
  private nextTty = 0;

  constructor(loaded: LoadedSite, opts: SiteModemsSimOptions) {
    for (const [i, m] of (loaded.site.modems ?? []).entries()) {
      const model = loaded.profiles.get(m.profile)?.profile.modem?.model;
      if (!model) throw new InputError(`modem ${m.id}`, `profile '${m.profile}' is not a GSM/LTE module`);
      const profile = MODEM_PROFILES[model];
      const serialVoice = profile.voice.carrier === 'serial-pcm';
      let at = m.port;
      let voice = serialVoice ? m.voicePort : undefined;
      let usb: UsbDeviceInfo | undefined;
      if (!at) {
        usb = { ...profile.usbIds[0], serialNumber: m.usbSerial, manufacturer: 'trunkpilot simulator', product: profile.name };
        ({ at, voice } = this.addToSysfs(i + 1, usb, profile));
        this.usb.plug(usb);
      }
      const pin = m.simPinEnv ? opts.env[m.simPinEnv] : undefined;
      const device = new SimulatedModem(this.wire.device(at), {
        model,
        clock: opts.clock,
        population: opts.population,
        imei: `86612345${String(i + 1).padStart(7, '0')}`,
        // Each SIM its own ICCID: per-SIM call counts are kept by it.
        iccid: `8986001234567${String(i + 1).padStart(7, '0')}`,
        noAnswerMs: opts.noAnswerMs,
        simPin: pin,
        voice: voice ? this.wire.device(voice) : undefined,
      });
      if (opts.onDialled) observeDials(device, opts.onDialled);
      this.modems.set(m.id, { site: m, device, usb });
    }
  }

  get count(): number {
    return this.modems.size;
  }

  /** What the gateway opens the site's modems with. */
  access(): SimulatedModemAccess {
    // The port checks /sys/bus/usb exists, as on a machine: the simulated sysfs tree has it.
    this.sysRoot ??= mkdtempSync(join(tmpdir(), 'trunkpilot-sim-sysfs-'));
    mkdirSync(usbSysDir(this.sysRoot), { recursive: true });
    this.usbPort ??= new WebUsbPort(usbSysDir(this.sysRoot), this.usb);
    return { serialOpener: this.opener, sysRoot: this.sysRoot, usb: this.usbPort };
  }

  /** Throws InputError unless the module exists and the fault is one of modem-faults.ts. */
  check(id: string, fault: string): void {
    this.get(id);
    checkFault(fault);
  }

  /** Whether the module has a call up. */
  inCall(id: string): boolean {
    return this.get(id).device.inCall;
  }

  /** The number of the module's call, while it has one (an outbound call: the last it dialled). */
  callNumbers(id: string): string[] {
    const d = this.get(id).device;
    return d.inCall ? d.dialled.slice(-1) : [];
  }

  /** Sets a fault of modem-faults.ts on a module; unplugging a USB module also sends the hot-plug detach. */
  fault(id: string, name: string): void {
    const m = this.get(id);
    m.device.fault(checkFault(name));
    if (name === 'PORT_VANISHES' && m.usb) this.usb.unplug({ serialNumber: m.usb.serialNumber });
  }

  clearFault(id: string, name: string): void {
    const m = this.get(id);
    m.device.clearFault(checkFault(name));
    if (name === 'PORT_VANISHES' && m.usb) this.usb.plug(m.usb);
  }

  async close(): Promise<void> {
    await this.usbPort?.close();
    if (this.sysRoot) rmSync(this.sysRoot, { recursive: true, force: true });
  }

  private get(id: string): SimulatedSiteModem {
    const m = this.modems.get(id);
    if (!m) throw new InputError('simulation fault', `no modem '${id}' in the site (${[...this.modems.keys()].join(', ') || 'none'})`);
    return m;
  }

  /** A USB device directory as Linux shows a module: its IDs and serial, one tty per interface that has one. */
  private addToSysfs(n: number, usb: UsbDeviceInfo, profile: ModemProfile): { at: string; voice?: string } {
    this.sysRoot ??= mkdtempSync(join(tmpdir(), 'trunkpilot-sim-sysfs-'));
    const name = `1-${n}`;
    const dir = join(usbSysDir(this.sysRoot), name);
    mkdirSync(dir, { recursive: true });
    const hex = (v: number) => v.toString(16).padStart(4, '0');
    const files: Record<string, string> = {
      idVendor: hex(usb.vendorId),
      idProduct: hex(usb.productId),
      serial: usb.serialNumber ?? '',
      manufacturer: usb.manufacturer ?? '',
      product: usb.product ?? '',
      busnum: '1',
      devnum: String(n + 1),
    };
    for (const [f, v] of Object.entries(files)) writeFileSync(join(dir, f), `${v}\n`);
    const voiceIf = profile.voice.carrier === 'serial-pcm' ? profile.voice.usbInterface : undefined;
    const ttyOf = new Map<number, string>();
    for (let intf = 0; intf <= Math.max(profile.atInterface, voiceIf ?? 0); intf++) {
      const ifDir = join(dir, `${name}:1.${intf}`);
      const tty = `ttyUSB${this.nextTty++}`;
      mkdirSync(join(ifDir, tty), { recursive: true });
      writeFileSync(join(ifDir, 'bInterfaceNumber'), `${hex(intf).slice(2)}\n`);
      ttyOf.set(intf, `/dev/${tty}`);
    }
    return { at: ttyOf.get(profile.atInterface)!, voice: voiceIf === undefined ? undefined : ttyOf.get(voiceIf) };
  }
}

function checkFault(name: string): ModemFaultName {
  if (!(name in MODEM_FAULT_CATALOGUE))
    throw new InputError('simulation fault', `unknown modem fault '${name}' (${Object.keys(MODEM_FAULT_CATALOGUE).join(', ')})`);
  return name as ModemFaultName;
}

/** Each number the module is asked to dial (ATD<number>...;), as it arrives. */
function observeDials(device: SimulatedModem, onDialled: (number: string) => void): void {
  let seen = 0;
  device.device.on(() => {
    // The modem records dials as it parses them; report the new ones after this chunk is handled.
    queueMicrotask(() => {
      while (seen < device.dialled.length) onDialled(device.dialled[seen++]);
    });
  });
}
