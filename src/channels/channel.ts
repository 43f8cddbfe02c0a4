import { Clock } from '../core/clock';
import { HistoryEntry, StateMachine, TransitionTable } from '../core/state-machine';

/**
 * A bearer channel as the controller sees it, whatever the signalling.
 *
 * state           event       next             why
 * out-of-service  restore     idle             link up / RESTART ACK / unblocked
 * idle            dial        dialing          controller sent a setup
 * idle            offer       offered          far end offered a call
 * dialing         glare       offered          far end offered a call on the channel we picked
 * dialing..alert  proceeding/alerting/progress  (forward only)
 * dialing..offer  answer/accept connected
 * any active      hangup      releasing        we started clearing
 * any active      released    idle             clearing finished (either side)
 * any             fault       out-of-service   link down, alarm, remote reset
 */
export type ChannelState = 'out-of-service' | 'idle' | 'dialing' | 'proceeding' | 'alerting' | 'offered' | 'connected' | 'releasing';
export type ChannelEvent =
  'restore' | 'fault' | 'dial' | 'offer' | 'glare' | 'proceeding' | 'alerting' | 'progress' | 'answer' | 'accept' | 'hangup' | 'released';

export const CHANNEL_TRANSITIONS: TransitionTable<ChannelState, ChannelEvent> = {
  'out-of-service': { restore: 'idle', fault: 'out-of-service', released: 'out-of-service' },
  idle: { dial: 'dialing', offer: 'offered', fault: 'out-of-service', restore: 'idle' },
  dialing: {
    proceeding: 'proceeding',
    alerting: 'alerting',
    progress: 'dialing',
    answer: 'connected',
    glare: 'offered',
    hangup: 'releasing',
    released: 'idle',
    fault: 'out-of-service',
  },
  proceeding: {
    proceeding: 'proceeding',
    alerting: 'alerting',
    progress: 'proceeding',
    answer: 'connected',
    hangup: 'releasing',
    released: 'idle',
    fault: 'out-of-service',
  },
  alerting: {
    alerting: 'alerting',
    progress: 'alerting',
    answer: 'connected',
    hangup: 'releasing',
    released: 'idle',
    fault: 'out-of-service',
  },
  offered: { accept: 'connected', hangup: 'releasing', released: 'idle', fault: 'out-of-service' },
  connected: { hangup: 'releasing', released: 'idle', fault: 'out-of-service', progress: 'connected' },
  releasing: {
    hangup: 'releasing',
    released: 'idle',
    fault: 'out-of-service',
    progress: 'releasing',
    answer: 'releasing',
    alerting: 'releasing',
    proceeding: 'releasing',
  },
};

export const BUSY_STATES: ReadonlySet<ChannelState> = new Set(['dialing', 'proceeding', 'alerting', 'offered', 'connected', 'releasing']);

export class Channel {
  private readonly fsm: StateMachine<ChannelState, ChannelEvent>;
  /** Id of the controller call that holds this channel, if any. */
  owner: string | undefined;

  constructor(
    readonly span: number,
    readonly number: number,
    clock: Clock,
  ) {
    this.fsm = new StateMachine(`span ${span} channel ${number}`, CHANNEL_TRANSITIONS, 'out-of-service', { clock, historySize: 12 });
  }

  get state(): ChannelState {
    return this.fsm.state;
  }

  get isIdle(): boolean {
    return this.fsm.state === 'idle';
  }

  can(event: ChannelEvent): boolean {
    return this.fsm.can(event);
  }

  apply(event: ChannelEvent, note?: string): ChannelState {
    const to = this.fsm.transition(event, note);
    if (to === 'idle' || to === 'out-of-service') this.owner = undefined;
    return to;
  }

  history(): HistoryEntry<ChannelState, ChannelEvent>[] {
    return this.fsm.history();
  }
}
