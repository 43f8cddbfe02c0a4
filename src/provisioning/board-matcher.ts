/**
 * Matches the DAHDI devices discovery found to board profiles: by PCI or USB ID first,
 * then by what DAHDI says about the device (span count, span types, channels, device
 * type) where several models share one ID. The most specific matching rule wins.
 */
import { DahdiDevice, DahdiSystem } from '../discovery';
import type { UsbTelephonyDevice } from '../discovery';
import { BoardProfile, ProfileMatch } from './board-profile';

export interface DetectedBoard {
  device: DahdiDevice;
  /** The profile chosen; undefined when none matched or several matched equally well. */
  profile?: BoardProfile;
  /** Every profile that matched at the best score (more than one means ambiguous). */
  candidates: BoardProfile[];
  /** "1b74:d430", "e4e4:1152", "sim" or "unknown". */
  id: string;
  channels: number;
}

function hardwareIdText(d: DahdiDevice): string {
  const h = d.hardware;
  if (h.bus === 'pci')
    return `${h.vendor}:${h.device}` + (h.subsystemVendor ? ` (subsystem ${h.subsystemVendor}:${h.subsystemDevice ?? '????'})` : '');
  if (h.bus === 'usb') return `${h.vendor}:${h.product}`;
  return d.manufacturer === 'trunkpilot' ? 'sim' : 'unknown';
}

/** Score of one rule against one device; 0 when it does not match. */
export function ruleScore(rule: ProfileMatch, device: DahdiDevice, channels: number): number {
  const h = device.hardware;
  let score = 0;
  if (rule.pci) {
    if (h.bus !== 'pci' || h.vendor !== rule.pci.vendor || h.device !== rule.pci.device) return 0;
    score += 10;
    if (rule.pci.subsystemVendor !== undefined) {
      if (h.subsystemVendor !== rule.pci.subsystemVendor) return 0;
      score += 5;
    }
    if (rule.pci.subsystemDevice !== undefined) {
      if (h.subsystemDevice !== rule.pci.subsystemDevice) return 0;
      score += 5;
    }
  } else if (rule.usb) {
    if (h.bus !== 'usb' || h.vendor !== rule.usb.vendor || h.product !== rule.usb.product) return 0;
    score += 10;
  } else if (rule.sim) {
    if (device.manufacturer !== rule.sim.manufacturer) return 0;
    score += 10;
  } else {
    return 0;
  }
  if (rule.deviceType !== undefined) {
    if (!new RegExp(rule.deviceType).test(device.type)) return 0;
    score += 3;
  }
  if (rule.spanCount !== undefined) {
    if (device.spanCount !== rule.spanCount) return 0;
    score += 3;
  }
  if (rule.spanType !== undefined) {
    if (!Object.values(device.spanTypes).includes(rule.spanType as never)) return 0;
    score += 3;
  }
  if (rule.channels !== undefined) {
    if (channels !== rule.channels) return 0;
    score += 3;
  }
  return score;
}

export function matchBoards(system: DahdiSystem, profiles: Iterable<BoardProfile>): DetectedBoard[] {
  const all = [...profiles];
  return system.devices.map((device) => {
    const channels = system.spans.filter((s) => s.device === device.name).reduce((n, s) => n + s.channelCount, 0);
    let best = 0;
    let candidates: BoardProfile[] = [];
    for (const profile of all) {
      const score = Math.max(0, ...profile.match.map((r) => ruleScore(r, device, channels)));
      if (score === 0 || score < best) continue;
      if (score > best) {
        best = score;
        candidates = [];
      }
      candidates.push(profile);
    }
    return { device, profile: candidates.length === 1 ? candidates[0] : undefined, candidates, id: hardwareIdText(device), channels };
  });
}

export interface DetectedUsbDevice {
  device: UsbTelephonyDevice;
  profile?: BoardProfile;
  /** Profiles whose USB ID matches (an Astribank's modules are only told apart once DAHDI shows its spans). */
  candidates: BoardProfile[];
}

/** Matches USB telephony devices to profiles by USB ID alone (no DAHDI facts for a modem, or before firmware). */
export function matchUsbDevices(devices: readonly UsbTelephonyDevice[], profiles: Iterable<BoardProfile>): DetectedUsbDevice[] {
  const all = [...profiles];
  return devices.map((device) => {
    const [vendor, product] = device.id.split(':');
    const candidates = all.filter((p) => p.match.some((r) => r.usb && r.usb.vendor === vendor && r.usb.product === product));
    return { device, profile: candidates.length === 1 ? candidates[0] : undefined, candidates };
  });
}
