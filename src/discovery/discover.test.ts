import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../core/errors';
import { discoverDahdi, parseProcDahdiSpan, saveDahdiSnapshot } from './index';

const FIXTURES = join(__dirname, '..', '..', 'hil-tests', 'fixtures', 'sysfs');

describe('parseProcDahdiSpan', () => {
  it('reads the header, counters and channel lines as dahdi-base.c prints them', () => {
    const text = [
      'Span 2: TE4/0/2 "T4XXP (PCI) Card 0 Span 2" (MASTER) CCS/HDB3/CRC4 YELLOW ClockSource ',
      '\tBPV count: 12',
      '\tCRC4 error count: 3',
      '',
      '\t  32 TE4/0/2/1 Clear (In use) (EC: VPMOCT128 - ACTIVE) ',
      '\t  47 TE4/0/2/16 Hardware-assisted HDLC (In use) ',
      '\t  48 TE4/0/2/17 Reserved ',
      '\t  49 TE4/0/2/18 RED ',
      '',
    ].join('\n');
    const span = parseProcDahdiSpan(text, '/proc/dahdi/2');
    expect(span).toMatchObject({
      spanno: 2,
      name: 'TE4/0/2',
      description: 'T4XXP (PCI) Card 0 Span 2',
      syncMaster: true,
      clockSource: true,
      lineconfig: ['CCS', 'HDB3', 'CRC4'],
      alarms: ['YELLOW'],
    });
    expect(span.counters).toEqual({ bpv: 12, crc4: 3, ebit: 0, fas: 0, timingSlips: 0, irqMisses: 0 });
    expect(span.channels).toEqual([
      {
        channo: 32,
        name: 'TE4/0/2/1',
        signalling: 'Clear',
        reserved: false,
        inUse: true,
        alarms: [],
        echoCanceller: { name: 'VPMOCT128', active: true },
      },
      { channo: 47, name: 'TE4/0/2/16', signalling: 'Hardware-assisted HDLC', reserved: false, inUse: true, alarms: [] },
      { channo: 48, name: 'TE4/0/2/17', signalling: 'Unconfigured', reserved: true, inUse: false, alarms: [] },
      { channo: 49, name: 'TE4/0/2/18', signalling: 'Unconfigured', reserved: false, inUse: false, alarms: ['RED'] },
    ]);
  });

  it('names the file and line of a malformed line', () => {
    expect(() => parseProcDahdiSpan('Spam 1: x', '/x/proc/dahdi/1')).toThrow(
      new InputError('/x/proc/dahdi/1:1', 'not a DAHDI span header: "Spam 1: x"'),
    );
    const bad = 'Span 1: A "B" \n\n\t   1 A/1 Clear BOGUS\n';
    expect(() => parseProcDahdiSpan(bad, 'f')).toThrow("f:3: unexpected word 'BOGUS' in a channel line");
  });
});

