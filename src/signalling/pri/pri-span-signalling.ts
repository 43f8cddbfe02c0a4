import { PriInstance, PriRole } from '../../../drivers/libpri/pri-instance';
import { PriEvent } from '../../../drivers/libpri/pri-events';
import { Clock, TimerHandle } from '../../core/clock';
import { rateLimitedLogger } from '../../core/log-limiter';
import { Logger, silentLogger } from '../../core/logger';
import { Q850 } from '../../core/q850';
import { OutboundSetup, SignallingCall, SignallingEvent, SpanSignalling } from '../span-signalling';
import { libpriFreesOnHangup, PriCallRecord, PriCallTable } from './pri-call-table';
import { E1_BEARERS } from '../../core/timeslots';
import { checkDialledNumber, Q931_RULE } from '../../core/dialled-number';
import { Emitter, Unsubscribe } from '../../core/emitter';

export interface PriSpanOptions {
  logger?: Logger;
  /** For the RESTART ACKNOWLEDGE and layer-2 probe timers; by default the clock libpri's own timers follow. */
  clock?: Clock;
  /** Send RESTART for every idle channel when the D-channel comes up (CPE default: yes). */
  restartOnLinkUp?: boolean;
  /** How long to wait for RESTART ACKNOWLEDGE before trying again (ms, default 1000). */
  restartAckTimeoutMs?: number;
  /** While layer 2 is reported down without an alarm, how often to check it really is (ms, default 3000). */
  l2ProbeMs?: number;
}

/**
 * ISDN PRI (EuroISDN E1) as a span's signalling: the controller's requests become
 * libpri calls, libpri's events become SignallingEvents. Holds each libpri call
 * until libpri is done with it, so none is leaked or freed twice.
 *
 * Link up: channels are RESTARTed and reported in service as each is acknowledged.
 * Link down: every call is written off at once (the controller sees link-down);
 * libpri clears its own records of them and we free each as its event arrives.
 */
export class PriSpanSignalling implements SpanSignalling {
  readonly kind: 'pri-cpe' | 'pri-net';
  readonly bearerChannels = E1_BEARERS;
  /** Layer 2 as libpri reports it (DCHAN_UP / DCHAN_DOWN). */
  private l2Up = false;
  /** Layer-1 alarm on the span (LOS, AIS, ...), from the transport. */
  private alarm: string | undefined;
  /** What the controller was last told: l2Up and no alarm. */
  private up = false;
  private readonly calls: PriCallTable;
  private readonly events = new Emitter<[ev: SignallingEvent]>((err) =>
    this.logger.error('signalling event listener failed', { error: String(err) }),
  );
  private readonly logger: Logger;
  private readonly restarting = new Map<number, TimerHandle>();
  private readonly clock: Clock;
  /** Channels to restart once libpri has freed the call still on them. */
  private readonly restartWhenFree = new Set<number>();
  private closed = false;
  /** While layer 2 is reported down without a layer-1 alarm: the probe that asks whether it really is. */
  private l2Probe: TimerHandle | undefined;

  constructor(
    readonly pri: PriInstance,
    readonly role: PriRole,
    private readonly opts: PriSpanOptions = {},
  ) {
    this.kind = role === 'cpe' ? 'pri-cpe' : 'pri-net';
    this.logger = rateLimitedLogger(opts.logger ?? silentLogger);
    this.clock = opts.clock ?? pri.clock;
    this.calls = new PriCallTable(this.clock);
    pri.onEvent((ev) => this.onPriEvent(ev));
    pri.onTransportAlarm((inAlarm, reason) => {
      this.alarm = inAlarm ? reason : undefined;
      this.updateLink();
    });
  }

  get linkUp(): boolean {
    return this.up;
  }

  /** libpri calls still held (for leak checks). */
  get heldCalls(): number {
    return this.calls.size;
  }

  onEvent(listener: (ev: SignallingEvent) => void): Unsubscribe {
    return this.events.on(listener);
  }

