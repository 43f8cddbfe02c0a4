/**
 * Q.764 procedures between two ISUP engines in virtual time: timers, dual seizure,
 * suspend/resume, China's CCL, blocking. Messages cross through a queue we drain,
 * so a test can also drop what one side sends.
 */
import { VirtualClock } from '../../../core/clock';
import { Q850 } from '../../../core/q850';
import { UserPartEvent } from '../user-part';
import { IsupEngine, IsupEngineOptions } from './isup-engine';
import { decodeIsup, encodeIsup } from './isup-messages';
import { encodeCalledNumber, encodeSubsequentNumber } from './isup-params';

const LABEL = new Uint8Array(7); // the engines only skip it

function pair(opts: { aHigher?: boolean; a?: Partial<IsupEngineOptions>; b?: Partial<IsupEngineOptions> } = {}) {
  const clock = new VirtualClock(0);
  const wire: { to: 'a' | 'b'; body: Uint8Array }[] = [];
  const sent: { from: 'a' | 'b'; type: string }[] = [];
  let dropFromA = false;
  let dropFromB = false;
  const mk = (me: 'a' | 'b', higher: boolean) =>
    new IsupEngine({
      transport: {
        send: (_sls, body) => {
          sent.push({ from: me, type: decodeIsup(body).type });
          if ((me === 'a' && dropFromA) || (me === 'b' && dropFromB)) return true;
          wire.push({ to: me === 'a' ? 'b' : 'a', body });
          return true;
        },
      },
      labelOctets: 7,
      cics: [1, 2, 3, 4, 5],
      clock,
      higherPointCode: higher,
      ...opts[me],
    });
  const a = mk('a', opts.aHigher ?? false);
  const b = mk('b', !(opts.aHigher ?? false));
  const evA: UserPartEvent[] = [];
  const evB: UserPartEvent[] = [];
  a.onEvent((e) => evA.push(e));
  b.onEvent((e) => evB.push(e));
  const flush = () => {
    while (wire.length) {
      const m = wire.shift()!;
      (m.to === 'a' ? a : b).receive(Uint8Array.of(...LABEL, ...m.body));
    }
  };
  const advance = (ms: number) => {
    flush();
    for (let t = 0; t < ms; t += 100) {
      clock.advance(100);
      flush();
    }
  };
  return {
    a,
    b,
    evA,
    evB,
    sent,
    flush,
    advance,
    dropA: (v: boolean) => {
      dropFromA = v;
    },
    dropB: (v: boolean) => {
      dropFromB = v;
    },
  };
}

