import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadProfiles } from './board-profile';
import { ConfigFileError } from './errors';
import { boardProfilesDir } from './paths';
import { loadSite, siteFromSource } from './site-config';
import { YamlSource } from './yaml-source';

const profiles = loadProfiles();
const F = 'sites/test.yaml';

const BASE = `version: 1
site: test
boards:
  - id: trunks
    profile: openvox-d430p
    device: pci:0000:03:00.0
    spans:
      - local: 1
        signalling: pri-cpe
        framing: ccs
        dchannel: 16
        timing: 1
      - local: 3
        signalling: r2-cn
        casIdleBits: "1111"
  - id: lines
    profile: openvox-a1200p
    device: pci:0000:02:08.0
    ports:
      - ports: 1-4
        signalling: fxo
        ring: { minVrms: 40, maxVrms: 110, minHz: 20, maxHz: 30 }
seats:
  board: lines
  count: 8
  firstPort: 5
answerGroups:
  - { name: sales, strategy: round-robin, seats: 1-8 }
`;

function issuesOf(text: string): string[] {
  try {
    siteFromSource(YamlSource.fromText(text, F), profiles);
  } catch (err) {
    if (err instanceof ConfigFileError) return err.message.split('\n');
    throw err;
  }
  return [];
}

/** BASE with one piece of text replaced (the replaced text must be there). */
function edit(from: string, to: string): string {
  expect(BASE).toContain(from);
  return BASE.replace(from, to);
}