  setup(channel: number, setup: OutboundSetup): SignallingCall {
    checkDialledNumber('dial.number', setup.number, Q931_RULE);
    checkDialledNumber('dial.callerId', setup.callerId ?? '', Q931_RULE, { optional: true });
    const ptr = this.pri.setup({ channel, called: setup.number, calling: setup.callerId });
    return this.calls.add(ptr, channel).token;
  }

  /** Network side only: CALL PROCEEDING for an offered call. */
  proceeding(call: SignallingCall): void {
    const rec = this.calls.get(call);
    if (!rec || rec.state === 'releasing') return;
    rec.apply('acknowledge', 'PROCEEDING');
    this.pri.proceeding(rec.ptr, rec.channel);
  }

  /** ALERTING (with in-band ringback) for an offered call. */
  alerting(call: SignallingCall): void {
    const rec = this.calls.get(call);
    if (!rec || rec.state === 'releasing') return;
    rec.apply('acknowledge', 'ALERTING');
    this.pri.alerting(rec.ptr, rec.channel, true);
  }

  /** Network side only: PROGRESS with in-band information (an announcement or tone in early media). */
  progress(call: SignallingCall): void {
    const rec = this.calls.get(call);
    if (!rec || rec.state === 'releasing') return;
    rec.apply('acknowledge', 'PROGRESS');
    this.pri.progress(rec.ptr, rec.channel, true);
  }

  answer(call: SignallingCall): void {
    const rec = this.calls.get(call);
    if (!rec || rec.state === 'releasing') return;
    rec.apply('answer', 'CONNECT sent');
    this.pri.answer(rec.ptr, rec.channel);
  }

  hangup(call: SignallingCall, cause: number): void {
    const rec = this.calls.get(call);
    if (!rec || rec.state === 'releasing') return;
    rec.clearing ??= { by: 'local', cause };
    const freedNow = libpriFreesOnHangup(rec, cause);
    if (rec.state === 'offered' && !freedNow) {
      // libpri sends nothing for DISCONNECT on a call it has not answered in any way:
      // acknowledge the SETUP first so the refusal reaches the far end.
      rec.apply('acknowledge', 'PROCEEDING before refusing');
      this.pri.proceeding(rec.ptr, rec.channel);
    }
    rec.apply('hangup', `cause ${cause}`);
    this.pri.hangup(rec.ptr, cause);
    if (freedNow) this.forget(rec, cause, 'local', true);
  }

  /**
   * Clears whatever is on a channel at once and RESTARTs it (what an exchange does
   * to a channel it considers out of step). Calls on it end with cause 41.
   */
  forceRestart(channel: number): void {
    for (const rec of this.calls.onChannel(channel)) {
      this.calls.remove(rec);
      this.pri.destroyCall(rec.ptr);
      this.emit({ type: 'released', call: rec.token, cause: Q850.TEMPORARY_FAILURE, by: 'local' });
    }
    if (this.up) this.pri.resetChannel(channel);
  }

