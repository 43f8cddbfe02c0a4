/**
 * Bounded fuzz of the No.7 layers: mutated and random frames into MTP2, MTP3 and
 * ISUP. Every bad frame is a typed Ss7DecodeError (counted, dropped), nothing
 * throws out of an engine, and no circuit or call is left behind.
 */
import { Rng } from '../../../simulator/random';
import { Mtp2Wire } from '../../../simulator/ss7/mtp2-wire';
import { VirtualClock } from '../../core/clock';
import { IsupEngine, IsupEvent } from './isup/isup-engine';
import { encodeIsup, ISUP_MESSAGES, IsupMessageName } from './isup/isup-messages';
import { encodeCalledNumber, encodeCallingNumber, encodeCause, encodeRangeAndStatus } from './isup/isup-params';
import { encodeMsu } from './mtp2/signal-unit';
import { Mtp2Service, Mtp2ServiceEvent } from './mtp2/mtp2-service';
import { Mtp3Event, Mtp3Node } from './mtp3/mtp3-node';
import { CHINA_MTP3, encodeLabel, NI_NATIONAL, SI, sio } from './mtp3/routing-label';
import { Ss7DecodeError } from './ss7-errors';
import { TupEngine } from './tup/tup-engine';
import { encodeTup, TUP_MESSAGES, TupMessage, TupMessageName } from './tup/tup-messages';
import { UserPartEvent } from './user-part';

const ROUNDS = 10_000;

function mutate(rng: Rng, b: Uint8Array): Uint8Array {
  const r = rng.next();
  if (r < 0.15) return Uint8Array.from({ length: Math.floor(rng.next() * 300) }, () => Math.floor(rng.next() * 256));
  const out = Uint8Array.from(b);
  const flips = 1 + Math.floor(rng.next() * 3);
  for (let i = 0; i < flips && out.length; i++) out[Math.floor(rng.next() * out.length)] = Math.floor(rng.next() * 256);
  if (r < 0.3) return out.subarray(0, Math.floor(rng.next() * out.length));
  return out;
}

function sampleIsup(rng: Rng, cic: number): Uint8Array {
  const names = Object.keys(ISUP_MESSAGES) as IsupMessageName[];
  const type = names[Math.floor(rng.next() * names.length)];
  const def = ISUP_MESSAGES[type];
  const params: Record<string, Uint8Array> = {};
  for (const [name, len] of def.fixed) params[name] = Uint8Array.from({ length: len }, () => Math.floor(rng.next() * 256));
  for (const name of def.variable)
    params[name] =
      name === 'causeIndicators'
        ? encodeCause(16)
        : name === 'rangeAndStatus'
          ? encodeRangeAndStatus(1 + Math.floor(rng.next() * 8), [true, false, true, true, false, false, true, false])
          : encodeCalledNumber({ digits: '13800138000', nature: 'national' });
  if (def.optional && rng.next() < 0.5) params.callingPartyNumber = encodeCallingNumber({ digits: '075512345678', nature: 'national' });
  return encodeIsup({ type, cic, params });
}

