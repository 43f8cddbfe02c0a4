/**
 * `trunkpilot detect [--sys-root DIR] [--json] [--profiles DIR] [--save-snapshot DIR]`: the
 * boards DAHDI shows, each matched to a board profile by its PCI or USB ID, with its spans.
 * --save-snapshot copies what discovery read into DIR, to be used later as --sys-root DIR.
 * Then the USB telephony devices: GSM/LTE modules (model, AT port) and Astribanks
 * (firmware state), through node-usb on this machine or sysfs under --sys-root.
 */
import { existsSync, readdirSync } from 'node:fs';
import { InputError } from '../../core/errors';
import type { UsbPort } from '../../../drivers/ports/usb-port';
import { WebUsbPort } from '../../../drivers/usb/webusb-port';
import { discoverDahdi, discoverUsbTelephony, saveDahdiSnapshot, SysfsUsbPort, UsbTelephonyDevice } from '../../discovery';
import { ModemIdentity, queryModemIdentity } from '../../../drivers/modem/modem-identity';
import { BindingSerialLineOpener } from '../../../drivers/serial/binding-serial-line';
import { loadProfiles } from '../../provisioning/board-profile';
import { DetectedBoard, DetectedUsbDevice, matchBoards, matchUsbDevices } from '../../provisioning/board-matcher';
import { defineCommand } from '../command';

export default defineCommand({
  name: 'detect',
  summary: 'boards DAHDI shows, matched to board profiles by PCI/USB ID; USB telephony devices',
  description:
    'Each board DAHDI presents, named by its board profile (or the candidates when the ID is\nshared), with what DAHDI itself calls it and its spans. Then the USB telephony devices:\nGSM/LTE modules (profile, AT and voice ports) and Astribanks (firmware state), through\nnode-usb on this machine or the sysfs under --sys-root.',
  options: {
    'sys-root': { type: 'string', value: 'DIR', default: '/', description: 'directory that stands for / (holds proc/dahdi and sys)' },
    json: { type: 'flag', description: 'profile, candidates and spans per device as JSON' },
    profiles: { type: 'string', value: 'DIR', description: 'board profiles directory (default: the shipped board-profiles)' },
    'save-snapshot': {
      type: 'string',
      value: 'DIR',
      description: 'copy what discovery read into DIR (new or empty), for later use as --sys-root DIR',
    },
    'query-modems': {
      type: 'flag',
      description:
        "open each GSM/LTE module's AT port and ask its maker, model, firmware, IMEI and SIM state (not while trunkpilot runs: a port has one user)",
    },
  },
  examples: ['trunkpilot detect', 'trunkpilot detect --json', 'trunkpilot detect --save-snapshot /tmp/this-machine'],
  async run({ options }, io) {
    const sysRoot = options['sys-root'];
    const system = discoverDahdi({ sysRoot });
    const profileSet = loadProfiles(options.profiles);
    const profiles = [...profileSet.values()].map((l) => l.profile);
    const boards = matchBoards(system, profiles);
    const usbPort: UsbPort = sysRoot === '/' ? new WebUsbPort() : new SysfsUsbPort(sysRoot);
    const usb = await discoverUsbTelephony({ usb: usbPort, sysRoot });
    await usbPort.close();
    const usbDevices = matchUsbDevices(usb.devices, profiles);
    const asked = new Map<UsbTelephonyDevice, ModemIdentity | string>();
    if (options['query-modems']) {
      const opener = new BindingSerialLineOpener();
      for (const { device } of usbDevices) {
        if (!device.modem) continue;
        if (!device.modem.atPort) asked.set(device, 'no AT port known (no sysfs)');
        else asked.set(device, await queryModemIdentity(opener, device.modem.atPort).catch((err: Error) => err.message));
      }
    }
    if (options.json) {
      // An array of DAHDI boards as before; USB telephony devices are the entries with "usb".
      io.stdout(
        JSON.stringify(
          [...boards.map((b) => toJson(b, system.spans)), ...usbDevices.map((u) => usbToJson(u, asked.get(u.device)))],
          null,
          2,
        ) + '\n',
      );
    } else {
      io.stdout(render(boards, system.spans) + renderUsb(usbDevices, asked));
    }
    for (const w of [...system.warnings, ...usb.warnings]) io.stderr(`warning: ${w}\n`);
    // A broken profile costs only the boards it would have matched.
    for (const id of profileSet.broken.keys()) io.stderr(`warning: ${profileSet.whyBroken(id)}; boards it describes are not recognised\n`);
    const dest = options['save-snapshot'];
    if (dest !== undefined) {
      if (existsSync(dest) && readdirSync(dest).length) throw new InputError(dest, 'the snapshot directory must be new or empty');
      const saved = saveDahdiSnapshot({ sysRoot, dest });
      io.stderr(`snapshot of ${saved.devices.length} device(s), ${saved.files} files, saved in ${dest} (use it as --sys-root ${dest})\n`);
    }
    return 0;
  },
});

