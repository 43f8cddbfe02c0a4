/**
 * China TUP procedures between two engines in virtual time: group blocking sent as
 * MGB/HGB (and unblocking) with their acknowledgements and repeats, single-circuit
 * blocking repeated until acknowledged, and GRQ/GSM for the caller's number. Messages
 * cross through a queue we drain, so a test can also drop what one side sends.
 */
import { VirtualClock } from '../../../core/clock';
import { CHINA_MTP3 } from '../mtp3/routing-label';
import { UserPartEvent } from '../user-part';
import { TupEngine, TupEngineOptions } from './tup-engine';
import { decodeTup, encodeTup } from './tup-messages';

const A = 0x010101;
const B = 0x020202;
const CICS = [1, 2, 3, 4, 5, 6, 7, 8];

function pair(opts: { a?: Partial<TupEngineOptions>; b?: Partial<TupEngineOptions> } = {}) {
  const clock = new VirtualClock(0);
  const wire: { to: 'a' | 'b'; sif: Uint8Array }[] = [];
  const sent: { from: 'a' | 'b'; type: string; cic: number; range?: number; status?: boolean[]; request?: number }[] = [];
  const drop = { a: false, b: false };
  const mk = (me: 'a' | 'b') =>
    new TupEngine({
      variant: CHINA_MTP3,
      opc: me === 'a' ? A : B,
      dpc: me === 'a' ? B : A,
      send: (sif) => {
        const m = decodeTup(CHINA_MTP3, sif);
        sent.push({ from: me, type: m.type, cic: m.cic, range: m.range, status: m.status, request: m.request });
        if (!drop[me]) wire.push({ to: me === 'a' ? 'b' : 'a', sif });
        return true;
      },
      cics: CICS,
      clock,
      higherPointCode: me === 'b',
      ...opts[me],
    });
  const a = mk('a');
  const b = mk('b');
  const evA: UserPartEvent[] = [];
  const evB: UserPartEvent[] = [];
  a.onEvent((e) => evA.push(e));
  b.onEvent((e) => evB.push(e));
  const flush = () => {
    while (wire.length) {
      const m = wire.shift()!;
      (m.to === 'a' ? a : b).receive(m.sif);
    }
  };
  const advance = (ms: number) => {
    flush();
    for (let t = 0; t < ms; t += 100) {
      clock.advance(100);
      flush();
    }
  };
  return { a, b, evA, evB, sent, flush, advance, drop };
}

describe('China TUP group blocking sent by us (GRM: MGB/MGU, HGB/HGU)', () => {
  test('MGB blocks the circuits of the range at the far end; MBA blocks them here; MGU/MUA undo it', () => {
    const p = pair();
    p.a.blockGroup(2, 4);
    p.flush();
    expect(p.sent.map((s) => [s.from, s.type, s.cic, s.range])).toEqual([
      ['a', 'MGB', 2, 3],
      ['b', 'MBA', 2, 3],
    ]);
    for (const cic of [2, 3, 4, 5]) {
      expect(p.b.available(cic)).toBe(false); // remotely blocked: the far end takes no call out on it
      expect(p.a.inService(cic)).toBe(false); // locally blocked, acknowledged
    }
    expect(p.a.available(1)).toBe(true);
    expect(p.a.available(6)).toBe(true);
    expect(p.evA.filter((e) => e.type === 'circuit').map((e) => e.type === 'circuit' && [e.cic, e.available])).toEqual([
      [2, false],
      [3, false],
      [4, false],
      [5, false],
    ]);
    p.a.blockGroup(2, 4, { block: false });
    p.flush();
    expect(p.sent.slice(-2).map((s) => [s.from, s.type])).toEqual([
      ['a', 'MGU'],
      ['b', 'MUA'],
    ]);
    for (const cic of [2, 3, 4, 5]) expect(p.a.available(cic) && p.b.available(cic)).toBe(true);
    expect(p.a.blockingPending).toBe(0);
  });

  test('HGB (hardware failure) with only the configured circuits of the range marked in the status', () => {
    const p = pair();
    p.a.blockGroup(7, 4, { kind: 'hardware' }); // CICs 7-10: only 7 and 8 exist here
    p.flush();
    expect(p.sent[0]).toMatchObject({ type: 'HGB', cic: 7, range: 3, status: [true, true, false, false] });
    expect(p.sent[1]).toMatchObject({ type: 'HBA', cic: 7, range: 3, status: [true, true, false, false] });
    expect(p.a.inService(7) || p.a.inService(8)).toBe(false);
  });

  test('without an acknowledgement the group message is sent again every T-blockAck; a later MGU replaces a pending MGB', () => {
    const p = pair();
    p.drop.b = true;
    p.a.blockGroup(1, 2);
    p.advance(15_100);
    expect(p.sent.filter((s) => s.from === 'a').map((s) => s.type)).toEqual(['MGB', 'MGB']);
    expect(p.a.inService(1)).toBe(true); // not acknowledged: not taken as blocked here
    p.a.blockGroup(1, 2, { block: false });
    p.drop.b = false;
    p.advance(31_000);
    expect(p.sent.filter((s) => s.from === 'a').map((s) => s.type)).toEqual(['MGB', 'MGB', 'MGU']);
    expect(p.a.blockingPending).toBe(0);
  });

  test('single-circuit BLO is repeated until BLA, then the circuit is reported blocked', () => {
    const p = pair();
    p.drop.b = true;
    p.a.block(3);
    p.advance(15_100);
    p.drop.b = false;
    p.advance(15_000);
    expect(p.sent.filter((s) => s.type === 'BLO')).toHaveLength(3);
    expect(p.sent.filter((s) => s.type === 'BLA').length).toBeGreaterThanOrEqual(1);
    expect(p.a.blockingPending).toBe(0);
    expect(p.evA).toContainEqual({ type: 'circuit', cic: 3, available: false });
    const before = p.sent.length;
    p.advance(30_000);
    expect(p.sent.length).toBe(before); // acknowledged: nothing more
  });

  test('a group is 1-32 circuits', () => {
    expect(() => pair().a.blockGroup(1, 33)).toThrow(RangeError);
  });
});

