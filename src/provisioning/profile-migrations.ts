/**
 * Board profile schema versions and the steps between them. Each step takes a document
 * of version N and returns version N+1; files on disk are upgraded when read.
 *
 * v1 (first shipped layout): flat ID strings and scalar counts:
 *   version: 1, pciIds: ["1b74:d430", "e159:0001/9100"], usbIds: ["e4e4:1152"],
 *   spans: 4, lineTypes: [...], ports: 4, portTypes: [...], ring: { vrms: [min, max], hz: [min, max] },
 *   hwec: "VPMOCT128", softwareEc: [...], plus id/vendor/model/kind/driver/impedances/signalling/seats.
 * v2: structured `match` rules (with disambiguators), `spans`/`ports` objects,
 *   `ringDetection`, `echoCanceller { hardware, software, default }`, `bus`.
 */
import { ConfigFileError } from './errors';
import { YamlSource } from './yaml-source';

export const CURRENT_PROFILE_VERSION = 2;

type Doc = Record<string, unknown>;

const STEPS: Record<number, (doc: Doc) => Doc> = {
  1: v1ToV2,
};

export function migrateProfile(data: unknown, source: YamlSource): { data: unknown; from: number } {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new ConfigFileError([source.issue([], 'a board profile must be a mapping')]);
  }
  let doc = data as Doc;
  const from = typeof doc.schemaVersion === 'number' ? doc.schemaVersion : typeof doc.version === 'number' ? doc.version : undefined;
  if (from === undefined) throw new ConfigFileError([source.issue(['schemaVersion'], 'is required but missing')]);
  if (from > CURRENT_PROFILE_VERSION || !Number.isInteger(from) || from < 1) {
    throw new ConfigFileError([
      source.issue(['schemaVersion'], `version ${from} is not one this trunkpilot reads (1-${CURRENT_PROFILE_VERSION})`),
    ]);
  }
  for (let v = from; v < CURRENT_PROFILE_VERSION; v++) doc = STEPS[v](doc);
  return { data: doc, from };
}

function parseIdList(ids: unknown, bus: 'pci' | 'usb'): Doc[] {
  if (!Array.isArray(ids)) return [];
  return ids.map((text) => {
    const [main, sub] = String(text).toLowerCase().split('/');
    const [vendor, device] = main.split(':');
    if (bus === 'usb') return { usb: { vendor, product: device } };
    const pci: Doc = { vendor, device };
    if (sub) {
      const [sv, sd] = sub.split(':');
      pci.subsystemVendor = sv;
      if (sd) pci.subsystemDevice = sd;
    }
    return { pci };
  });
}

function v1ToV2(v1: Doc): Doc {
  const { version: _version, pciIds, usbIds, spans, lineTypes, ports, portTypes, ring, hwec, softwareEc, ...rest } = v1;
  const v2: Doc = { schemaVersion: 2, ...rest };
  const match = [...parseIdList(pciIds, 'pci'), ...parseIdList(usbIds, 'usb')];
  if (rest.kind === 'simulator') match.push({ sim: { manufacturer: 'trunkpilot' }, spanCount: spans });
  v2.match = match;
  v2.bus = rest.kind === 'simulator' ? 'sim' : Array.isArray(usbIds) && usbIds.length ? 'usb' : 'pci';
  if (typeof spans === 'number') v2.spans = { count: spans, lineTypes: lineTypes ?? ['E1'], dchannel: 'hardhdlc' };
  if (typeof ports === 'number') v2.ports = { count: ports, types: portTypes ?? ['fxo'] };
  const r = ring as { vrms?: number[]; hz?: number[] } | undefined;
  if (r?.vrms && r.hz) v2.ringDetection = { minVrms: r.vrms[0], maxVrms: r.vrms[1], minHz: r.hz[0], maxHz: r.hz[1] };
  const software = Array.isArray(softwareEc) ? softwareEc : ['oslec'];
  v2.echoCanceller = {
    ...(typeof hwec === 'string' ? { hardware: { module: hwec, fitted: 'optional' } } : {}),
    software,
    default: software[0] ?? 'none',
  };
  return v2;
}