describe('No.7 bounded fuzz', () => {
  test('MTP2: mutated and random signal units never crash the link; each bad one is a typed error', () => {
    const w = new Mtp2Wire('mtp2', { emergency: true });
    w.a.start(0);
    w.b.start(0);
    w.run(1_000);
    const errors: Ss7DecodeError[] = [];
    w.a.onEvent((e) => {
      if (e.type === 'error') errors.push(e.error);
    });
    const rng = new Rng('mtp2-fuzz');
    const valid = encodeMsu({ bsn: 127, bib: 1, fsn: 0, fib: 1 }, Uint8Array.of(0x85, 1, 2, 3, 4, 5, 6, 7, 8));
    for (let i = 0; i < ROUNDS; i++) {
      expect(() => w.a.receive(mutate(rng, valid), w.now)).not.toThrow();
      if (i % 100 === 0) w.run(5);
    }
    expect(errors.length).toBeGreaterThan(ROUNDS / 20);
    expect(errors.every((e) => e instanceof Ss7DecodeError && e.layer === 'mtp2')).toBe(true);
    // Whatever the garbage did to it, the link restores itself.
    w.run(120_000);
    expect([w.a.state, w.b.state]).toEqual(['in-service', 'in-service']);
  });

  test('MTP3 and ISUP: garbage MSUs are typed errors; every offered call is released and every circuit is idle after a group reset', () => {
    const clock = new VirtualClock(0);
    let deliver: ((ev: Mtp2ServiceEvent) => void) | undefined;
    const link: Mtp2Service = {
      name: 'fuzz',
      inService: true,
      state: 'in-service',
      lastAcceptedFsn: 0,
      start: () => undefined,
      stop: () => undefined,
      send: () => true,
      retrieve: () => ({ sent: [], waiting: [] }),
      close: () => undefined,
      onEvent: (l) => {
        deliver = l;
        return () => undefined;
      },
    };
    const A = 0x010101;
    const B = 0x020202;
    const mtp3 = new Mtp3Node({ variant: CHINA_MTP3, ni: NI_NATIONAL, opc: A, adjacent: B, links: [link], clock });
    const cics = Array.from({ length: 31 }, (_, i) => i + 1).filter((c) => c !== 16);
    const isup = new IsupEngine({ transport: { send: () => true }, labelOctets: 7, cics, clock, higherPointCode: false });
    const mtp3Errors: Ss7DecodeError[] = [];
    const isupEvents: IsupEvent[] = [];
    mtp3.onEvent((e: Mtp3Event) => {
      if (e.type === 'error') mtp3Errors.push(e.error);
      if (e.type === 'user' && e.si === SI.ISUP) isup.receive(e.sif);
    });
    isup.onEvent((e) => isupEvents.push(e));
    const rng = new Rng('isup-fuzz');
    const label = encodeLabel(CHINA_MTP3, { dpc: A, opc: B, sls: 1 });
    const wrap = (body: Uint8Array) => Uint8Array.of(sio(SI.ISUP, NI_NATIONAL), ...label, ...body);
    for (let i = 0; i < ROUNDS; i++) {
      const cic = cics[Math.floor(rng.next() * cics.length)];
      const good = sampleIsup(rng, cic);
      // Half intact (random legal messages in random order), half mutated after the label.
      const body = rng.next() < 0.5 ? good : mutate(rng, good);
      const frame = rng.next() < 0.1 ? mutate(rng, wrap(body)) : wrap(body);
      expect(() => deliver!({ type: 'msu', payload: frame })).not.toThrow();
      if (i % 50 === 0) clock.advance(1_000);
    }
    const isupErrors = isupEvents.filter((e): e is Extract<IsupEvent, { type: 'error' }> => e.type === 'error');
    expect(isupErrors.length).toBeGreaterThan(100);
    expect(isupErrors.every((e) => e.error instanceof Ss7DecodeError && e.error.layer === 'isup')).toBe(true);
    expect(mtp3Errors.every((e) => e.layer === 'mtp3')).toBe(true);
    // The far end resets every circuit (as after a fault): nothing may stay behind.
    for (const [first, count] of [
      [1, 15],
      [17, 15],
    ])
      deliver!({
        type: 'msu',
        payload: wrap(encodeIsup({ type: 'GRS', cic: first, params: { rangeAndStatus: encodeRangeAndStatus(count) } })),
      });
    clock.advance(1_000);
    expect([...isup.circuits.values()].filter((c) => c.state !== 'idle' || c.hasCall).map((c) => `${c.cic}:${c.state}`)).toEqual([]);
    const offered = isupEvents.filter((e) => e.type === 'offered').length;
    const released = isupEvents.filter((e) => e.type === 'released').length;
    expect(offered).toBeGreaterThan(10);
    expect(released).toBeGreaterThanOrEqual(offered);
  });

  test('TUP: mutated messages are typed errors; every circuit is idle and every call released after a group reset', () => {
    const clock = new VirtualClock(0);
    const cics = Array.from({ length: 31 }, (_, i) => i + 1).filter((c) => c !== 16);
    const A = 0x010101;
    const B = 0x020202;
    const tup = new TupEngine({ variant: CHINA_MTP3, opc: A, dpc: B, send: () => true, cics, clock, higherPointCode: false });
    const events: UserPartEvent[] = [];
    tup.onEvent((e) => events.push(e));
    const rng = new Rng('tup-fuzz');
    const names = Object.keys(TUP_MESSAGES) as TupMessageName[];
    for (let i = 0; i < ROUNDS; i++) {
      const type = names[Math.floor(rng.next() * names.length)];
      const m: TupMessage = {
        type,
        cic: cics[Math.floor(rng.next() * cics.length)],
        digits: '13800138000',
        category: 0x0a,
        nature: 2,
        range: Math.floor(rng.next() * 8),
        status: [true, false, true],
        acm: { kind: 1, subscriberFree: true },
        request: 3,
      };
      const good = encodeTup(CHINA_MTP3, A, B, m);
      expect(() => tup.receive(rng.next() < 0.5 ? good : mutate(rng, good))).not.toThrow();
      if (i % 50 === 0) clock.advance(1_000);
    }
    const errors = events.filter((e): e is Extract<UserPartEvent, { type: 'error' }> => e.type === 'error');
    expect(errors.length).toBeGreaterThan(100);
    expect(errors.every((e) => e.error.layer === 'tup')).toBe(true);
    for (const [first, count] of [
      [1, 15],
      [17, 15],
    ])
      tup.receive(encodeTup(CHINA_MTP3, A, B, { type: 'GRS', cic: first, range: count - 1 }));
    expect([...tup.circuits.values()].filter((c) => c.state !== 'idle' || c.hasCall).map((c) => `${c.cic}:${c.state}`)).toEqual([]);
    const offered = events.filter((e) => e.type === 'offered').length;
    expect(offered).toBeGreaterThan(10);
    expect(events.filter((e) => e.type === 'released').length).toBeGreaterThanOrEqual(offered);
  });
});