describe('China TUP GRQ/GSM: asking who is calling', () => {
  test('an IAM without CLI is met with GRQ; the call is offered with the number the GSM gives', () => {
    const p = pair({ b: { requestCli: true } });
    p.a.circuits.get(4)!.setup('13800138000'); // IAM: the exchange sent no CLI
    p.flush();
    expect(p.sent.map((s) => [s.from, s.type])).toEqual([
      ['a', 'IAM'],
      ['b', 'GRQ'],
      ['a', 'GSM'],
    ]);
    expect(p.sent[1].request).toBe(0x03); // category and CLI requested
    // a's circuit had no CLI either: the GSM carries the category only.
    expect(p.evB).toContainEqual({ type: 'offered', cic: 4, number: '13800138000', callerId: undefined });
  });

  test('the GSM carries the CLI the originating circuit knows', () => {
    const p = pair({ b: { requestCli: true } });
    // a knows the caller, but what reaches b is a bare IAM (as an exchange that sends IAMs delivers it).
    p.drop.a = true;
    p.a.setup(5, '13800138000', '075512345678');
    p.drop.a = false;
    p.b.receive(encodeIam(5, '13800138000'));
    p.flush();
    expect(p.sent.filter((s) => s.from === 'b').map((s) => s.type)).toEqual(['GRQ']);
    expect(p.evB).toContainEqual({ type: 'offered', cic: 5, number: '13800138000', callerId: '075512345678' });
  });

  test('no GSM within T-gsm: the call is offered without the caller number', () => {
    const p = pair({ b: { requestCli: true } });
    p.drop.a = true;
    p.b.receive(encodeIam(6, '13800138000'));
    p.advance(9_900);
    expect(p.evB.some((e) => e.type === 'offered')).toBe(false);
    p.advance(200);
    expect(p.evB).toContainEqual({ type: 'offered', cic: 6, number: '13800138000', callerId: undefined });
  });

  test('an IAI (CLI included) is offered at once, no GRQ', () => {
    const p = pair({ b: { requestCli: true } });
    p.a.setup(7, '13800138000', '075512345678');
    p.flush();
    expect(p.sent.map((s) => s.type)).toEqual(['IAI']);
    expect(p.evB).toContainEqual({ type: 'offered', cic: 7, number: '13800138000', callerId: '075512345678' });
  });
});

/** An IAM from A to B (no CLI), as the wire carries it. */
function encodeIam(cic: number, digits: string): Uint8Array {
  return encodeTup(CHINA_MTP3, B, A, { type: 'IAM', cic, category: 0x0a, nature: 2, digits });
}
