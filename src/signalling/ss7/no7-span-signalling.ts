import { Clock } from '../../core/clock';
import { InputError } from '../../core/errors';
import { rateLimitedLogger } from '../../core/log-limiter';
import { Logger, silentLogger } from '../../core/logger';
import { Q850 } from '../../core/q850';
import { OutboundSetup, SignallingCall, SignallingEvent, SignallingLinkStatus, SpanSignalling } from '../span-signalling';
import { Mtp3Node } from './mtp3/mtp3-node';
import { CircuitUserPart, UserPartEvent } from './user-part';
import { Emitter, Unsubscribe } from '../../core/emitter';

export interface No7SpanOptions {
  kind: 'ss7-isup' | 'ss7-tup';
  mtp3: Mtp3Node;
  userPart: CircuitUserPart;
  /** The point code the span's circuits lead to. */
  dpc: number;
  /** Bearer channel -> CIC. */
  circuits: ReadonlyMap<number, number>;
  clock: Clock;
  logger?: Logger;
}

interface Held {
  token: SignallingCall;
  direction: 'outbound' | 'inbound';
}

/**
 * A span's calls over China No.7 (or ITU): MTP3 carries the user part's
 * messages; the user part's per-circuit events become the shared
 * SignallingEvents, so the controller cannot tell No.7 from PRI or R2.
 */
export class No7SpanSignalling implements SpanSignalling {
  readonly kind: 'ss7-isup' | 'ss7-tup';
  readonly bearerChannels: readonly number[];
  private readonly channelOfCic = new Map<number, number>();
  private readonly held = new Map<number, Held>();
  private readonly events = new Emitter<[ev: SignallingEvent]>((err) => this.logger.error('event listener failed', { error: String(err) }));
  private readonly logger: Logger;
  private up = false;
  private seq = 0;
  private closed = false;

  constructor(private readonly opts: No7SpanOptions) {
    this.kind = opts.kind;
    this.logger = rateLimitedLogger(opts.logger ?? silentLogger).child({ no7: opts.kind });
    this.bearerChannels = [...opts.circuits.keys()].sort((a, b) => a - b);
    for (const [ch, cic] of opts.circuits) this.channelOfCic.set(cic, ch);
    opts.userPart.onEvent((ev) => this.onUserPart(ev));
    opts.mtp3.onEvent((ev) => {
      if (this.closed) return;
      if (ev.type === 'user' && ev.si === opts.userPart.serviceIndicator && ev.label.opc === opts.dpc) opts.userPart.receive(ev.sif);
      else if (ev.type === 'route' && ev.destination === opts.dpc) this.routeChanged(ev.available);
      else if (ev.type === 'error') this.logger.debug('MTP3 dropped a message', { error: ev.error.message });
    });
  }

  get linkUp(): boolean {
    return this.up;
  }

  onEvent(listener: (ev: SignallingEvent) => void): Unsubscribe {
    return this.events.on(listener);
  }

  setup(channel: number, setup: OutboundSetup): SignallingCall {
    const cic = this.opts.circuits.get(channel);
    if (cic === undefined) throw new InputError('no7 setup', `channel ${channel} is not a bearer channel of this span`);
    if (!/^[0-9]{1,24}$/.test(setup.number))
      throw new InputError('dial.number', `'${setup.number}' cannot be sent over No.7 (1-24 digits 0-9)`);
    if (setup.callerId !== undefined && !/^[0-9]{0,24}$/.test(setup.callerId))
      throw new InputError('dial.callerId', `'${setup.callerId}' is not 0-24 digits`);
    const token: SignallingCall = { id: ++this.seq };
    if (!this.up || this.held.has(channel) || !this.opts.userPart.available(cic)) {
      // Taken by the far end in the meantime, or blocked: refuse so the dial tries another channel.
      this.opts.clock.setTimer(0, () =>
        this.emit({ type: 'released', call: token, cause: Q850.REQUESTED_CHANNEL_UNAVAILABLE, by: 'remote' }),
      );
      return token;
    }
    this.held.set(channel, { token, direction: 'outbound' });
    this.opts.userPart.setup(cic, setup.number, setup.callerId || undefined);
    return token;
  }

