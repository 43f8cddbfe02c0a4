import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ConfigFileError } from './errors';
import { loadProfiles, profileFromSource } from './board-profile';
import { boardProfilesDir } from './paths';
import { YamlSource } from './yaml-source';

const BOARDS = join(boardProfilesDir(), 'boards');

function issuesOf(text: string, file = 'board-profiles/boards/test-board.yaml'): string[] {
  try {
    profileFromSource(YamlSource.fromText(text, file));
  } catch (err) {
    if (err instanceof ConfigFileError) return err.message.split('\n');
    throw err;
  }
  return [];
}

describe('shipped board profiles', () => {
  const profiles = loadProfiles();

  it('every file validates against the shipped JSON Schema', () => {
    const files = readdirSync(BOARDS).filter((f) => f.endsWith('.yaml'));
    expect(profiles.size).toBe(files.length);
    expect([...profiles.broken.keys()]).toEqual([]);
  });

  it('covers the boards the issue names, with their bus IDs', () => {
    const ids = (id: string) =>
      profiles
        .get(id)!
        .profile.match.map((m) => (m.pci ? `${m.pci.vendor}:${m.pci.device}` : m.usb ? `${m.usb.vendor}:${m.usb.product}` : 'sim'));
    const expected: Record<string, string> = {
      'openvox-d210p': '1b74:d210',
      'openvox-d410p': '1b74:d410',
      'openvox-d130p': '1b74:d130',
      'openvox-d230p': '1b74:d230',
      'openvox-d430p': '1b74:d430',
      'openvox-d110p': 'e159:0001',
      'digium-te131': 'd161:800a',
      'digium-te133': 'd161:800a',
      'digium-te235': 'd161:800e',
      'digium-te435': 'd161:800e',
      'digium-te820': 'd161:1820',
      'sangoma-a101': '1923:0300',
      'sangoma-a102': '1923:0300',
      'sangoma-a104': '1923:0100',
      'sangoma-a108': '1923:0400',
      'xorcom-astribank-pri': 'e4e4:1152',
      'openvox-a400p': 'e159:0001',
      'openvox-a800p': 'e159:0001',
      'openvox-a1200p': 'e159:0001',
      'openvox-a2410p': '1b74:2410',
      'digium-tdm410p': 'd161:8005',
      'digium-tdm800p': 'd161:0800',
      'digium-aex2400': 'd161:8003',
      'xorcom-astribank-fxo': 'e4e4:1152',
      'xorcom-astribank-fxs': 'e4e4:1152',
    };
    for (const [id, first] of Object.entries(expected)) expect([id, ids(id)[0]]).toEqual([id, first]);
  });

  it('has simulator profiles for 1, 2, 4 and 8 E1 spans with 8, 16, 32 and 64 seats (30-240 channels)', () => {
    const sims = [...profiles.values()].map((l) => l.profile).filter((p) => p.kind === 'simulator');
    expect(sims.map((p) => [p.spans!.count * 30, p.seats]).sort((a, b) => a[0] - b[0])).toEqual([
      [30, 8],
      [60, 16],
      [120, 32],
      [240, 64],
    ]);
  });

  it('gives every analog board a ring window and every digital board E1', () => {
    for (const { profile } of profiles.values()) {
      if (profile.kind === 'analog')
        expect([profile.id, profile.ringDetection]).toEqual([profile.id, { minVrms: 30, maxVrms: 130, minHz: 15, maxHz: 68 }]);
      else if (profile.kind === 'gsm-modem')
        expect([profile.id, profile.signalling, profile.modem?.model]).toEqual([profile.id, ['gsm'], expect.any(String)]);
      else expect([profile.id, profile.spans!.lineTypes.includes('E1')]).toEqual([profile.id, true]);
    }
  });
});

