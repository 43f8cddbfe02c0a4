import { VirtualClock } from '../core/clock';
import { OutboundSetup, SignallingCall, SignallingEvent, SpanSignalling } from '../signalling/span-signalling';
import { Span } from './span';
import { TrunkGroup } from './trunk-group';

/** A signalling module driven by the test: it sends what the test tells it to. */
class ScriptedSignalling implements SpanSignalling {
  readonly kind = 'pri-cpe' as const;
  readonly bearerChannels = [1, 2];
  linkUp = true;
  private listener: ((ev: SignallingEvent) => void) | undefined;
  private seq = 0;
  onEvent(listener: (ev: SignallingEvent) => void): () => void {
    this.listener = listener;
    return () => (this.listener = undefined);
  }
  send(ev: SignallingEvent): void {
    this.listener!(ev);
  }
  setup(_channel: number, _setup: OutboundSetup): SignallingCall {
    return { id: ++this.seq };
  }
  answer(): void {}
  hangup(): void {}
  resetChannel(): void {}
  async close(): Promise<void> {}
}

describe('Span and call progress out of order', () => {
  it('a CALL PROCEEDING after ALERTING leaves the channel alerting, is counted, and the call goes on', () => {
    const clock = new VirtualClock();
    const sig = new ScriptedSignalling();
    const span = new Span(1, sig, { clock });
    for (const ch of span.channels) ch.apply('restore');
    const ch = span.hunt()!;
    const call = span.placeCall(ch, { number: '13800138000' });
    sig.send({ type: 'alerting', call: call.token, inbandAudio: true });
    sig.send({ type: 'proceeding', call: call.token });
    expect(ch.state).toBe('alerting');
    expect(span.outOfOrderEvents).toBe(1);
    sig.send({ type: 'answered', call: call.token });
    expect(ch.state).toBe('connected');
    sig.send({ type: 'alerting', call: call.token, inbandAudio: true });
    expect(ch.state).toBe('connected');
    expect(span.outOfOrderEvents).toBe(2);
  });

  it('tells who answered when the line says, once', () => {
    const clock = new VirtualClock();
    const sig = new ScriptedSignalling();
    const span = new Span(1, sig, { clock });
    for (const ch of span.channels) ch.apply('restore');
    const call = span.placeCall(span.hunt()!, { number: '13800138000' });
    const seen: string[] = [];
    call.on((ev) => seen.push(ev.type === 'answered-by' ? `answered-by ${ev.by}` : ev.type));
    sig.send({ type: 'answered', call: call.token, answeredByWithinMs: 5000 });
    expect(call.answeredByDueAt).toBe(clock.now() + 5000);
    sig.send({ type: 'answered-by', call: call.token, by: 'machine', reason: 'LONGGREETING' });
    sig.send({ type: 'answered-by', call: call.token, by: 'person' });
    expect(call.answeredBy).toBe('machine');
    expect(seen).toEqual(['answered', 'answered-by machine']);
  });
});

describe('Span and channels the far end holds unseen', () => {
  it('neither hunts nor counts idle a channel the signalling says is not free, and takes it back when it is', () => {
    const clock = new VirtualClock();
    const sig = new ScriptedSignalling();
    const held = new Set<number>([2]);
    const withHeld = Object.assign(sig, { channelFree: (n: number) => !held.has(n) });
    const span = new Span(1, withHeld, { clock });
    for (const ch of span.channels) ch.apply('restore');
    expect(span.idleCount()).toBe(1);
    expect(span.hunt()!.number).toBe(1);
    expect(span.hunt(new Set([1]))).toBeUndefined();
    held.clear();
    expect(span.idleCount()).toBe(2);
    expect(span.hunt()!.number).toBe(2);
  });
});

describe('TrunkGroup.whenReady: every channel in service, calls or not', () => {
  it('is not ready before the channels are restored, nor while one is blocked by the far end or the link is down', async () => {
    const clock = new VirtualClock();
    const sig = new ScriptedSignalling();
    const held = new Set<number>([2]);
    const span = new Span(1, Object.assign(sig, { channelFree: (n: number) => !held.has(n) }), { clock });
    const group = new TrunkGroup([span], { clock });
    const notYet = group.whenReady(100);
    clock.advance(100);
    expect(await notYet).toBe(false);
    for (const ch of span.channels) ch.apply('restore');
    const blocked = group.whenReady(100);
    clock.advance(100);
    expect(await blocked).toBe(false);
    held.clear();
    sig.linkUp = false;
    const down = group.whenReady(100);
    clock.advance(100);
    expect(await down).toBe(false);
    sig.linkUp = true;
    const ready = group.whenReady(100);
    clock.advance(10);
    expect(await ready).toBe(true);
  });

  it('is ready while a call holds a channel (a nailed-up agent leg); a faulted channel is not in service', async () => {
    const clock = new VirtualClock();
    const sig = new ScriptedSignalling();
    const span = new Span(1, sig, { clock });
    for (const ch of span.channels) ch.apply('restore');
    const call = span.placeCall(span.hunt()!, { number: '13900000002' });
    sig.send({ type: 'answered', call: call.token });
    expect(span.idleCount()).toBe(1);
    const group = new TrunkGroup([span], { clock });
    const ready = group.whenReady(100);
    clock.advance(10);
    expect(await ready).toBe(true);
    // A channel taken out of service by a fault is not, call or no call.
    span.channels[1].apply('fault');
    const faulted = group.whenReady(100);
    clock.advance(100);
    expect(await faulted).toBe(false);
  });
});
