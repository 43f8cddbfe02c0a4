/**
 * `trunkpilot detect [--sys-root DIR] [--json] [--profiles DIR] [--save-snapshot DIR]`: the
 * boards DAHDI shows, each matched to a board profile by its PCI or USB ID, with its spans.
 * --save-snapshot copies what discovery read into DIR, to be used later as --sys-root DIR.
 * Then the USB telephony devices: GSM/LTE modules (model, AT port) and Astribanks
 * (firmware state), through node-usb on this machine or sysfs under --sys-root.
 */
import { existsSync, readdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { InputError } from '../../core/errors';
import { WebUsbPort } from '../../../drivers/usb/webusb-port';
import type { UsbPort } from '../../../drivers/ports/usb-port';
import { discoverDahdi, discoverUsbTelephony, saveDahdiSnapshot, SysfsUsbPort } from '../../discovery';
import { loadProfiles } from '../../provisioning/board-profile';
import { DetectedBoard, DetectedUsbDevice, matchBoards, matchUsbDevices } from '../../provisioning/board-matcher';
import { CliIO } from '../cli-io';

export async function run(argv: string[], io: CliIO): Promise<number> {
  let values: { 'sys-root'?: string; json?: boolean; profiles?: string; 'save-snapshot'?: string };
  try {
    ({ values } = parseArgs({ args: argv, options: { 'sys-root': { type: 'string' }, json: { type: 'boolean' }, profiles: { type: 'string' }, 'save-snapshot': { type: 'string' } }, strict: true }));
  } catch (err) {
    throw new InputError('trunkpilot detect', `${(err as Error).message}; usage: trunkpilot detect [--sys-root DIR] [--json] [--profiles DIR] [--save-snapshot DIR]`);
  }
  const system = discoverDahdi({ sysRoot: values['sys-root'] ?? '/' });
  const profiles = [...loadProfiles(values.profiles).values()].map((l) => l.profile);
  const boards = matchBoards(system, profiles);
  const sysRoot = values['sys-root'] ?? '/';
  const usbPort: UsbPort = sysRoot === '/' ? new WebUsbPort() : new SysfsUsbPort(sysRoot);
  const usb = await discoverUsbTelephony({ usb: usbPort, sysRoot });
  await usbPort.close();
  const usbDevices = matchUsbDevices(usb.devices, profiles);
  if (values.json) {
    // An array of DAHDI boards as before; USB telephony devices are the entries with "usb".
    io.stdout(JSON.stringify([...boards.map((b) => toJson(b, system.spans)), ...usbDevices.map(usbToJson)], null, 2) + '\n');
  } else {
    io.stdout(render(boards, system.spans) + renderUsb(usbDevices));
  }
  for (const w of [...system.warnings, ...usb.warnings]) io.stderr(`warning: ${w}\n`);
  const dest = values['save-snapshot'];
  if (dest !== undefined) {
    if (existsSync(dest) && readdirSync(dest).length) throw new InputError(dest, 'the snapshot directory must be new or empty');
    const saved = saveDahdiSnapshot({ sysRoot: values['sys-root'] ?? '/', dest });
    io.stderr(`snapshot of ${saved.devices.length} device(s), ${saved.files} files, saved in ${dest} (use it as --sys-root ${dest})\n`);
  }
  return 0;
}

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
      .map((s) => ({ spanno: s.spanno, local: s.localSpanno, type: s.type, framing: s.framing ?? null, alarms: s.alarms, basechan: s.basechan, channels: s.channelCount })),
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
    out.push(`  DAHDI says: ${b.device.manufacturer} "${b.device.type}"${b.device.location ? ` at ${b.device.location}` : ''}${b.device.hardwareId ? `, id ${b.device.hardwareId}` : ''}`);
    for (const s of spans.filter((x) => x.device === b.device.name)) {
      const state = s.alarms.length ? s.alarms.join('/') : s.configured ? 'OK' : 'UNCONFIGURED';
      out.push(`  span ${s.spanno} (local ${s.localSpanno}): ${s.type} ${s.framing ?? '-'} channels ${s.basechan}-${s.basechan + s.channelCount - 1} ${state}`);
    }
  }
  return out.join('\n') + '\n';
}

function usbToJson(u: DetectedUsbDevice) {
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
    modem: d.modem ? { model: d.modem.model, atPort: d.modem.atPort ?? null, voicePort: d.modem.voicePort ?? null } : undefined,
    astribank: d.astribank,
  };
}

function renderUsb(devices: DetectedUsbDevice[]): string {
  if (!devices.length) return '';
  const out = ['USB telephony devices:'];
  for (const u of devices) {
    const d = u.device;
    const what = u.profile ? `${u.profile.vendor} ${u.profile.model} (profile ${u.profile.id})` : u.candidates.length ? `one of ${u.candidates.map((p) => p.id).join(', ')}` : 'no matching profile';
    out.push(`usb ${d.sysName ?? '?'}  ${d.id}  ${what}${d.serialNumber ? `  serial ${d.serialNumber}` : ''}`);
    if (d.modem) out.push(`  GSM/LTE module, AT dialect ${d.modem.model}; AT port ${d.modem.atPort ?? 'unknown (no sysfs)'}${d.modem.voicePort ? `, voice PCM port ${d.modem.voicePort}` : ''}`);
    if (d.astribank) out.push(`  Astribank ${d.astribank.family}, firmware ${d.astribank.firmware}: ${d.astribank.note}`);
  }
  return out.join('\n') + '\n';
}
