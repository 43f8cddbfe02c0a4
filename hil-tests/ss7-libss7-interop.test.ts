/**
 * Independent check of our MTP2, MTP3 and ISUP (ITU variant): libss7 2.0, a real
 * SS7 stack, on the other end of the signalling link. Link up, then a basic call
 * each way and its clearing; then our China variant (24-bit labels) against the same
 * libss7 through a relay that rewrites the routing label.
 */
import { systemClock } from '../src/core/clock';
import { Q850 } from '../src/core/q850';
import { Span } from '../src/controller/span';
import { TrunkGroup } from '../src/controller/trunk-group';
import { CHINA_MTP3, ITU_MTP3 } from '../src/signalling/ss7/mtp3/routing-label';
import { chinaCicPlan, openNo7Span } from '../src/signalling/ss7/no7-stack';
import { No7SpanSignalling } from '../src/signalling/ss7/no7-span-signalling';
import { Libss7Peer } from '../test-support/libss7/libss7-peer';
import { ChinaItuLabelRelay } from '../test-support/libss7/label-relay';
import { MemoryDChannelLink } from '../simulator/ports/memory-dchannel';
import { until } from './pri-harness';

const OURS = 1;
const THEIRS = 2;

describe('our ITU MTP2/MTP3/ISUP against libss7 2.0', () => {
  let peer: Libss7Peer;
  let signalling: No7SpanSignalling;
  let group: TrunkGroup;
  let span: Span;

  beforeAll(() => {
    peer = new Libss7Peer(THEIRS, OURS, process.env.LIBSS7_DEBUG ? { log: (l) => process.stderr.write('LIBSS7 ' + l) } : {});
    peer.onEvent((ev) => {
      if (process.env.LIBSS7_DEBUG) process.stderr.write(`EVENT ${ev.type}\n`);
    });
    // libss7's side of each call: acknowledge resets, answer our IAMs, complete releases.
    peer.onEvent((ev) => {
      if (ev.type === 'grs') peer.gra(ev.call, ev.endcic);
      else if (ev.type === 'iam') {
        peer.acm(ev.call);
        setTimeout(() => peer.anm(ev.call), 50);
      } else if (ev.type === 'rel') peer.rlc(ev.call);
    });
    signalling = openNo7Span({
      kind: 'ss7-isup',
      variant: ITU_MTP3,
      opc: OURS,
      dpc: THEIRS,
      circuits: chinaCicPlan(0),
      clock: systemClock,
      links: [{ name: 'libss7 link', transport: peer.ours, mode: 'mtp2' }],
    });
    span = new Span(1, signalling, { clock: systemClock });
    group = new TrunkGroup([span], { clock: systemClock });
  });
  afterAll(async () => {
    await signalling?.close();
    peer?.close();
  });

  test('the link aligns and MTP3 comes up at both ends; libss7 acknowledges our group resets', async () => {
    const t0 = Date.now();
    expect(await group.whenReady(10_000)).toBe(true);
    await until(() => peer.events.some((e) => e.type === 'up'), 10_000);
    await until(() => signalling.settled, 5_000);
    expect(group.idleChannels()).toBe(30);
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  test('we call libss7: it sees our called and calling numbers, answers, and completes our release', async () => {
    const res = await group.dial({ number: '13800138000', callerId: '075512345678' });
    expect(res.outcome).toBe('answered');
    expect(peer.events.find((e) => e.type === 'iam')).toMatchObject({ cic: 31, called: '13800138000', calling: '075512345678' });
    res.call!.hangup();
    await expect(res.call!.ended).resolves.toMatchObject({ cause: Q850.NORMAL_CLEARING, by: 'local' });
    await until(() => peer.events.some((e) => e.type === 'rel' && e.cic === 31));
    await until(() => group.idleChannels() === 30 && signalling.heldCalls === 0);
  });

  test('libss7 calls us: the IAM is offered with its numbers, we answer, libss7 clears and we complete', async () => {
    const offered: string[] = [];
    span.onIncoming = (call) => {
      offered.push(`${call.number}/${call.callerId}`);
      span.accept(call);
    };
    const call = peer.call(1, OURS, '4008001234', '13912345678');
    await until(() => peer.events.some((e) => e.type === 'anm' && e.cic === 1));
    expect(offered).toEqual(['4008001234/13912345678']);
    peer.rel(call, Q850.NORMAL_CLEARING);
    await until(() => peer.events.some((e) => e.type === 'rlc' && e.cic === 1));
    await until(() => group.idleChannels() === 30 && signalling.heldCalls === 0);
  });
});

describe('our China ISUP against libss7 through a label-translating relay', () => {
  const CHINA_OURS = 0x010101; // 1-1-1
  const CHINA_THEIRS = 0x020202; // 2-2-2
  let peer: Libss7Peer;
  let relay: ChinaItuLabelRelay;
  let signalling: No7SpanSignalling;
  let group: TrunkGroup;
  let cable: MemoryDChannelLink;

  beforeAll(() => {
    peer = new Libss7Peer(THEIRS, OURS);
    peer.onEvent((ev) => {
      if (ev.type === 'grs') peer.gra(ev.call, ev.endcic);
      else if (ev.type === 'iam') {
        peer.acm(ev.call);
        setTimeout(() => peer.anm(ev.call), 50);
      } else if (ev.type === 'rel') peer.rlc(ev.call);
    });
    cable = new MemoryDChannelLink();
    relay = new ChinaItuLabelRelay(
      cable.b,
      peer.ours,
      new Map([
        [CHINA_OURS, OURS],
        [CHINA_THEIRS, THEIRS],
      ]),
    );
    signalling = openNo7Span({
      kind: 'ss7-isup',
      variant: CHINA_MTP3,
      opc: CHINA_OURS,
      dpc: CHINA_THEIRS,
      circuits: chinaCicPlan(0),
      clock: systemClock,
      links: [{ name: 'to relay', transport: cable.a, mode: 'mtp2' }],
    });
    group = new TrunkGroup([new Span(1, signalling, { clock: systemClock })], { clock: systemClock });
  });
  afterAll(async () => {
    await signalling?.close();
    relay?.close();
    peer?.close();
  });

  test('24-bit labels on our side, libss7 on the other: link test, group resets and a call complete', async () => {
    expect(await group.whenReady(20_000)).toBe(true);
    await until(() => signalling.settled, 5_000);
    const res = await group.dial({ number: '13800138000', callerId: '075512345678' });
    expect(res.outcome).toBe('answered');
    expect(peer.events.find((e) => e.type === 'iam')).toMatchObject({ called: '13800138000', calling: '075512345678' });
    res.call!.hangup();
    await expect(res.call!.ended).resolves.toMatchObject({ cause: Q850.NORMAL_CLEARING });
    await until(() => group.idleChannels() === 30 && signalling.heldCalls === 0);
    expect(relay.relayed.toItu).toBeGreaterThan(5);
    expect(relay.relayed.toChina).toBeGreaterThan(5);
  }, 40_000);
});
