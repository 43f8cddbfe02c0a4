import { VirtualClock } from '../core/clock';
import { StateTransitionError } from '../core/errors';
import { Channel, CHANNEL_TRANSITIONS, ChannelState } from './channel';

describe('Channel state machine', () => {
  const clock = new VirtualClock();

  it('walks an outbound call from idle to connected and back', () => {
    const ch = new Channel(1, 31, clock);
    ch.apply('restore');
    ch.owner = 'call-1';
    for (const ev of ['dial', 'proceeding', 'alerting', 'answer', 'hangup', 'released'] as const) ch.apply(ev);
    expect(ch.state).toBe('idle');
    expect(ch.owner).toBeUndefined();
  });

  it('refuses to dial a channel that is out of service or already busy', () => {
    const ch = new Channel(1, 1, clock);
    expect(() => ch.apply('dial')).toThrow(StateTransitionError);
    ch.apply('restore');
    ch.apply('dial');
    expect(() => ch.apply('dial')).toThrow(/event 'dial' is not allowed in state 'dialing'/);
  });

  it('lets a fault take any state out of service, and only restore bring it back', () => {
    for (const state of Object.keys(CHANNEL_TRANSITIONS) as ChannelState[]) {
      expect(CHANNEL_TRANSITIONS[state].fault).toBe('out-of-service');
    }
    expect(
      Object.entries(CHANNEL_TRANSITIONS)
        .filter(([, t]) => t.restore === 'idle')
        .map(([s]) => s)
        .sort(),
    ).toEqual(['idle', 'out-of-service']);
  });

  it('keeps a short diagnostic history', () => {
    const ch = new Channel(2, 5, clock);
    ch.apply('restore');
    ch.apply('offer');
    ch.apply('accept');
    expect(ch.history().map((h) => `${h.from}>${h.to}`)).toEqual(['out-of-service>idle', 'idle>offered', 'offered>connected']);
  });
});