describe('site files', () => {
  it('the base site of this table is valid', () => {
    expect(issuesOf(BASE)).toEqual([]);
  });

  it('every example site shipped in board-profiles/sites is valid', () => {
    const dir = join(boardProfilesDir(), 'sites');
    const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
    expect(files.sort()).toEqual([
      'demo-sim-gsm.yaml',
      'demo-sim-no7.yaml',
      'demo-sim-r2.yaml',
      'demo-sim.yaml',
      'fxo.yaml',
      'gsm.yaml',
      'pri-cpe.yaml',
      'pri-net.yaml',
      'r2-cn.yaml',
      'ss7-cn.yaml',
    ]);
    for (const f of files) expect(loadSite(join(dir, f), profiles).site.version).toBe(1);
  });

  const cases: [string, string, string[]][] = [
    ['PRI on CAS framing', edit('framing: ccs', 'framing: cas'), [`${F}:10: boards[0].spans[0].framing: PRI needs CCS framing (got cas)`]],
    [
      'PRI D-channel off TS16',
      edit('dchannel: 16', 'dchannel: 15'),
      [`${F}:11: boards[0].spans[0].dchannel: PRI needs its D-channel on TS16 (got TS15)`],
    ],
    [
      'China No.1 with idle bits 1101',
      edit('casIdleBits: "1111"', 'casIdleBits: "1101"'),
      [`${F}:15: boards[0].spans[1].casIdleBits: China No.1 (r2-cn) needs CAS idle bits 1111 (got 1101)`],
    ],
    [
      'China No.1 on CCS framing',
      edit('signalling: r2-cn', 'signalling: r2-cn\n        framing: ccs'),
      [`${F}:15: boards[0].spans[1].framing: China No.1 (r2-cn) needs CAS framing (got ccs)`],
    ],
    [
      'China No.1 with a D-channel',
      edit('signalling: r2-cn', 'signalling: r2-cn\n        dchannel: 16'),
      [`${F}:15: boards[0].spans[1].dchannel: r2-cn has no D-channel: TS16 carries the CAS line signalling`],
    ],
    [
      'ring voltage below what the board detects',
      edit('minVrms: 40', 'minVrms: 20'),
      [`${F}:22: boards[1].ports[0].ring.minVrms: 20 Vrms is outside what the OpenVox A1200P detects (30-130 Vrms, 15-68 Hz)`],
    ],
    [
      'ring frequency above what the board detects',
      edit('maxHz: 30', 'maxHz: 70'),
      [`${F}:22: boards[1].ports[0].ring.maxHz: 70 Hz is outside what the OpenVox A1200P detects (30-130 Vrms, 15-68 Hz)`],
    ],
    [
      'ring window upside down',
      edit('minHz: 20, maxHz: 30', 'minHz: 40, maxHz: 30'),
      [`${F}:22: boards[1].ports[0].ring.minHz: 40 Hz is above ring.maxHz 30`],
    ],
    [
      'more seats than the board hosts',
      edit('count: 8\n  firstPort: 5', 'count: 13\n  firstPort: 5'),
      [`${F}:25: seats.count: 13 seats exceed the 12 the OpenVox A1200P (openvox-a1200p) can host`],
    ],
    [
      'seats running past the last port',
      edit('firstPort: 5', 'firstPort: 6'),
      [`${F}:26: seats.firstPort: seats 6-13 run past port 12 of the OpenVox A1200P`],
    ],
    [
      'a seat on an FXO line port',
      edit('firstPort: 5', 'firstPort: 3'),
      [`${F}:26: seats.firstPort: port 3 is used twice: seat 1 and an FXO line (line 20)`],
    ],
    [
      'TS16 as bearer and D-channel',
      edit('timing: 1\n', 'timing: 1\n        bearer: "1-16"\n'),
      [`${F}:13: boards[0].spans[0].bearer: timeslot 16 is used twice: bearer and D-channel`],
    ],
    [
      'a timeslot twice in bearer',
      edit('timing: 1\n', 'timing: 1\n        bearer: "1-10,5"\n'),
      [`${F}:13: boards[0].spans[0].bearer: timeslot 5 is used twice in bearer`],
    ],
    [
      'TS16 as bearer on China No.1',
      edit('casIdleBits: "1111"', 'casIdleBits: "1111"\n        bearer: 1-31'),
      [`${F}:16: boards[0].spans[1].bearer: timeslot 16 is used twice: bearer and CAS line signalling`],
    ],
    [
      'a timeslot beyond 31',
      edit('timing: 1\n', 'timing: 1\n        bearer: "1-15,17-32"\n'),
      [`${F}:13: boards[0].spans[0].bearer: timeslot 32 does not exist on an E1 (1-31 carry channels)`],
    ],
    [
      'a range written backwards',
      edit('timing: 1\n', 'timing: 1\n        bearer: "15-1"\n'),
      [`${F}:13: boards[0].spans[0].bearer: range '15-1' runs backwards`],
    ],
    [
      'a bearer that is not a range list',
      edit('timing: 1\n', 'timing: 1\n        bearer: "1 to 5"\n'),
      [`${F}:13: boards[0].spans[0].bearer: "1 to 5" is not a list of numbers and ranges like "1-15,17-31"`],
    ],
    [
      'an unknown key',
      edit('timing: 1\n', 'timing: 1\n        colour: red\n'),
      [`${F}:13: boards[0].spans[0].colour: unknown key 'colour'`],
    ],
    ['an unknown top-level key', BASE + 'extra: 1\n', [`${F}:29: extra: unknown key 'extra'`]],
    ['a missing required key', edit('    device: pci:0000:02:08.0\n', ''), [`${F}:16: boards[1].device: is required but missing`]],
    [
      'a local span the board does not have',
      edit('local: 3', 'local: 5'),
      [`${F}:13: boards[0].spans[1].local: local span 5 does not exist: the OpenVox D430P has 4 spans`],
    ],
    [
      'a local span configured twice',
      edit('local: 3', 'local: 1'),
      [`${F}:13: boards[0].spans[1].local: local span 1 is configured twice (first at line 8)`],
    ],
    [
      'an unknown board profile',
      edit('profile: openvox-d430p', 'profile: openvox-d999p'),
      [`${F}:5: boards[0].profile: unknown board profile 'openvox-d999p' (trunkpilot detect shows the profile of each board present)`],
    ],
    [
      '75 ohm on a 120 ohm board',
      edit('timing: 1\n', 'timing: 1\n        impedance: 75\n'),
      [`${F}:13: boards[0].spans[0].impedance: the OpenVox D430P supports 120 ohm (got 75; a 75/120 ohm balun makes coax a 120 ohm line)`],
    ],
    [
      'one timing priority on two spans',
      edit('casIdleBits: "1111"', 'casIdleBits: "1111"\n        timing: 1'),
      [`${F}:16: boards[0].spans[1].timing: timing priority 1 is already given to the span at line 12`],
    ],
    [
      'FXO signalling on an E1 span',
      edit('signalling: r2-cn', 'signalling: fxo'),
      [`${F}:14: boards[0].spans[1].signalling: fxo is analog signalling: the OpenVox D430P has E1 spans, not FXO ports`],
    ],
    [
      'a port in two line groups',
      edit('        ring: {', '      - { ports: "4", signalling: fxo }\n        ring: {').replace(
        '      - { ports: "4", signalling: fxo }\n        ring: { minVrms: 40, maxVrms: 110, minHz: 20, maxHz: 30 }',
        '        ring: { minVrms: 40, maxVrms: 110, minHz: 20, maxHz: 30 }\n      - { ports: "4", signalling: fxo }',
      ),
      [`${F}:23: boards[1].ports[1].ports: port 4 is used twice (also at line 20)`],
    ],
    [
      'a port the board does not have',
      edit('ports: 1-4', 'ports: 1-4,13'),
      [`${F}:20: boards[1].ports[0].ports: port 13 does not exist: the OpenVox A1200P has 12 ports`],
    ],
    [
      'an answer group seat beyond the seats',
      edit('seats: 1-8 }', 'seats: 1-9 }'),
      [`${F}:28: answerGroups[0].seats: seat 9 does not exist (seats.count is 8)`],
    ],
    [
      'an inbound rule for an answer group the site does not have',
      edit('seats: 1-8 }\n', 'seats: 1-8 }\ninbound:\n  rules: [ { called: "4008*", answerGroup: support } ]\n'),
      [`${F}:30: inbound.rules[0].answerGroup: no answer group 'support' (sales)`],
    ],
    [
      'a privacy number listed twice',
      edit('seats: 1-8 }\n', 'seats: 1-8 }\nprivacy:\n  pool: ["4008000001", "4008000001"]\n'),
      [`${F}:30: privacy.pool[1]: 4008000001 is listed twice (first at line 30)`],
    ],
    [
      'a privacy number that is not a number',
      edit('seats: 1-8 }\n', 'seats: 1-8 }\nprivacy:\n  pool: ["40-08"]\n'),
      [`${F}:30: privacy.pool[0]: "40-08" is not a telephone number of 3-20 digits (a leading + allowed)`],
    ],
    [
      'an echo canceller the board does not offer',
      edit('    device: pci:0000:03:00.0\n', '    device: pci:0000:03:00.0\n    echoCanceller: hpec\n'),
      [`${F}:7: boards[0].echoCanceller: 'hpec' is not an echo canceller the OpenVox D430P profile offers (oslec, mg2, kb1, sec2)`],
    ],
    [
      'the same device twice',
      edit('device: pci:0000:02:08.0', 'device: pci:0000:03:00.0'),
      [`${F}:18: boards[1].device: device 'pci:0000:03:00.0' is already board 'trunks' (line 6)`],
    ],
    [
      'a tone zone DAHDI does not know',
      edit('site: test\n', 'site: test\ntoneZone: zz\n'),
      [
        `${F}:3: toneZone: must be one of us, au, fr, nl, uk, fi, es, jp, no, at, nz, it, us-old, gr, tw, cl, se, be, sg, il, br, hu, lt, pl, za, pt, ee, mx, in, de, ch, dk, cz, cn, ar, my, th, bg, ve, ph, ru, tr, pa, mo, cr, ae (got "zz")`,
      ],
    ],
    [
      'a duplicate YAML key',
      edit('site: test\n', 'site: test\nsite: again\n'),
      [`${F}:3: (document): YAML syntax: Map keys must be unique`],
    ],
    [
      'two findings at once, in line order',
      edit('dchannel: 16', 'dchannel: 15').replace('minVrms: 40', 'minVrms: 20'),
      [
        `${F}:11: boards[0].spans[0].dchannel: PRI needs its D-channel on TS16 (got TS15)`,
        `${F}:22: boards[1].ports[0].ring.minVrms: 20 Vrms is outside what the OpenVox A1200P detects (30-130 Vrms, 15-68 Hz)`,
      ],
    ],
    [
      'a No.7 span without point codes',
      edit('signalling: r2-cn\n        casIdleBits: "1111"', 'signalling: ss7-isup'),
      [`${F}:13: boards[0].spans[1].ss7: ss7-isup needs ss7 settings: at least opc and dpc (point codes, e.g. opc: 10-20-30)`],
    ],
    [
      'a China point code out of range',
      edit('signalling: r2-cn\n        casIdleBits: "1111"', 'signalling: ss7-isup\n        ss7: { opc: 1-300-1, dpc: 2-2-2 }'),
      [`${F}:15: boards[0].spans[1].ss7.opc: point code '1-300-1': part 2 must be below 256`],
    ],
    [
      'No.7 to our own point code',
      edit('signalling: r2-cn\n        casIdleBits: "1111"', 'signalling: ss7-tup\n        ss7: { opc: 1-1-1, dpc: 1-1-1 }'),
      [`${F}:15: boards[0].spans[1].ss7.dpc: dpc is our own point code (1-1-1): it must name the adjacent exchange`],
    ],
    [
      'No.7 on CAS framing',
      edit(
        'signalling: r2-cn\n        casIdleBits: "1111"',
        'signalling: ss7-isup\n        framing: cas\n        ss7: { opc: 1-1-1, dpc: 2-2-2 }',
      ),
      [`${F}:15: boards[0].spans[1].framing: No.7 needs CCS framing (got cas)`],
    ],
  ];
  it.each(cases)('refuses %s, naming file, line and field', (_name, text, expected) => {
    expect(issuesOf(text)).toEqual(expected);
  });
});
