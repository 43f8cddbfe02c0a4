import { join } from 'node:path';
import { DahdiDevice, DahdiSystem, discoverDahdi } from '../discovery';
import { loadProfiles } from './board-profile';
import { matchBoards } from './board-matcher';

const FIXTURES = join(__dirname, '..', '..', 'hil-tests', 'fixtures', 'sysfs');
const profiles = [...loadProfiles().values()].map((l) => l.profile);

function detect(name: string) {
  return matchBoards(discoverDahdi({ sysRoot: join(FIXTURES, name) }), profiles).map((b) => [
    b.device.name,
    b.profile?.id ?? `none of ${b.candidates.map((c) => c.id).join(',')}`,
  ]);
}

/** A one-device system with the given identity, for the cases no snapshot covers. */
function system(device: Partial<DahdiDevice>, channels = 31): DahdiSystem {
  const d: DahdiDevice = {
    name: 'pci:0000:09:00.0',
    manufacturer: 'Digium',
    type: '',
    hardwareId: '',
    location: '',
    spanCount: 1,
    spanTypes: { 1: 'E1' },
    hardware: { bus: 'other' },
    spannos: [1],
    ...device,
  };
  const span = {
    spanno: 1,
    name: '',
    description: '',
    type: 'E1' as const,
    digital: true,
    device: d.name,
    basechan: 1,
    channelCount: channels,
    crc4: false,
    syncMaster: false,
    clockSource: false,
    alarms: [],
    configured: false,
    counters: { bpv: 0, crc4: 0, ebit: 0, fas: 0, timingSlips: 0, irqMisses: 0 },
    channels: [],
  };
  return { sysRoot: '/', devices: [d], spans: [span], warnings: [] };
}

const pci = (vendor: string, device: string, subsystemVendor = vendor, subsystemDevice = device) => ({
  bus: 'pci' as const,
  vendor,
  device,
  subsystemVendor,
  subsystemDevice,
  address: '0000:09:00.0',
});

describe('matching detected boards to profiles', () => {
  it('recognises the boards in each saved snapshot', () => {
    expect(detect('openvox-d430p')).toEqual([['pci:0000:03:00.0', 'openvox-d430p']]);
    expect(detect('digium-te435-tdm410p')).toEqual([
      ['pci:0000:05:00.0', 'digium-te435'],
      ['pci:0000:06:00.0', 'digium-tdm410p'],
    ]);
    expect(detect('astribank-pri')).toEqual([['astribanks:xbus-00', 'xorcom-astribank-pri']]);
  });

  it.each([
    ['TE235 by its two spans', { hardware: pci('d161', '800e'), spanCount: 2, spanTypes: { 1: 'E1', 2: 'E1' } }, 31, 'digium-te235'],
    ['TE133 by the VPM in its device type', { hardware: pci('d161', '800a'), type: 'Wildcard TE133 (VPMOCT032)' }, 31, 'digium-te133'],
    ['TE131 without one', { hardware: pci('d161', '800a'), type: 'Wildcard TE131' }, 31, 'digium-te131'],
    [
      'A1200P by its 12 channels',
      { hardware: pci('e159', '0001', '9100', '0003'), spanTypes: { 1: 'ANALOG_MIXED' } },
      12,
      'openvox-a1200p',
    ],
    ['A800P by its 8 channels', { hardware: pci('e159', '0001', '9500', '0003'), spanTypes: { 1: 'FXO' } }, 8, 'openvox-a800p'],
    [
      'A400P as the fallback for a Tiger Jet analog card',
      { hardware: pci('e159', '0001', '1234', '5678'), spanTypes: { 1: 'FXO' } },
      4,
      'openvox-a400p',
    ],
    ['D110P as a TE110P clone', { hardware: pci('e159', '0001', '79fe', '0001') }, 31, 'openvox-d110p'],
    [
      'Astribank FXS by its span type',
      { hardware: { bus: 'usb' as const, vendor: 'e4e4', product: '1162', path: '/sys/x' }, spanTypes: { 1: 'FXS' } },
      8,
      'xorcom-astribank-fxs',
    ],
    ['the 4-span simulator', { manufacturer: 'trunkpilot', spanCount: 4 }, 31, 'trunkpilot-sim-e1x4-s32'],
  ])('tells apart %s', (_name, device, channels, expected) => {
    const [board] = matchBoards(system(device as Partial<DahdiDevice>, channels), profiles);
    expect(board.profile?.id).toBe(expected);
  });

  it('says so when nothing matches, rather than guessing', () => {
    const [board] = matchBoards(system({ hardware: pci('8086', '1533') }), profiles);
    expect(board.profile).toBeUndefined();
    expect(board.candidates).toEqual([]);
    expect(board.id).toBe('8086:1533 (subsystem 8086:1533)');
  });

  it('lists the candidates when two profiles fit equally well', () => {
    // A TE235/TE435 ID with three spans fits neither: the span count is part of both rules.
    const [none] = matchBoards(system({ hardware: pci('d161', '800e'), spanCount: 3 }), profiles);
    expect(none.candidates).toEqual([]);
    const twins = [
      { ...profiles.find((p) => p.id === 'digium-te820')!, id: 'twin-a' },
      { ...profiles.find((p) => p.id === 'digium-te820')!, id: 'twin-b' },
    ];
    const [board] = matchBoards(system({ hardware: pci('d161', '1820') }), twins);
    expect(board.profile).toBeUndefined();
    expect(board.candidates.map((p) => p.id)).toEqual(['twin-a', 'twin-b']);
  });
});