type Spans = ReturnType<typeof discoverDahdi>['spans'];

function toJson(b: DetectedBoard, spans: Spans) {
  return {
    device: b.device.name,
    id: b.id,
    manufacturer: b.device.manufacturer,
    type: b.device.type,
    hardwareId: b.device.hardwareId,
    location: b.device.location,
    profile: b.profile?.id ?? null,
    candidates: b.candidates.map((p) => p.id),
    spans: spans
      .filter((s) => s.device === b.device.name)
      .map((s) => ({
        spanno: s.spanno,
        local: s.localSpanno,
        type: s.type,
        framing: s.framing ?? null,
        alarms: s.alarms,
        basechan: s.basechan,
        channels: s.channelCount,
      })),
  };
}

function render(boards: DetectedBoard[], spans: Spans): string {
  if (!boards.length) return 'no DAHDI boards found\n';
  const out: string[] = [];
  for (const b of boards) {
    const what = b.profile
      ? `${b.profile.vendor} ${b.profile.model} (profile ${b.profile.id})`
      : b.candidates.length
        ? `ambiguous: ${b.candidates.map((p) => p.id).join(' or ')}`
        : 'no matching profile';
    out.push(`${b.device.name}  ${b.id}  ${what}`);
    out.push(
      `  DAHDI says: ${b.device.manufacturer} "${b.device.type}"${b.device.location ? ` at ${b.device.location}` : ''}${b.device.hardwareId ? `, id ${b.device.hardwareId}` : ''}`,
    );
    for (const s of spans.filter((x) => x.device === b.device.name)) {
      const state = s.alarms.length ? s.alarms.join('/') : s.configured ? 'OK' : 'UNCONFIGURED';
      out.push(
        `  span ${s.spanno} (local ${s.localSpanno}): ${s.type} ${s.framing ?? '-'} channels ${s.basechan}-${s.basechan + s.channelCount - 1} ${state}`,
      );
    }
  }
  return out.join('\n') + '\n';
}

function usbToJson(u: DetectedUsbDevice, asked?: ModemIdentity | string) {
  const d = u.device;
  return {
    usb: d.sysName ?? null,
    id: d.id,
    kind: d.kind,
    serial: d.serialNumber ?? null,
    manufacturer: d.manufacturer ?? null,
    product: d.product ?? null,
    profile: u.profile?.id ?? null,
    candidates: u.candidates.map((p) => p.id),
    modem: d.modem
      ? {
          model: d.modem.model,
          atPort: d.modem.atPort ?? null,
          voicePort: d.modem.voicePort ?? null,
          ...(asked === undefined ? {} : typeof asked === 'string' ? { queryError: asked } : { identity: asked }),
        }
      : undefined,
    astribank: d.astribank,
  };
}

function renderUsb(devices: DetectedUsbDevice[], asked: ReadonlyMap<UsbTelephonyDevice, ModemIdentity | string>): string {
  if (!devices.length) return '';
  const out = ['USB telephony devices:'];
  for (const u of devices) {
    const d = u.device;
    const what = u.profile
      ? `${u.profile.vendor} ${u.profile.model} (profile ${u.profile.id})`
      : u.candidates.length
        ? `one of ${u.candidates.map((p) => p.id).join(', ')}`
        : 'no matching profile';
    out.push(`usb ${d.sysName ?? '?'}  ${d.id}  ${what}${d.serialNumber ? `  serial ${d.serialNumber}` : ''}`);
    if (d.modem)
      out.push(
        `  GSM/LTE module, AT dialect ${d.modem.model}; AT port ${d.modem.atPort ?? 'unknown (no sysfs)'}${d.modem.voicePort ? `, voice PCM port ${d.modem.voicePort}` : ''}`,
      );
    const a = asked.get(d);
    if (typeof a === 'string') out.push(`  AT query failed: ${a}`);
    else if (a)
      out.push(
        `  says: ${[a.manufacturer, a.model].filter(Boolean).join(' ') || '?'}${a.revision ? `, firmware ${a.revision}` : ''}, IMEI ${a.imei ?? '?'}, SIM ${a.sim ?? '?'}`,
      );
    if (d.astribank) out.push(`  Astribank ${d.astribank.family}, firmware ${d.astribank.firmware}: ${d.astribank.note}`);
  }
  return out.join('\n') + '\n';
}
