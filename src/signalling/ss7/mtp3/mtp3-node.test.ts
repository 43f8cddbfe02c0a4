import { MemoryDChannelLink } from '../../../../simulator/ports/memory-dchannel';
import { systemClock } from '../../../core/clock';
import { Mtp2HdlcLink } from '../mtp2/mtp2-hdlc-link';
import { encodeManagement } from './network-management';
import { Mtp3Event, Mtp3Node } from './mtp3-node';
import { CHINA_MTP3, decodeLabel, encodeLabel, formatPointCode, ITU_MTP3, NI_NATIONAL, parsePointCode, SI } from './routing-label';

const until = async (cond: () => boolean, ms = 8000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('routing labels as data', () => {
  test('China: 7 octets, 24-bit DPC then OPC, SLS in the low nibble of octet 7', () => {
    // DPC 1-2-3 = 0x010203, OPC 10-20-30 = 0x0a141e, SLS 5
    const label = encodeLabel(CHINA_MTP3, { dpc: 0x010203, opc: 0x0a141e, sls: 5 });
    expect(Buffer.from(label).toString('hex')).toBe('030201' + '1e140a' + '05');
    expect(decodeLabel(CHINA_MTP3, label)).toEqual({ dpc: 0x010203, opc: 0x0a141e, sls: 5 });
  });
  test('ITU: 4 octets, DPC 14 bits, OPC 14 bits, SLS 4 bits, least significant first', () => {
    const label = encodeLabel(ITU_MTP3, { dpc: 0x1234, opc: 0x0321, sls: 0xa });
    // word = 0x1234 | 0x0321 << 14 | 0xa << 28 = 0xa0c85234
    expect(Buffer.from(label).toString('hex')).toBe('3452c8a0');
    expect(decodeLabel(ITU_MTP3, label)).toEqual({ dpc: 0x1234, opc: 0x0321, sls: 0xa });
  });
  test('point codes as a site writes them', () => {
    expect(parsePointCode(CHINA_MTP3, '10-20-30', 'opc')).toBe(0x0a141e);
    expect(formatPointCode(CHINA_MTP3, 0x0a141e)).toBe('10-20-30');
    expect(parsePointCode(ITU_MTP3, '1-2-3', 'opc')).toBe((1 << 11) | (2 << 3) | 3);
    expect(() => parsePointCode(CHINA_MTP3, '10-300-1', 'ss7.opc')).toThrow(/ss7.opc: point code '10-300-1': part 2 must be below 256/);
    expect(() => parsePointCode(ITU_MTP3, 20000, 'ss7.dpc')).toThrow(/outside 0-16383/);
  });
});

describe('MTP3 link set of two links (China variant)', () => {
  const A = 0x0a141e;
  const B = 0x010203;
  let cables: MemoryDChannelLink[];
  let ours: Mtp3Node;
  let far: Mtp3Node;
  const evOurs: Mtp3Event[] = [];
  const evFar: Mtp3Event[] = [];

  beforeAll(() => {
    cables = [new MemoryDChannelLink(), new MemoryDChannelLink()];
    const link = (end: 'a' | 'b', i: number) =>
      new Mtp2HdlcLink({
        name: `${end}${i}`,
        transport: cables[i][end],
        clock: systemClock,
        mode: 'mtp2',
        timers: { T4n: 400, restart: 200 },
      });
    ours = new Mtp3Node({
      variant: CHINA_MTP3,
      ni: NI_NATIONAL,
      opc: A,
      adjacent: B,
      links: [link('a', 0), link('a', 1)],
      clock: systemClock,
      timers: { changeover: 100, changeback: 100 },
    });
    far = new Mtp3Node({
      variant: CHINA_MTP3,
      ni: NI_NATIONAL,
      opc: B,
      adjacent: A,
      links: [link('b', 0), link('b', 1)],
      clock: systemClock,
      timers: { changeover: 100, changeback: 100 },
    });
    ours.onEvent((e) => evOurs.push(e));
    far.onEvent((e) => evFar.push(e));
    ours.start();
    far.start();
  });
  afterAll(() => {
    ours.close();
    far.close();
  });
  const userFrom = (evs: Mtp3Event[]) => evs.filter((e): e is Extract<Mtp3Event, { type: 'user' }> => e.type === 'user');

  test('both links pass the link test and user messages flow, load-shared by SLS', async () => {
    await until(() => ours.linkStates().every((l) => l.mtp3 === 'available') && far.linkStates().every((l) => l.mtp3 === 'available'));
    expect(evOurs).toContainEqual({ type: 'link-set', up: true, reason: 'link in service' });
    expect(ours.destinationAvailable(B)).toBe(true);
    const perLink = [0, 0];
    cables.forEach((c, i) =>
      c.a.tap((dir, f) => {
        if (dir === 'tx' && f.length > 12 && (f[3] & 0x0f) === SI.ISUP) perLink[i]++;
      }),
    );
    for (let sls = 0; sls < 16; sls++) expect(ours.send(SI.ISUP, B, sls, Uint8Array.of(sls, 0, 0x01))).toBe(true);
    await until(() => userFrom(evFar).length === 16);
    const first = userFrom(evFar)[0];
    expect(first.si).toBe(SI.ISUP);
    expect(first.label).toEqual({ dpc: B, opc: A, sls: 0 });
    expect(perLink).toEqual([8, 8]);
  });

  test('losing one link changes traffic over to the other; it changes back when restored', async () => {
    cables[0].cut('LOS');
    await until(() => ours.linkStates()[0].mtp3 === 'down' && far.linkStates()[0].mtp3 === 'down');
    expect(ours.up).toBe(true);
    const before = userFrom(evFar).length;
    for (let sls = 0; sls < 16; sls++) ours.send(SI.ISUP, B, sls, Uint8Array.of(sls, 0, 0x02));
    await until(() => userFrom(evFar).length === before + 16);
    cables[0].restore();
    await until(() => ours.linkStates()[0].mtp3 === 'available' && far.linkStates()[0].mtp3 === 'available');
  });

  test('TFP and TFA from the far end set the route state', async () => {
    const C = 0x050505;
    far.send(SI.SNM, A, 0, encodeManagement(CHINA_MTP3, { type: 'TFP', destination: C }));
    await until(() => evOurs.some((e) => e.type === 'route' && e.destination === C && !e.available));
    far.send(SI.SNM, A, 0, encodeManagement(CHINA_MTP3, { type: 'TFA', destination: C }));
    await until(() => evOurs.some((e) => e.type === 'route' && e.destination === C && e.available));
  });

  test('losing every link takes the link set and its routes down', async () => {
    cables[0].cut('LOS');
    cables[1].cut('LOS');
    await until(() => !ours.up);
    expect(evOurs).toContainEqual({ type: 'route', destination: B, available: false });
    expect(ours.send(SI.ISUP, B, 1, Uint8Array.of(1, 0, 1))).toBe(false);
    cables[0].restore();
    cables[1].restore();
    await until(() => ours.up && far.up);
  });
});