  /** Incoming call: tell the caller the called party is ringing (ACM). */
  alert(call: SignallingCall): void {
    const cic = this.cicOf(call);
    if (cic !== undefined) this.opts.userPart.alert(cic);
  }

  alerting(call: SignallingCall): void {
    this.alert(call);
  }

  answer(call: SignallingCall): void {
    const cic = this.cicOf(call);
    if (cic !== undefined) this.opts.userPart.answer(cic);
  }

  hangup(call: SignallingCall, cause: number): void {
    const cic = this.cicOf(call);
    if (cic !== undefined) this.opts.userPart.release(cic, cause);
  }

  resetChannel(channel: number): void {
    const cic = this.opts.circuits.get(channel);
    if (cic !== undefined && this.up) this.opts.userPart.reset(cic);
  }

  /** Maintenance blocking of one circuit towards the far end. */
  block(channel: number): void {
    const cic = this.opts.circuits.get(channel);
    if (cic !== undefined) this.opts.userPart.block(cic);
  }

  unblock(channel: number): void {
    const cic = this.opts.circuits.get(channel);
    if (cic !== undefined) this.opts.userPart.unblock(cic);
  }

  linkStatus(): SignallingLinkStatus {
    return {
      links: this.opts.mtp3.linkStates().map((l) => ({ name: l.name, state: `${l.mtp2}/${l.mtp3}` })),
      route: this.up ? 'available' : 'unavailable',
      blockedChannels: [...this.opts.circuits].filter(([, cic]) => !this.opts.userPart.inService(cic)).length,
    };
  }

  /** The link is up and every circuit reset sent since has been acknowledged. */
  get settled(): boolean {
    return this.up && this.opts.userPart.resetsPending === 0;
  }

  /** Calls the signalling still holds (0 once everything has cleared). */
  get heldCalls(): number {
    return this.held.size;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.opts.userPart.dropAll();
    this.opts.mtp3.close();
    this.events.clear();
  }

  private routeChanged(available: boolean): void {
    if (available === this.up) return;
    this.up = available;
    if (available) {
      this.emit({ type: 'link-up' });
      // Circuits come into service as the far end acknowledges the group resets (GRA).
      this.opts.userPart.resetAll();
      return;
    }
    this.opts.userPart.dropAll();
    // The controller clears its calls on link-down; ours are gone with them.
    this.held.clear();
    this.emit({ type: 'link-down', reason: 'MTP3: route to the far end unavailable' });
  }

  private cicOf(call: SignallingCall): number | undefined {
    for (const [channel, h] of this.held) if (h.token === call) return this.opts.circuits.get(channel);
    return undefined;
  }

  private onUserPart(ev: UserPartEvent): void {
    if (this.closed) return;
    if (ev.type === 'error') {
      this.logger.debug('user part dropped a message', { error: ev.error.message });
      return;
    }
    const channel = this.channelOfCic.get(ev.cic);
    if (channel === undefined) return;
    const held = this.held.get(channel);
    switch (ev.type) {
      case 'circuit':
        if (!this.up) return;
        return this.emit(
          ev.available
            ? { type: 'channel-in-service', channel }
            : { type: 'channel-out-of-service', channel, reason: 'blocked by the far end' },
        );
      case 'offered': {
        const token: SignallingCall = { id: ++this.seq };
        this.held.set(channel, { token, direction: 'inbound' });
        return this.emit({ type: 'offered', call: token, channel, number: ev.number ?? '', callerId: ev.callerId });
      }
      case 'released':
        if (!held) return;
        this.held.delete(channel);
        return this.emit({ type: 'released', call: held.token, cause: ev.cause, by: ev.by });
      default:
        // Progress and answer matter only for our own calls (an inbound answer is ours to give).
        if (!held || held.direction !== 'outbound') return;
        if (ev.type === 'alerting' || ev.type === 'progress') return this.emit({ type: ev.type, call: held.token, inbandAudio: true });
        return this.emit({ type: ev.type, call: held.token });
    }
  }

  private emit(ev: SignallingEvent): void {
    this.events.emit(ev);
  }
}
