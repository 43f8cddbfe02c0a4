import { VirtualClock } from '../core/clock';
import { Q850 } from '../core/q850';
import { DEFAULT_RETRY_RULES, retryVerdict } from '../campaign/retry-rules';
import { OutboundSetup, SignallingCall, SignallingEvent, SpanSignalling } from '../signalling/span-signalling';
import { Span } from './span';
import { TrunkGroup } from './trunk-group';

/** A far end that answers each outbound setup as the test scripted for its channel. */
class ScriptedFarEnd implements SpanSignalling {
  readonly kind = 'pri-cpe' as const;
  readonly bearerChannels = [1, 2, 3];
  linkUp = true;
  /** Channel -> the cause the far end releases a setup on it with, or 'answer'. */
  readonly script = new Map<number, number | 'answer'>();
  readonly setups: number[] = [];
  private listener: ((ev: SignallingEvent) => void) | undefined;
  private seq = 0;
  onEvent(listener: (ev: SignallingEvent) => void): () => void {
    this.listener = listener;
    return () => (this.listener = undefined);
  }
  setup(channel: number, _setup: OutboundSetup): SignallingCall {
    const call = { id: ++this.seq };
    this.setups.push(channel);
    const what = this.script.get(channel) ?? Q850.USER_BUSY;
    queueMicrotask(() =>
      this.listener!(what === 'answer' ? { type: 'answered', call } : { type: 'released', call, cause: what, by: 'remote' }),
    );
    return call;
  }
  answer(): void {}
  hangup(): void {}
  resetChannel(): void {}
  async close(): Promise<void> {}
}

function group() {
  const clock = new VirtualClock();
  const far = new ScriptedFarEnd();
  const span = new Span(1, far, { clock });
  for (const ch of span.channels) ch.apply('restore');
  return { far, span, group: new TrunkGroup([span], { clock }) };
}

describe('TrunkGroup: a channel refused by the far end', () => {
  it('tries another channel, and the call goes through on it', async () => {
    const { far, group: g } = group();
    far.script.set(3, Q850.REQUESTED_CHANNEL_UNAVAILABLE).set(2, 'answer');
    const r = await g.dial({ number: '13800138000' });
    expect(r).toMatchObject({ outcome: 'answered', channel: 2, attempts: 2 });
  });

  it.each([
    ['cause 44 on every channel', Q850.REQUESTED_CHANNEL_UNAVAILABLE],
    ['cause 6 on every channel', Q850.CHANNEL_UNACCEPTABLE],
  ])('%s, none left: no free channel (keeping the cause), not congestion', async (_, cause) => {
    const { far, span, group: g } = group();
    for (const ch of far.bearerChannels) far.script.set(ch, cause);
    const r = await g.dial({ number: '13800138000' });
    expect(far.setups).toEqual([3, 2, 1]);
    expect(r).toMatchObject({ outcome: 'no_free_channel', cause, attempts: 3 });
    expect(span.idleCount()).toBe(3);
  });

  it('a refusal when no other channel is idle is no free channel too', async () => {
    const { far, span, group: g } = group();
    far.script.set(3, Q850.REQUESTED_CHANNEL_UNAVAILABLE);
    // Channels 1 and 2 are on other calls.
    far.script.set(2, 'answer').set(1, 'answer');
    const busy1 = await g.dial({ number: '13800138001' });
    expect(busy1.channel).toBe(2);
    const busy2 = await g.dial({ number: '13800138002' });
    expect(busy2.channel).toBe(1);
    const r = await g.dial({ number: '13800138000' });
    expect(r).toMatchObject({ outcome: 'no_free_channel', cause: Q850.REQUESTED_CHANNEL_UNAVAILABLE, channel: 3, attempts: 1 });
    expect(span.idleCount()).toBe(1);
  });

  it("the network's own congestion (cause 34) is congestion at once, on one channel", async () => {
    const { far, group: g } = group();
    far.script.set(3, Q850.NO_CIRCUIT_AVAILABLE);
    const r = await g.dial({ number: '13800138000' });
    expect(r).toMatchObject({ outcome: 'congestion', cause: Q850.NO_CIRCUIT_AVAILABLE, attempts: 1 });
    expect(far.setups).toEqual([3]);
  });

  it('a campaign gives a refused attempt back and tries again in seconds; congestion counts against the number', async () => {
    const { far, group: g } = group();
    for (const ch of far.bearerChannels) far.script.set(ch, Q850.REQUESTED_CHANNEL_UNAVAILABLE);
    const refused = await g.dial({ number: '13800138000' });
    // Even on what would be its last attempt, the number is not written off for a channel's refusal.
    const last = DEFAULT_RETRY_RULES.congestion!.maxAttempts;
    expect(retryVerdict(DEFAULT_RETRY_RULES, refused.outcome as 'no_free_channel', last, 0)).toEqual({
      retry: true,
      at: 5000,
      counts: false,
    });
    expect(retryVerdict(DEFAULT_RETRY_RULES, 'congestion', last, 0)).toEqual({ retry: false });
  });
});
