import { describeWithFakeDahdi, until } from '../../test-support/dahdi/jest-preload';
import { SimulatedDahdi, SimSpan } from '../../simulator/dahdi/simulated-dahdi';
import { DAHDI } from './abi';
import { DahdiChannel } from './dahdi-channel';
import { DahdiCallError } from './errors';
import { DahdiEvent } from './events';

describeWithFakeDahdi('DahdiChannel over the simulated DAHDI', __filename, () => {
  let sim: SimulatedDahdi;
  const open: DahdiChannel[] = [];
  const openChan = (n: number, opts = {}) => {
    const c = DahdiChannel.open(n, opts);
    open.push(c);
    return c;
  };

  beforeEach(() => {
    sim = SimulatedDahdi.attach();
  });
  afterEach(() => {
    for (const c of open.splice(0)) c.close();
    sim.reset();
  });

  test('SPECIFY binds the descriptor and GET_PARAMS describes the channel', () => {
    const span = sim.addSpan('e1-cas');
    const ch = openChan(span.channels[0]);
    const p = ch.params();
    expect(p.channo).toBe(span.channels[0]);
    expect(p.spanno).toBe(span.spanno);
    expect(p.chanpos).toBe(1);
    expect(p.sigtype).toBe(DAHDI.SIG_CAS);
    expect(p.curlaw).toBe(DAHDI.LAW_ALAW);
    expect(p.name).toBe(`TPSIM/${span.spanno}/1`);
  });

  test('a channel that does not exist, or is already open, gives a typed error naming it', () => {
    const span = sim.addSpan('e1-cas');
    expect(() => DahdiChannel.open(999)).toThrow(/DAHDI_SPECIFY.*channel 999.*ENXIO/);
    openChan(span.channels[1]);
    let err: unknown;
    try {
      DahdiChannel.open(span.channels[1]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DahdiCallError);
    expect((err as DahdiCallError).message).toMatch(/EBUSY/);
  });

  test('CAS bits set on one end of a cable arrive at the other with a BITSCHANGED event', async () => {
    const a = sim.addSpan('e1-cas');
    const b = sim.addSpan('e1-cas');
    sim.connectSpans(a, b);
    const left = openChan(a.channels[0]);
    const right = openChan(b.channels[0]);
    const events: DahdiEvent[] = [];
    right.onEvent((ev) => events.push(ev));
    left.setTxBits(0b0011);
    await until(() => events.length > 0, 'BITSCHANGED');
    expect(events[0].type).toBe('bitschanged');
    expect(right.rxBits()).toBe(0b0011);
    expect(right.params().rxbits).toBe(0b0011);
    expect(() => left.setTxBits(16)).toThrow(/CAS bits 16/);
  });

  test('audio blocks written on one span arrive whole and in order on the other', async () => {
    const [a, b] = connectedPair('e1-ccs');
    const tx = openChan(a.bearers[0]);
    const rx = openChan(b.bearers[0]);
    const got: Uint8Array[] = [];
    rx.onData((d) => got.push(d));
    for (let i = 0; i < 10; i++) {
      expect(tx.writeAudio(new Uint8Array(160).fill(i + 1))).toBe(160);
      sim.advanceAudio(20);
      await until(() => got.length === i + 1, `block ${i}`);
    }
    expect(got.map((g) => g[0])).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(got.every((g) => g.length === 160 && g.every((x) => x === g[0]))).toBe(true);
  });

  test('IOMUX reports what is ready without waiting', () => {
    const [a, b] = connectedPair('e1-ccs');
    const tx = openChan(a.bearers[1]);
    const rx = openChan(b.bearers[1]);
    expect(rx.ready()).toEqual({ read: false, write: true, writeEmpty: true, event: false });
    tx.writeAudio(new Uint8Array(160));
    expect(tx.ready().writeEmpty).toBe(false);
    sim.advanceAudio(20);
    expect(rx.ready().read).toBe(true);
    sim.injectFault(b, 'RAI');
    expect(rx.ready().event).toBe(true);
  });

  test('a channel that disappears under its user reports REMOVED and closes', async () => {
    const span = sim.addSpan('e1-cas');
    const ch = DahdiChannel.open(span.bearers[0]);
    const events: DahdiEvent[] = [];
    ch.onEvent((e) => events.push(e));
    sim.reset();
    await until(() => events.some((e) => e.type === 'removed'), 'REMOVED');
    expect(() => ch.rxBits()).toThrow(/closed/);
  });

  function connectedPair(kind: 'e1-ccs' | 'e1-cas'): [SimSpan, SimSpan] {
    const a = sim.addSpan(kind);
    const b = sim.addSpan(kind);
    sim.connectSpans(a, b);
    return [a, b];
  }
});