describe('discoverDahdi on saved snapshots', () => {
  it('OpenVox D430P: four E1 spans with framing, coding, alarms, counters and channels', () => {
    const sys = discoverDahdi({ sysRoot: join(FIXTURES, 'openvox-d430p') });
    expect(sys.warnings).toEqual([]);
    expect(sys.devices).toHaveLength(1);
    expect(sys.devices[0]).toMatchObject({
      name: 'pci:0000:03:00.0',
      spanCount: 4,
      spanTypes: { 1: 'E1', 2: 'E1', 3: 'E1', 4: 'E1' },
      hardware: { bus: 'pci', vendor: '1b74', device: 'd430', subsystemVendor: '1b74', subsystemDevice: 'd430', address: '0000:03:00.0' },
      spannos: [1, 2, 3, 4],
    });
    const [pri1, pri2, r2, dead] = sys.spans;
    expect(pri1).toMatchObject({
      spanno: 1,
      type: 'E1',
      framing: 'CCS',
      coding: 'HDB3',
      crc4: true,
      syncMaster: true,
      clockSource: true,
      alarms: [],
      basechan: 1,
      localSpanno: 1,
      device: 'pci:0000:03:00.0',
    });
    expect(pri1.channels).toHaveLength(31);
    expect(pri1.channels[15]).toMatchObject({ channo: 16, spanPosition: 16, signalling: 'Hardware-assisted HDLC', inUse: true });
    expect(pri1.channels.filter((c) => c.inUse).map((c) => c.channo)).toEqual([1, 2, 3, 4, 5, 16]);
    expect(pri2.counters).toEqual({ bpv: 12, crc4: 3, ebit: 1, fas: 0, timingSlips: 2, irqMisses: 0 });
    expect(r2).toMatchObject({ framing: 'CAS', coding: 'HDB3', crc4: false, basechan: 63 });
    expect(r2.channels[15]).toMatchObject({ channo: 78, spanPosition: 16, signalling: 'Unconfigured' });
    expect(r2.channels[16]).toMatchObject({ channo: 79, spanPosition: 17, signalling: 'CAS' });
    expect(dead).toMatchObject({ configured: false, framing: undefined, alarms: ['RED'], basechan: 94 });
    expect(dead.counters.fas).toBe(4410);
  });

  it('TE435 + TDM410P: a digital and an analog board, FXO ports with FXS signalling', () => {
    const sys = discoverDahdi({ sysRoot: join(FIXTURES, 'digium-te435-tdm410p') });
    expect(sys.devices.map((d) => [d.name, d.hardware.bus === 'pci' && `${d.hardware.vendor}:${d.hardware.device}`])).toEqual([
      ['pci:0000:05:00.0', 'd161:800e'],
      ['pci:0000:06:00.0', 'd161:8005'],
    ]);
    const analog = sys.spans[4];
    expect(analog).toMatchObject({ spanno: 5, type: 'FXO', digital: false, basechan: 125, channelCount: 4 });
    expect(analog.channels.map((c) => [c.channo, c.signalling, c.inUse, c.alarms])).toEqual([
      [125, 'FXSKS', true, []],
      [126, 'FXSKS', false, []],
      [127, 'FXSKS', false, []],
      [128, 'FXSKS', false, ['RED']],
    ]);
    expect(sys.spans[1].alarms).toEqual(['YELLOW']);
  });

  it('Astribank: the USB IDs come from the USB device above the DAHDI device', () => {
    const sys = discoverDahdi({ sysRoot: join(FIXTURES, 'astribank-pri') });
    expect(sys.devices[0]).toMatchObject({
      name: 'astribanks:xbus-00',
      hardwareId: 'usb:LAB-0001',
      hardware: { bus: 'usb', vendor: 'e4e4', product: '1152', path: '/sys/devices/pci0000:00/0000:00:1d.7/usb1/1-3' },
    });
    expect(sys.spans[0]).toMatchObject({ type: 'E1', framing: 'CCS', device: 'astribanks:xbus-00' });
  });

  it('an empty root says DAHDI is absent instead of failing', () => {
    const root = mkdtempSync(join(tmpdir(), 'tp-disc-'));
    try {
      const sys = discoverDahdi({ sysRoot: root });
      expect(sys.spans).toEqual([]);
      expect(sys.warnings.join('\n')).toMatch(/dahdi_devices\/devices is missing/);
      expect(sys.warnings.join('\n')).toMatch(/proc\/dahdi is missing/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('one corrupt /proc/dahdi file is reported and the other spans still come through', () => {
    const root = mkdtempSync(join(tmpdir(), 'tp-disc-'));
    try {
      mkdirSync(join(root, 'proc', 'dahdi'), { recursive: true });
      writeFileSync(join(root, 'proc', 'dahdi', '1'), 'Span 1: X/1 "x" CCS/HDB3 \n\n\t   1 X/1/1 Clear \n');
      writeFileSync(join(root, 'proc', 'dahdi', '2'), 'garbage\n');
      const sys = discoverDahdi({ sysRoot: root });
      expect(sys.spans.map((s) => [s.spanno, s.type, s.framing])).toEqual([[1, 'E1', 'CCS']]);
      expect(sys.warnings).toContain(`${join(root, 'proc', 'dahdi', '2')}:1: not a DAHDI span header: "garbage"`);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('saveDahdiSnapshot', () => {
  it.each(['openvox-d430p', 'digium-te435-tdm410p', 'astribank-pri'])('a snapshot of %s is discovered exactly as the original', (name) => {
    const dest = mkdtempSync(join(tmpdir(), 'tp-snap-'));
    try {
      const saved = saveDahdiSnapshot({ sysRoot: join(FIXTURES, name), dest });
      expect(saved.skipped).toEqual([]);
      const original = discoverDahdi({ sysRoot: join(FIXTURES, name) });
      const copy = discoverDahdi({ sysRoot: dest });
      expect({ ...copy, sysRoot: '' }).toEqual({ ...original, sysRoot: '' });
      expect(copy.devices.length).toBeGreaterThan(0);
    } finally {
      rmSync(dest, { recursive: true, force: true });
    }
  });
});