describe('ISUP call control (Q.764) between two engines', () => {
  test('a basic call: IAM, ACM, ANM, REL, RLC', () => {
    const p = pair();
    p.a.setup(1, '13800138000', '075512345678');
    p.flush();
    expect(p.evB).toContainEqual({ type: 'offered', cic: 1, number: '13800138000', callerId: '075512345678' });
    p.b.alert(1);
    p.b.answer(1);
    p.flush();
    expect(p.evA.map((e) => e.type)).toEqual(['alerting', 'answered']);
    p.a.release(1, Q850.NORMAL_CLEARING);
    p.flush();
    expect(p.evA.at(-1)).toEqual({ type: 'released', cic: 1, cause: 16, by: 'local' });
    expect(p.evB.at(-1)).toEqual({ type: 'released', cic: 1, cause: 16, by: 'remote' });
    expect(p.sent.map((s) => s.type)).toEqual(['IAM', 'ACM', 'ANM', 'REL', 'RLC']);
  });

  test('T7: no backward message releases with cause 102; T1 repeats REL; T5 gives up and resets the circuit', () => {
    const p = pair();
    p.dropB(true);
    p.a.setup(2, '123');
    p.advance(24_900);
    expect(p.sent.filter((s) => s.from === 'a').map((s) => s.type)).toEqual(['IAM']);
    p.advance(200);
    expect(p.sent.filter((s) => s.from === 'a').map((s) => s.type)).toEqual(['IAM', 'REL']);
    p.advance(15_000);
    expect(p.sent.filter((s) => s.type === 'REL' && s.from === 'a')).toHaveLength(2);
    p.advance(300_000);
    expect(p.evA).toContainEqual({ type: 'released', cic: 2, cause: Q850.RECOVERY_ON_TIMER_EXPIRY, by: 'local' });
    expect(p.sent.some((s) => s.from === 'a' && s.type === 'RSC')).toBe(true);
    p.dropB(false);
    p.advance(16_000); // the RSC is repeated (T16) and now answered
    expect(p.a.circuits.get(2)!.state).toBe('idle');
  });

  test('suspend without resume: T6 releases the call', () => {
    const p = pair();
    p.a.setup(3, '555');
    p.flush();
    p.b.answer(3);
    p.flush();
    p.b.receive(Uint8Array.of(...LABEL, ...encodeIsup({ type: 'SUS', cic: 3, params: { suspendResumeIndicators: Uint8Array.of(1) } })));
    // (delivered to b itself to put b's circuit in the suspended state as if a had sent it)
    p.advance(31_000);
    expect(p.evB.at(-1)).toEqual({ type: 'released', cic: 3, cause: Q850.RECOVERY_ON_TIMER_EXPIRY, by: 'local' });
    expect(p.evA.at(-1)).toMatchObject({ type: 'released', cic: 3, by: 'remote' });
  });

  test('China CCL: the caller hung up on an answered call; the called side clears', () => {
    const p = pair();
    p.a.setup(4, '666');
    p.flush();
    p.b.answer(4);
    p.flush();
    p.b.receive(Uint8Array.of(...LABEL, ...encodeIsup({ type: 'CCL', cic: 4, params: {} })));
    p.flush();
    expect(p.evB.at(-1)).toEqual({ type: 'released', cic: 4, cause: 16, by: 'local' });
    expect(p.b.circuits.get(4)!.state).toBe('idle');
  });

  test.each([
    [2, 'a'],
    [3, 'b'],
  ] as const)('dual seizure on CIC %d: the controlling end (%s) keeps its call, the other is told 44 and offered', (cic, winner) => {
    const p = pair({ aHigher: true }); // a controls even CICs, b odd ones
    p.a.setup(cic, '111');
    p.b.setup(cic, '222');
    p.flush();
    const [loserEv, winnerEv] = winner === 'a' ? [p.evB, p.evA] : [p.evA, p.evB];
    expect(loserEv).toContainEqual({ type: 'released', cic, cause: Q850.REQUESTED_CHANNEL_UNAVAILABLE, by: 'remote' });
    expect(loserEv).toContainEqual({ type: 'offered', cic, number: winner === 'a' ? '111' : '222', callerId: undefined });
    expect(winnerEv.filter((e) => e.type === 'offered')).toEqual([]);
  });

  test('blocking: BLO/BLA, and circuit group blocking with CGB/CGBA', () => {
    const p = pair();
    p.a.block(1);
    p.flush();
    expect([p.b.available(1), p.b.inService(1), p.a.circuits.get(1)!.localBlocked]).toEqual([false, false, true]);
    p.a.unblock(1);
    p.a.blockGroup(2, 3);
    p.flush();
    expect([2, 3, 4, 5].map((c) => p.b.inService(c))).toEqual([false, false, false, true]);
    expect([2, 3, 4].map((c) => p.a.circuits.get(c)!.localBlocked)).toEqual([true, true, true]);
    expect(p.b.inService(1)).toBe(true);
    expect(p.sent.map((s) => s.type)).toEqual(['BLO', 'BLA', 'UBL', 'CGB', 'UBA', 'CGBA']);
  });
});