  resetChannel(channel: number): void {
    if (!this.up) return;
    if (this.calls.onChannel(channel).length) {
      this.restartWhenFree.add(channel);
      return;
    }
    this.sendRestart(channel, 1);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.restarting.values()) t.cancel();
    this.restarting.clear();
    this.l2Probe?.cancel();
    this.events.clear();
    this.pri.close();
  }

  private emit(ev: SignallingEvent): void {
    this.events.emit(ev);
  }

  private sendRestart(channel: number, attempt: number): void {
    // An acknowledgement takes milliseconds; a RESTART lost while layer 2 re-establishes after an
    // alarm is sent again soon, so channels are back within 2 s of the line (was 4 s).
    const timeoutMs = this.opts.restartAckTimeoutMs ?? 1000;
    this.restarting.get(channel)?.cancel();
    this.pri.resetChannel(channel);
    this.restarting.set(
      channel,
      this.clock.setTimer(timeoutMs, () => {
        this.restarting.delete(channel);
        if (!this.up || this.closed) return;
        if (attempt < 8) {
          this.logger.warn('no RESTART ACKNOWLEDGE, sending RESTART again', { channel, attempt });
          this.sendRestart(channel, attempt + 1);
        } else {
          this.logger.error('channel stays out of service: RESTART never acknowledged', { channel });
        }
      }),
    );
  }

  /** Drops our record; tells the controller unless the call was written off already. */
  private forget(rec: PriCallRecord, cause: number, by: 'local' | 'remote', async = false): void {
    this.calls.remove(rec);
    const notify = () => {
      if (!rec.orphaned) this.emit({ type: 'released', call: rec.token, cause, by });
      if (this.restartWhenFree.delete(rec.channel) && this.up) this.sendRestart(rec.channel, 1);
    };
    // Never call back into the controller from inside its own hangup() call.
    if (async) queueMicrotask(notify);
    else notify();
  }

  private onPriEvent(ev: PriEvent): void {
    switch (ev.type) {
      case 'dchan-up':
      case 'dchan-down':
        this.l2Up = ev.type === 'dchan-up';
        this.scheduleL2Probe();
        return this.updateLink();
      case 'restart-ack':
        if (!this.l2Up) {
          // Only an established layer 2 carries a RESTART ACKNOWLEDGE: libpri is up
          // although the last layer-2 event it gave said down.
          this.logger.warn('layer 2 answered while reported down: taking the D-channel as up', { channel: ev.channel });
          this.l2Up = true;
          this.l2Probe?.cancel();
          this.l2Probe = undefined;
          this.updateLink();
          return;
        }
        if (ev.channel === undefined) return;
        this.restarting.get(ev.channel)?.cancel();
        this.restarting.delete(ev.channel);
        this.emit({ type: 'channel-in-service', channel: ev.channel });
        return;
      case 'restart':
        return this.onRemoteRestart(ev.channel);
      case 'ring':
        return this.onRing(ev);
      case 'proceeding':
      case 'progress':
      case 'ringing':
      case 'answer': {
        const rec = this.calls.byPointer(ev.call);
        if (!rec || rec.orphaned) return;
        if (ev.type === 'proceeding') this.emit({ type: 'proceeding', call: rec.token });
        else if (ev.type === 'progress') this.emit({ type: 'progress', call: rec.token, inbandAudio: ev.inbandAudio });
        else if (ev.type === 'ringing') this.emit({ type: 'alerting', call: rec.token, inbandAudio: ev.inbandAudio });
        else {
          rec.apply('answer', 'CONNECT received');
          this.emit({ type: 'answered', call: rec.token });
        }
        return;
      }
      case 'hangup-req': {
        // DISCONNECT from the far end: answer with RELEASE; the call ends on RELEASE COMPLETE.
        const rec = this.calls.byPointer(ev.call);
        if (!rec) return;
        rec.clearing ??= { by: 'remote', cause: ev.cause };
        if (rec.state !== 'releasing') {
          rec.apply('hangup', `DISCONNECT cause ${ev.cause}`);
          this.pri.hangup(rec.ptr, ev.cause);
        }
        return;
      }
      case 'hangup': {
        // RELEASE or RELEASE COMPLETE (or libpri's own clearing): pri_hangup() lets libpri free the call.
        this.pri.hangup(ev.call, ev.cause);
        const rec = this.calls.byPointer(ev.call);
        if (!rec) return;
        rec.clearing ??= { by: 'remote', cause: ev.cause };
        this.forget(rec, rec.clearing.cause, rec.clearing.by);
        return;
      }
      case 'hangup-ack': {
        // libpri freed the call itself.
        const rec = this.calls.byPointer(ev.call);
        if (!rec) return;
        rec.clearing ??= { by: 'remote', cause: ev.cause };
        this.forget(rec, rec.clearing.cause, rec.clearing.by);
        return;
      }
      case 'config-error':
        this.logger.error('libpri configuration error', { message: ev.message });
        return;
      default:
        return;
    }
  }

  /**
   * libpri can report layer 2 down and then re-establish it without reporting it up
   * again (seen under D-channel fuzzing: a stray SABME/UA/DM sequence), leaving the
   * span out of service for good while the link runs. So while layer 2 is said to be
   * down on a line without alarm, a RESTART for one channel goes out every
   * l2ProbeMs: if layer 2 is really up it is acknowledged (and handled above); if
   * not, libpri just tries to establish the link, as it would anyway.
   */
  private scheduleL2Probe(): void {
    this.l2Probe?.cancel();
    this.l2Probe = undefined;
    if (this.l2Up || this.closed) return;
    const channel = this.bearerChannels[0];
    if (channel === undefined) return;
    this.l2Probe = this.clock.setTimer(this.opts.l2ProbeMs ?? 3000, () => {
      this.l2Probe = undefined;
      if (this.l2Up || this.closed) return;
      if (this.alarm === undefined) this.pri.resetChannel(channel);
      this.scheduleL2Probe();
    });
  }

  /** The link is usable when layer 2 is up and layer 1 has no alarm; tell the controller on change. */
  private updateLink(): void {
    const usable = this.l2Up && this.alarm === undefined;
    if (usable === this.up) return;
    if (usable) this.onLinkUp();
    else this.onLinkDown(this.alarm ? `alarm: ${this.alarm}` : 'D-channel down');
  }

  private onLinkUp(): void {
    this.up = true;
    this.logger.info('D-channel up');
    this.emit({ type: 'link-up' });
    const restarting = this.role === 'cpe' && this.opts.restartOnLinkUp !== false;
    // Calls libpri kept through the outage (T309) were written off already.
    for (const rec of this.calls.all()) {
      if (!rec.orphaned) continue;
      if (restarting) {
        // The RESTART about to go out clears the channel at both ends (Q.931 5.5): drop
        // libpri's record now rather than wait for a DISCONNECT/RELEASE exchange whose
        // timers (T305/T308, up to ~30 s) held the channel out of service.
        this.calls.remove(rec);
        this.pri.destroyCall(rec.ptr);
      } else if (rec.state !== 'releasing') {
        rec.clearing ??= { by: 'local', cause: Q850.TEMPORARY_FAILURE };
        rec.apply('hangup', 'written off in the outage');
        this.pri.hangup(rec.ptr, Q850.TEMPORARY_FAILURE);
      }
    }
    if (restarting) {
      for (const ch of this.bearerChannels) this.resetChannel(ch);
    } else {
      for (const ch of this.bearerChannels) if (!this.calls.onChannel(ch).length) this.emit({ type: 'channel-in-service', channel: ch });
    }
  }

  private onLinkDown(reason: string): void {
    this.up = false;
    for (const t of this.restarting.values()) t.cancel();
    this.restarting.clear();
    for (const rec of this.calls.all()) rec.orphaned = true;
    this.logger.warn('D-channel down', { reason, callsWrittenOff: this.calls.size });
    this.emit({ type: 'link-down', reason });
  }

  private onRemoteRestart(channel: number | undefined): void {
    // libpri has acknowledged already; the calls on the channel are gone at the far end.
    const channels = channel === undefined ? [...this.bearerChannels] : [channel];
    for (const ch of channels) {
      for (const rec of this.calls.onChannel(ch)) {
        this.calls.remove(rec);
        this.pri.destroyCall(rec.ptr);
      }
      this.emit({ type: 'channel-out-of-service', channel: ch, reason: 'RESTART from the far end' });
      this.emit({ type: 'channel-in-service', channel: ch });
    }
  }

  private onRing(ev: Extract<PriEvent, { type: 'ring' }>): void {
    if (ev.channel === undefined || !this.bearerChannels.includes(ev.channel)) {
      // We only accept exclusive channel selection on a channel we carry.
      this.logger.warn('SETUP without a usable channel refused', { channel: ev.channel });
      this.pri.hangup(ev.call, Q850.CHANNEL_UNACCEPTABLE);
      return;
    }
    const rec = this.calls.add(ev.call, ev.channel, true);
    this.emit({ type: 'offered', call: rec.token, channel: ev.channel, number: ev.calledNumber, callerId: ev.callingNumber || undefined });
  }
}
