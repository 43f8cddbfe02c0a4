/**
 * Changeover buffer updating (Q.704 5.4): when a link fails, only the MSUs the far end
 * had not accepted (FSN after the one its COO/COA carries) go again on the other link.
 */
import type { SignallingLinkPort } from '../../../../drivers/ports/signalling-link';
import { MemoryDChannelLink } from '../../../../simulator/ports/memory-dchannel';
import { systemClock } from '../../../core/clock';
import { msusAfter, RetrievedMsus } from '../mtp2/error-correction';
import { Mtp2HdlcLink } from '../mtp2/mtp2-hdlc-link';
import { Mtp3Event, Mtp3Node } from './mtp3-node';
import { CHINA_MTP3, NI_NATIONAL, SI } from './routing-label';

const until = async (cond: () => boolean, ms = 8000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
};

const msu = (n: number) => Uint8Array.of(0x85, n);
const retrieved = (fsns: number[], waiting = 0): RetrievedMsus => ({
  sent: fsns.map((fsn) => ({ fsn, payload: msu(fsn) })),
  waiting: Array.from({ length: waiting }, (_, i) => msu(200 + i)),
});
const names = (m: Uint8Array[]) => m.map((x) => x[1]);

describe('msusAfter: what goes again after a changeover', () => {
  test('the far end accepted part of the buffer: only the rest, then the never-sent ones', () => {
    expect(names(msusAfter(retrieved([10, 11, 12, 13]), 11))).toEqual([12, 13]);
    expect(names(msusAfter(retrieved([10, 11, 12, 13], 2), 11))).toEqual([12, 13, 200, 201]);
  });
  test('it accepted all of them, or none (its FSN is the one before our first)', () => {
    expect(names(msusAfter(retrieved([10, 11, 12]), 12))).toEqual([]);
    expect(names(msusAfter(retrieved([10, 11, 12]), 9))).toEqual([10, 11, 12]);
  });
  test('across the FSN wrap from 127 to 0', () => {
    expect(names(msusAfter(retrieved([126, 127, 0, 1]), 127))).toEqual([0, 1]);
    expect(names(msusAfter(retrieved([126, 127, 0, 1]), 0))).toEqual([1]);
    expect(names(msusAfter(retrieved([126, 127, 0, 1]), 125))).toEqual([126, 127, 0, 1]);
  });
  test('time-controlled changeover (no FSN from the far end): all of them', () => {
    expect(names(msusAfter(retrieved([10, 11], 1)))).toEqual([10, 11, 200]);
  });
});

/** One end of a cable that can stop hearing the far end (its acknowledgements lost), or stop being heard. */
class OneWayEnd implements SignallingLinkPort {
  deaf = false;
  constructor(private readonly inner: SignallingLinkPort) {}
  send(frame: Uint8Array): void {
    this.inner.send(frame);
  }
  receive(): Uint8Array | undefined {
    for (;;) {
      const f = this.inner.receive();
      if (f === undefined || !this.deaf) return f;
    }
  }
  onReadable(l: () => void) {
    return this.inner.onReadable(l);
  }
  onAlarm(l: (inAlarm: boolean, reason: string) => void) {
    return this.inner.onAlarm(l);
  }
  tap(l: Parameters<SignallingLinkPort['tap']>[0]) {
    return this.inner.tap(l);
  }
  close() {
    return this.inner.close();
  }
}

describe('changeover on a link set of two links (China variant, MTP2 both ends)', () => {
  const A = 0x0a141e;
  const B = 0x010203;
  let cables: MemoryDChannelLink[];
  let oursEnds: OneWayEnd[];
  let farEnds: OneWayEnd[];
  let ours: Mtp3Node;
  let far: Mtp3Node;
  let delivered: number[];

  beforeEach(async () => {
    cables = [new MemoryDChannelLink(), new MemoryDChannelLink()];
    oursEnds = cables.map((c) => new OneWayEnd(c.a));
    farEnds = cables.map((c) => new OneWayEnd(c.b));
    const node = (opc: number, adjacent: number, ends: OneWayEnd[], name: string) =>
      new Mtp3Node({
        variant: CHINA_MTP3,
        ni: NI_NATIONAL,
        opc,
        adjacent,
        links: ends.map(
          (transport, i) =>
            new Mtp2HdlcLink({ name: `${name}${i}`, transport, clock: systemClock, mode: 'mtp2', timers: { T4n: 300, restart: 200 } }),
        ),
        clock: systemClock,
        timers: { changeover: 300, changeback: 100 },
      });
    ours = node(A, B, oursEnds, 'a');
    far = node(B, A, farEnds, 'b');
    delivered = [];
    far.onEvent((e: Mtp3Event) => {
      if (e.type === 'user' && e.si === SI.ISUP) delivered.push(e.sif[CHINA_MTP3.labelOctets]);
    });
    ours.start();
    far.start();
    await until(() => ours.linkStates().every((l) => l.mtp3 === 'available') && far.linkStates().every((l) => l.mtp3 === 'available'));
  });
  afterEach(() => {
    ours.close();
    far.close();
  });

  /** 16 MSUs, SLS 0-15: the even ones ride link 0 (load sharing by SLS), numbered by SLS. */
  const sendAll = () => {
    for (let sls = 0; sls < 16; sls++) expect(ours.send(SI.ISUP, B, sls, Uint8Array.of(sls))).toBe(true);
  };

  test('the far end had accepted what link 0 carried (only its acks were lost): nothing goes twice', async () => {
    oursEnds[0].deaf = true;
    sendAll();
    await until(() => delivered.length === 16);
    cables[0].cut('LOS');
    await until(() => ours.linkStates()[0].mtp3 === 'down' && far.linkStates()[0].mtp3 === 'down');
    await until(() => ours.counters.changeovers === 1);
    await new Promise((r) => setTimeout(r, 500)); // past T2: anything resent has arrived
    expect([...delivered].sort((a, b) => a - b)).toEqual(Array.from({ length: 16 }, (_, i) => i));
    expect(ours.counters.timeControlledChangeovers).toBe(0);
    expect(ours.counters.rerouted).toBe(0);
  });

  test('the far end never received what link 0 carried: each of those goes once on link 1', async () => {
    farEnds[0].deaf = true;
    sendAll();
    await until(() => delivered.length === 8);
    cables[0].cut('LOS');
    await until(() => delivered.length === 16);
    await new Promise((r) => setTimeout(r, 500));
    expect([...delivered].sort((a, b) => a - b)).toEqual(Array.from({ length: 16 }, (_, i) => i));
    expect(ours.counters.rerouted).toBe(8);
    expect(ours.counters.timeControlledChangeovers).toBe(0);
  });
});
