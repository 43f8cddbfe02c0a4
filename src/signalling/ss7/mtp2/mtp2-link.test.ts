import { decodeSignalUnit, encodeLssu } from './signal-unit';
import { Mtp2Event } from './mtp2-link';
import { Mtp2Wire } from '../../../../simulator/ss7/mtp2-wire';

function events(link: Mtp2Wire['a']): Mtp2Event[] {
  const out: Mtp2Event[] = [];
  link.onEvent((e) => out.push(e));
  return out;
}
const msu = (n: number) => Uint8Array.of(0x85, n & 0xff, n >> 8, 0xaa);
const delivered = (evs: Mtp2Event[]) =>
  evs.filter((e): e is Extract<Mtp2Event, { type: 'msu' }> => e.type === 'msu').map((e) => e.payload[1] | (e.payload[2] << 8));

describe.each(['mtp2', 'dchan'] as const)('MTP2 link, DAHDI %s mode', (mode) => {
  test('aligns with normal proving in T4n and exchanges MSUs in order', () => {
    const w = new Mtp2Wire(mode);
    const evB = events(w.b);
    w.a.start(0);
    w.b.start(0);
    w.run(8_000);
    expect(w.a.state).toBe('proving');
    w.run(1_000);
    expect([w.a.state, w.b.state]).toEqual(['in-service', 'in-service']);
    for (let i = 0; i < 300; i++) w.a.send(msu(i), w.now);
    w.run(100);
    expect(delivered(evB)).toEqual(Array.from({ length: 300 }, (_, i) => i));
    expect(w.a.backlog).toBe(0);
  });

  test('emergency proving aligns in about half a second', () => {
    const w = new Mtp2Wire(mode, { emergency: true }, {});
    w.a.start(0);
    w.b.start(0);
    w.run(600);
    expect([w.a.state, w.b.state]).toEqual(['in-service', 'in-service']);
  });

  test('a lost MSU is retransmitted after the negative acknowledgement and delivered once', () => {
    const w = new Mtp2Wire(mode, { emergency: true });
    const evB = events(w.b);
    w.a.start(0);
    w.b.start(0);
    w.run(1_000);
    let dropped = false;
    w.dropFromA = (su) => {
      const d = decodeSignalUnit(su);
      if (!dropped && d.kind === 'msu' && d.payload[1] === 3) return (dropped = true);
      return false;
    };
    for (let i = 0; i < 6; i++) w.a.send(msu(i), w.now);
    w.run(50);
    w.a.send(msu(6), w.now); // in mtp2 mode the gap shows at the next SU from A
    w.run(200);
    expect(delivered(evB)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(w.a.counters.retransmitted).toBeGreaterThan(0);
    expect(w.a.state).toBe('in-service');
  });
});

describe('MTP2 link failure and restoration', () => {
  test('T7 fails the link when acknowledgements stop, and it realigns once the line is back', () => {
    const w = new Mtp2Wire('dchan', { emergency: true });
    const evA = events(w.a);
    w.a.start(0);
    w.b.start(0);
    w.run(1_000);
    w.cut = true;
    w.a.send(msu(1), w.now);
    w.run(1_300);
    expect(evA).toContainEqual({ type: 'out-of-service', reason: 'T7 expired (no acknowledgement)' });
    expect(w.a.state).not.toBe('in-service');
    w.cut = false;
    w.run(60_000);
    expect([w.a.state, w.b.state]).toEqual(['in-service', 'in-service']);
  });

  test('SIOS in service fails the link; stop() keeps it down', () => {
    const w = new Mtp2Wire('mtp2', { emergency: true });
    w.a.start(0);
    w.b.start(0);
    w.run(1_000);
    w.b.stop(w.now);
    w.run(10);
    expect(w.a.lastFailure).toBe('SIOS received in service');
    w.run(5_000);
    expect(w.b.state).toBe('out-of-service');
    expect(w.a.state).toBe('not-aligned');
    w.b.start(w.now);
    w.run(1_000);
    expect([w.a.state, w.b.state]).toEqual(['in-service', 'in-service']);
  });

  test('SUERM: 64 errored signal units fail the link; a few do not', () => {
    const w = new Mtp2Wire('mtp2', { emergency: true });
    const evA = events(w.a);
    w.a.start(0);
    w.b.start(0);
    w.run(1_000);
    for (let i = 0; i < 10; i++) w.a.receive(Uint8Array.of(1, 2), w.now);
    expect(w.a.state).toBe('in-service');
    expect(evA.filter((e) => e.type === 'error')).toHaveLength(10);
    for (let i = 0; i < 54; i++) w.a.receiveError(w.now);
    expect(w.a.lastFailure).toBe('SUERM threshold (error rate)');
  });

  test('AERM: errors while proving restart proving; five failed provings give up', () => {
    const w = new Mtp2Wire('mtp2');
    w.a.start(0);
    w.b.start(0);
    w.run(100);
    expect(w.a.state).toBe('proving');
    for (let i = 0; i < 4 * 6; i++) w.a.receiveError(w.now);
    expect(w.a.lastFailure).toBe('proving failed 5 times');
  });

  test('T2: a silent peer makes alignment impossible', () => {
    const w = new Mtp2Wire('mtp2');
    w.a.start(0);
    w.run(50_001);
    expect(w.a.lastFailure).toBe('T2 expired (alignment not possible)');
  });

  test('SIB from the peer holds T7 off until T6', () => {
    const w = new Mtp2Wire('mtp2', { emergency: true });
    w.a.start(0);
    w.b.start(0);
    w.run(1_000);
    w.cut = true;
    w.a.send(msu(1), w.now);
    w.a.receive(encodeLssu({ bsn: 127, bib: 1, fsn: 127, fib: 1 }, 'SIB'), w.now);
    w.run(4_000);
    expect(w.a.state).toBe('in-service');
    w.run(1_100);
    expect(w.a.lastFailure).toBe('T6 expired (remote congestion)');
  });
});