describe('profile migrations', () => {
  it('a schema version 1 profile is upgraded to the same content as the shipped version 2 file', () => {
    const v1 = [
      'version: 1',
      'id: openvox-d430p',
      'vendor: "OpenVox"',
      'model: "D430P"',
      'description: "quad-port E1/T1/J1, PCI"',
      'kind: digital',
      'driver: wct4xxp',
      'pciIds: ["1b74:d430"]',
      'spans: 4',
      'lineTypes: [E1, T1, J1]',
      'impedances: [120]',
      'signalling: [pri-cpe, pri-net, r2-cn, ss7-isup, ss7-tup]',
      'hwec: VPMOCT128',
      'softwareEc: [oslec, mg2, kb1, sec2]',
      'seats: 0',
      'notes: "Runs on wct4xxp, so DAHDI reports it as a \\"Wildcard TE410P/TE405P (1st Gen)\\"; only the PCI ID says it is a D430P."',
    ].join('\n');
    const migrated = profileFromSource(YamlSource.fromText(v1, 'board-profiles/boards/openvox-d430p.yaml'));
    expect(migrated.writtenVersion).toBe(1);
    const shipped = parse(readFileSync(join(BOARDS, 'openvox-d430p.yaml'), 'utf8'));
    expect(migrated.profile).toEqual(shipped);
  });

  it('a version 1 analog profile gets its ring window and port types', () => {
    const v1 =
      'version: 1\nid: test-board\nvendor: X\nmodel: Y\nkind: analog\ndriver: wctdm\npciIds: ["e159:0001/a9fd"]\nports: 4\nportTypes: [fxo]\nring: { vrms: [30, 130], hz: [15, 68] }\nimpedances: [600]\nsignalling: [fxo]\nseats: 0\n';
    const p = profileFromSource(YamlSource.fromText(v1, 'board-profiles/boards/test-board.yaml')).profile;
    expect(p.match).toEqual([{ pci: { vendor: 'e159', device: '0001', subsystemVendor: 'a9fd' } }]);
    expect(p.ringDetection).toEqual({ minVrms: 30, maxVrms: 130, minHz: 15, maxHz: 68 });
    expect(p.echoCanceller).toEqual({ software: ['oslec'], default: 'oslec' });
  });
});

describe('bad profiles are refused with file, line and field', () => {
  const good = readFileSync(join(BOARDS, 'digium-tdm410p.yaml'), 'utf8').replace('id: digium-tdm410p', 'id: test-board');
  const F = 'board-profiles/boards/test-board.yaml';
  const cases: [string, string, string[]][] = [
    ['an unknown key', good + 'colour: red\n', [`${F}:23: colour: unknown key 'colour'`]],
    [
      'a PCI ID that is not hex',
      good.replace('device: "8005"', 'device: "80G5"'),
      [`${F}:11: match[0].pci.device: "80G5" is not 4 lower-case hex digits`],
    ],
    [
      'an analog board with spans',
      good + 'spans: { count: 1, lineTypes: [E1] }\n',
      [`${F}:23: spans: does not belong on this kind of board`],
    ],
    [
      'a missing ring window on an analog board',
      good.replace(/^ringDetection:.*\n/m, ''),
      [`${F}:2: ringDetection: is required but missing`],
    ],
    [
      'a bad kind',
      good.replace('kind: analog', 'kind: hybrid'),
      [`${F}:7: kind: must be one of digital, analog, simulator, gsm-modem (got "hybrid")`],
    ],
    [
      'a newer schema version',
      good.replace('schemaVersion: 2', 'schemaVersion: 3'),
      [`${F}:2: schemaVersion: version 3 is not one this trunkpilot reads (1-2)`],
    ],
    [
      'an id that differs from the file name',
      good.replace('id: test-board', 'id: other-board'),
      [`${F}:3: id: 'other-board' does not match the file name 'test-board'`],
    ],
    ['a ring window upside down', good.replace('minVrms: 30', 'minVrms: 140'), [`${F}:15: ringDetection: minimum above maximum`]],
    [
      'hardware echo cancellation on a board without it',
      good.replace(/^ {2}hardware:.*\n/m, '').replace('default: oslec', 'default: hardware'),
      [`${F}:20: echoCanceller.default: is hardware but the board has no hardware echo canceller`],
    ],
    [
      'YAML that does not parse',
      'id: [unclosed\n',
      [`${F}:2: (document): YAML syntax: Flow sequence in block collection must be sufficiently indented and end with a ]`],
    ],
  ];
  it.each(cases)('%s', (_name, text, expected) => {
    expect(issuesOf(text)).toEqual(expected);
  });
});