describe('ISUP overlap address signalling (SAM) and call progress (CPG)', () => {
  test('overlap: the IAM carries the first digits, a SAM the rest with ST; the far end offers the call once, complete', () => {
    const p = pair({ a: { overlapSendIamDigits: 4 }, b: { overlapReceiveMinDigits: 20 } });
    p.a.setup(1, '13800138000', '075512345678');
    p.flush();
    expect(p.sent.map((s) => s.type)).toEqual(['IAM', 'SAM']);
    expect(p.evB.filter((e) => e.type === 'offered')).toEqual([
      { type: 'offered', cic: 1, number: '13800138000', callerId: '075512345678' },
    ]);
    p.b.answer(1);
    p.flush();
    expect(p.evA.map((e) => e.type)).toEqual(['alerting', 'answered']); // ACM (subscriber free) before the ANM
  });

  test('overlap receive: digits collected over several SAMs up to the expected length; T35 restarts on each', () => {
    const p = pair({ b: { overlapReceiveMinDigits: 11 } });
    const deliver = (type: 'IAM' | 'SAM', params: Parameters<typeof encodeIsup>[0]['params']) =>
      p.b.receive(Uint8Array.of(...LABEL, ...encodeIsup({ type, cic: 2, params })));
    deliver('IAM', {
      natureOfConnectionIndicators: Uint8Array.of(0),
      forwardCallIndicators: Uint8Array.of(0x60, 0x01),
      callingPartyCategory: Uint8Array.of(0x0a),
      transmissionMediumRequirement: Uint8Array.of(0),
      calledPartyNumber: encodeCalledNumber({ digits: '138', nature: 'national' }),
    });
    p.advance(10_000);
    deliver('SAM', { subsequentNumber: encodeSubsequentNumber('0013', false) });
    p.advance(10_000); // 20 s since the IAM, 10 s since the last SAM: still collecting
    expect(p.evB.some((e) => e.type === 'offered')).toBe(false);
    deliver('SAM', { subsequentNumber: encodeSubsequentNumber('8000', false) });
    expect(p.evB).toContainEqual({ type: 'offered', cic: 2, number: '13800138000', callerId: undefined });
  });

  test('overlap receive: no SAM within T35 releases the circuit with cause 28; nothing is offered', () => {
    const p = pair({ a: { overlapSendIamDigits: 3 }, b: { overlapReceiveMinDigits: 11 } });
    p.dropA(true);
    p.a.setup(3, '13800138000');
    p.dropA(false);
    // The IAM is lost with the SAM; resend just the IAM by hand.
    p.b.receive(
      Uint8Array.of(
        ...LABEL,
        ...encodeIsup({
          type: 'IAM',
          cic: 3,
          params: {
            natureOfConnectionIndicators: Uint8Array.of(0),
            forwardCallIndicators: Uint8Array.of(0x60, 0x01),
            callingPartyCategory: Uint8Array.of(0x0a),
            transmissionMediumRequirement: Uint8Array.of(0),
            calledPartyNumber: encodeCalledNumber({ digits: '138', nature: 'national' }),
          },
        }),
      ),
    );
    p.advance(14_000);
    expect(p.sent.filter((s) => s.from === 'b')).toEqual([]);
    p.advance(1_100);
    expect(p.sent.filter((s) => s.from === 'b').map((s) => s.type)).toEqual(['REL']);
    expect(p.evA).toContainEqual({ type: 'released', cic: 3, cause: Q850.INVALID_NUMBER_FORMAT, by: 'remote' });
    expect(p.evB.some((e) => e.type === 'offered' || e.type === 'released')).toBe(false);
    expect(p.b.circuits.get(3)!.state).toBe('idle');
  });

  test('an IAM with the whole number (or ST) is offered at once even with overlap receive on', () => {
    const p = pair({ b: { overlapReceiveMinDigits: 11 } });
    p.a.setup(4, '13800138000');
    p.flush();
    expect(p.evB).toContainEqual({ type: 'offered', cic: 4, number: '13800138000', callerId: undefined });
  });

  test('CPG: ACM with no indication, then CPG alerting and CPG in-band information, then ANM', () => {
    const p = pair();
    p.a.setup(5, '13800138000');
    p.flush();
    p.b.proceeding(5);
    p.flush();
    p.b.alert(5);
    p.b.alert(5); // once only
    p.b.progress(5);
    p.b.answer(5);
    p.flush();
    expect(p.sent.filter((s) => s.from === 'b').map((s) => s.type)).toEqual(['ACM', 'CPG', 'CPG', 'ANM']);
    expect(p.evA.map((e) => e.type)).toEqual(['proceeding', 'alerting', 'progress', 'answered']);
  });
});
