import { Q850 } from '../../core/q850';
import { ALAW_SILENCE } from '../../../drivers/ports/cas-port';
import { R2ChannelEvent } from './r2-channel';
import { BackToBack } from '../../../test-support/r2/r2-test-rig';
import { CHINA, resolveVariant } from './variants';

const released = (evs: R2ChannelEvent[]) => evs.find((e): e is Extract<R2ChannelEvent, { type: 'released' }> => e.type === 'released');
const faults = (evs: R2ChannelEvent[]) => evs.flatMap((e) => (e.type === 'fault' ? [e.error.fault] : []));
const L = CHINA.line;

describe('R2 circuit faults and maintenance', () => {
  it('seize-acknowledge timeout releases with cause 44 and leaves the circuit idle', () => {
    const r = new BackToBack({ handPlayedB: true });
    r.a.seize('12345678');
    r.run(CHINA.timers.seizeAckMs + 100);
    expect(faults(r.eventsA)).toContain('seize-ack-timeout');
    expect(released(r.eventsA)).toMatchObject({ cause: Q850.REQUESTED_CHANNEL_UNAVAILABLE, by: 'local' });
    expect(r.a.isIdle).toBe(true);
    expect(r.a.nextDeadline()).toBeUndefined();
    r.close();
  });

  it('MF timeout: a far end that acknowledges the seizure but never answers a digit', () => {
    const r = new BackToBack({ handPlayedB: true });
    r.a.seize('13812345678');
    r.run(5);
    r.far.port.setTxBits(L.backward.seizeAck);
    r.run(CHINA.timers.mfCycleMs + 500);
    expect(faults(r.eventsA)).toContain('mf-timeout');
    r.far.port.setTxBits(L.backward.idle); // release guard
    r.run(100);
    expect(released(r.eventsA)).toMatchObject({ cause: Q850.RECOVERY_ON_TIMER_EXPIRY, by: 'local' });
    expect(r.a.isIdle).toBe(true);
    r.close();
  });

  it('an MF signal the variant does not define gets cause 111, not a crash', () => {
    const r = new BackToBack({ handPlayedB: true });
    r.a.seize('13812345678');
    r.run(5);
    r.far.port.setTxBits(L.backward.seizeAck);
    r.run(100);
    r.far.tone.set(2); // A2: not a China group A signal
    r.run(200);
    r.far.tone.set(0);
    r.run(200);
    expect(faults(r.eventsA)).toContain('unexpected-signal');
    expect(r.traceText()).toMatch(/A2 undefined/);
    r.far.port.setTxBits(L.backward.idle);
    r.run(100);
    expect(released(r.eventsA)).toMatchObject({ cause: Q850.PROTOCOL_ERROR });
    expect(r.a.isIdle).toBe(true);
    r.close();
  });

  it('with a recognition time, a line hit shorter than it is no signal; a longer one is', () => {
    const variant = resolveVariant('china', { timers: { lineRecognitionMs: 20 } }, 'r2');
    const r = new BackToBack({ handPlayedB: true, variant });
    r.far.port.setTxBits(0b0111); // meaningless on an idle circuit, for 10 ms only
    r.run(12);
    r.far.port.setTxBits(L.backward.idle);
    r.run(40);
    expect(faults(r.eventsA)).toEqual([]);
    expect(r.a.state).toBe('idle');
    r.far.port.setTxBits(0b0111); // now held
    r.run(40);
    expect(faults(r.eventsA)).toContain('unexpected-bits');
    r.close();
  });

  it('an undefined bit pattern takes the idle circuit out of service until the line is idle again', () => {
    const r = new BackToBack({ handPlayedB: true });
    r.far.port.setTxBits(0b0111); // "answer" on an idle circuit: meaningless
    r.run(10);
    expect(faults(r.eventsA)).toContain('unexpected-bits');
    expect(r.a.state).toBe('fault');
    expect(r.eventsA.at(-1)).toMatchObject({ type: 'out-of-service' });
    r.far.port.setTxBits(L.backward.idle);
    r.run(10);
    expect(r.a.state).toBe('idle');
    expect(r.eventsA.at(-1)).toEqual({ type: 'in-service' });
    r.close();
  });

  it('release guard timeout: released, then out of service until the far end goes idle', () => {
    const r = new BackToBack({ handPlayedB: true });
    r.a.seize('13812345678');
    r.run(5);
    r.far.port.setTxBits(L.backward.seizeAck);
    r.run(100);
    r.a.hangup(Q850.NORMAL_CLEARING);
    r.run(CHINA.timers.releaseGuardTimeoutMs + 100);
    expect(faults(r.eventsA)).toContain('release-guard-timeout');
    expect(released(r.eventsA)).toMatchObject({ cause: Q850.NORMAL_CLEARING, by: 'local' });
    expect(r.eventsA.at(-1)).toMatchObject({ type: 'out-of-service' });
    r.far.port.setTxBits(L.backward.idle);
    r.run(10);
    expect(r.a.isIdle).toBe(true);
    expect(r.eventsA.at(-1)).toEqual({ type: 'in-service' });
    r.close();
  });

  it('a seizure that arrives during the release guard is taken once the circuit is idle', () => {
    const r = new BackToBack();
    let calls = 0;
    r.b.on((ev) => {
      if (ev.type !== 'offered') return;
      calls++;
      if (calls === 1) r.b.decide('idle');
      else r.b.answer();
    });
    r.a.seize('13812345678');
    r.runUntil(() => r.eventsA.some((e) => e.type === 'alerting'));
    // The backward end gives up the ringing call; the forward end re-seizes at once.
    r.a.on((ev) => ev.type === 'released' && r.a.seize('87654321'));
    r.b.hangup(Q850.NO_ANSWER);
    r.runUntil(() => r.eventsA.some((e) => e.type === 'answered'));
    expect(released(r.eventsA)).toMatchObject({ cause: Q850.NO_ANSWER, by: 'remote' });
    expect(r.eventsB.filter((e) => e.type === 'offered')).toHaveLength(2);
    r.close();
  });

  it('blocking and unblocking from either end', () => {
    const r = new BackToBack();
    r.b.block();
    r.run(10);
    expect(r.a.state).toBe('blocked-remote');
    r.b.unblock();
    r.run(10);
    expect(r.a.state).toBe('idle');
    expect(r.types(r.eventsA)).toEqual(['out-of-service', 'in-service']);
    // A locally blocked circuit refuses a seizure (no acknowledge) and is not seized.
    r.a.block();
    r.run(10);
    expect(r.b.state).toBe('blocked-remote');
    r.a.unblock();
    r.run(10);
    expect(r.b.state).toBe('idle');
    r.close();
  });

  it('glare: both ends seize; the yielding end takes the other call, which completes', () => {
    const r = new BackToBack({ a: { glare: 'yield' }, b: { glare: 'hold' } });
    r.a.on((ev) => ev.type === 'offered' && r.a.answer());
    r.a.seize('11111111');
    r.b.seize('22222222', '333');
    r.runUntil(() => r.eventsB.some((e) => e.type === 'answered'));
    expect(r.types(r.eventsA)).toEqual(['glare', 'offered', 'answered']);
    expect(r.eventsA.find((e) => e.type === 'offered')).toMatchObject({ call: { dnis: '22222222', ani: '333' } });
    r.b.hangup();
    r.runUntil(() => !!released(r.eventsA));
    r.run(200);
    expect(r.a.isIdle && r.b.isIdle).toBe(true);
    r.close();
  });

  it('forced release by the backward end mid-register, and by the forward end after answer', () => {
    const r = new BackToBack();
    r.a.seize('13812345678', '075512345678');
    r.run(600);
    r.b.forceRelease();
    r.runUntil(() => !!released(r.eventsA) && !!released(r.eventsB));
    expect(released(r.eventsA)?.by).toBe('remote');
    r.run(200);
    expect(r.a.isIdle && r.b.isIdle).toBe(true);

    const r2 = new BackToBack();
    r2.b.on((ev) => ev.type === 'offered' && r2.b.answer());
    r2.a.seize('87654321');
    r2.runUntil(() => r2.eventsA.some((e) => e.type === 'answered'));
    r2.a.forceRelease(Q850.NORMAL_CLEARING);
    r2.runUntil(() => !!released(r2.eventsA) && !!released(r2.eventsB));
    expect(r2.a.isIdle && r2.b.isIdle).toBe(true);
    r.close();
    r2.close();
  });

  it('timeouts never leak: every failed call leaves both ends idle with no engine timer pending', () => {
    const variant = resolveVariant('china', { timers: { answerMs: 3000 } });
    const r = new BackToBack({ variant });
    r.b.on((ev) => ev.type === 'offered' && r.b.decide('idle')); // rings, never answered
    r.a.seize('13812345678', '1');
    r.runUntil(() => !!released(r.eventsA) && !!released(r.eventsB));
    expect(released(r.eventsA)).toMatchObject({ cause: Q850.NO_ANSWER });
    r.run(500);
    expect(r.a.isIdle && r.b.isIdle).toBe(true);
    expect(r.a.nextDeadline()).toBeUndefined();
    expect(r.b.nextDeadline()).toBeUndefined();
    r.close();
  });

  it('the ITU variant runs the same engine (A5 category/ANI, I-15 end of number, A6 no group B)', () => {
    const itu = resolveVariant('itu');
    const r = new BackToBack({ variant: itu });
    r.b.on((ev) => ev.type === 'offered' && r.b.answer());
    r.a.seize('4321', '5678');
    r.runUntil(() => r.eventsA.some((e) => e.type === 'answered'));
    expect(r.eventsB.find((e) => e.type === 'offered')).toMatchObject({ call: { dnis: '4321', ani: '5678' } });
    expect(r.traceText()).toMatch(/I-15 end of called number/);
    expect(r.trace.find((e) => e.kind === 'line')).toMatchObject({ bits: '0001' });
    r.a.hangup();
    r.runUntil(() => !!released(r.eventsB));
    r.close();
  });

  it('silence is A-law 0xD5', () => {
    expect(ALAW_SILENCE).toBe(0xd5);
  });
});
