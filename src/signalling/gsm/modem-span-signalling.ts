import { AtModem, ModemEvent } from '../../../drivers/modem/at-modem';
import { ModemReport } from '../../../drivers/modem/at-reports';
import { AtCommandError } from '../../../drivers/modem/errors';
import type { PcmVoicePort } from '../../../drivers/ports/pcm-voice-port';
import { Clock, TimerHandle } from '../../core/clock';
import { ATD_RULE, checkDialledNumber } from '../../core/dialled-number';
import { InputError, TrunkpilotError } from '../../core/errors';
import { rateLimitedLogger } from '../../core/log-limiter';
import { Logger, silentLogger } from '../../core/logger';
import { Q850 } from '../../core/q850';
import { StateMachine } from '../../core/state-machine';
import { OutboundSetup, SignallingCall, SignallingEvent, SpanSignalling } from '../span-signalling';
import { modemCallMachine, ModemCallState, ModemCallStimulus } from './modem-call';
import { SimCallLedger } from './sim-call-ledger';
import { SimDayCount } from './sim-day-count';

/** What only modem trunks can say about a call. */
export type ModemCallReport = { type: 'dtmf'; call: SignallingCall; channel: number; digit: string };

export interface ModemTrunkOptions {
  clock: Clock;
  logger?: Logger;
  /** Calls each SIM may place per day (Chinese operators block SIMs that call too much); per channel, or one for all. */
  dailyCallCap?: number | readonly (number | undefined)[];
  /** The cap's day starts at local midnight at this UTC offset (minutes; China +480). */
  capDayOffsetMinutes?: number;
  /** How long to wait for +CLIP after a bare RING before offering the call. */
  clipWaitMs?: number;
  /** Each module's PCM voice port (by channel, 1-based order), for models that carry voice on a serial port. */
  voicePorts?: readonly (PcmVoicePort | undefined)[];
  /** Why a module has no voice port (a USB-audio module on a host without its ALSA card), by channel. */
  voiceProblems?: readonly (TrunkpilotError | undefined)[];
  /** Where each SIM's calls of the day are kept across restarts (else they are counted in memory only). */
  simCalls?: SimCallLedger;
}

interface ModemChannel {
  channel: number;
  modem: AtModem;
  fsm: StateMachine<ModemCallState, ModemCallStimulus>;
  call?: SignallingCall;
  /** Cause of a local hang-up, set while it is in progress. */
  localCause?: number;
  proceedingSent: boolean;
  answered: boolean;
  /** The SIM's calls of the cap day (kept in the ledger when there is one). */
  count: SimDayCount;
  capped: boolean;
  inService: boolean;
  /** Brings a capped SIM back at the start of the next cap day; cancelled on close (it would hold the process open). */
  capReset?: TimerHandle;
}

const DIAL_FAILURE_CAUSE: Partial<Record<AtCommandError['result'], number>> = {
  busy: Q850.USER_BUSY,
  'no-answer': Q850.NO_ANSWER,
  'no-dialtone': Q850.NETWORK_OUT_OF_ORDER,
};
/** End reports whose cause is the network's own word (the rest are guesses to check with AT+CEER). */
const AUTHORITATIVE = new Set(['^CEND', 'BUSY', 'NO ANSWER']);

/**
 * GSM/LTE voice modules as one span: channel N is the N-th module. Calls map to the
 * shared events and Q.850 causes (24.008 uses the same numbers), so a trunk group dials
 * modems like any trunk and may mix them with other spans. A module that is not ready
 * (port gone, no SIM, no network, out of service, daily cap reached) is a channel out of
 * service until it is ready again.
 */
export class ModemSpanSignalling implements SpanSignalling {
  readonly kind = 'gsm' as const;
  readonly bearerChannels: readonly number[];
  private readonly channels: ModemChannel[];
  private readonly listeners = new Set<(ev: SignallingEvent) => void>();
  private readonly reportListeners = new Set<(r: ModemCallReport) => void>();
  private readonly unsubscribe: (() => void)[] = [];
  private nextId = 1;
  private announced = false;
  private wasUp = false;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private simCalls?: SimCallLedger;

  constructor(
    modems: readonly AtModem[],
    private readonly opts: ModemTrunkOptions,
  ) {
    if (modems.length === 0) throw new InputError('gsm trunk', 'needs at least one modem');
    this.clock = opts.clock;
    this.logger = rateLimitedLogger(opts.logger ?? silentLogger);
    this.channels = modems.map((modem, i) => ({
      channel: i + 1,
      modem,
      fsm: modemCallMachine(`gsm ch${i + 1} ${modem.path}`, opts.clock),
      proceedingSent: false,
      answered: false,
      count: new SimDayCount(opts.clock, opts.capDayOffsetMinutes ?? 480, this.logger.child({ channel: i + 1 })),
      capped: false,
      inService: false,
    }));
    this.bearerChannels = this.channels.map((c) => c.channel);
    this.simCalls = opts.simCalls;
    for (const ch of this.channels) this.unsubscribe.push(ch.modem.on((ev) => this.onModemEvent(ch, ev)));
  }

  get linkUp(): boolean {
    return this.channels.some((c) => this.usable(c));
  }

  /** Calls held (for leak checks). */
  get heldCalls(): number {
    return this.channels.filter((c) => c.call).length;
  }

  /** Per module: calls today against the cap (telemetry). */
  callsToday(channel: number): { calls: number; cap?: number } {
    const ch = this.get(channel);
    return { calls: ch.count.calls, cap: this.cap(ch) };
  }

  /**
   * Keeps each SIM's calls of the day in `ledger` from now on (the gateway's store, opened
   * after the trunks): ready modules read their SIM's count for today at once, so a restart
   * mid-day carries on from where the SIM was.
   */
  useSimCallLedger(ledger: SimCallLedger): void {
    this.simCalls = ledger;
    for (const ch of this.channels) this.loadSimCalls(ch);
  }

  modem(channel: number): AtModem {
    return this.get(channel).modem;
  }

  /** The module's voice stream (for SoftwareMediaBridge), when it has a PCM port. */
  voicePort(channel: number): PcmVoicePort | undefined {
    return this.opts.voicePorts?.[this.get(channel).channel - 1];
  }

  /** The module's voice stream; a typed error saying why when it has none (no PCM port, USB audio not supported here). */
  requireVoicePort(channel: number): PcmVoicePort {
    const port = this.voicePort(channel);
    if (port) return port;
    throw (
      this.opts.voiceProblems?.[channel - 1] ??
      new InputError(
        `gsm channel ${channel}`,
        `modem ${this.modem(channel).path} has no voice port (none configured, or it could not be opened)`,
      )
    );
  }

  onEvent(listener: (ev: SignallingEvent) => void): () => void {
    this.listeners.add(listener);
    const off = () => void this.listeners.delete(listener);
    if (this.announced) return off;
    this.announced = true;
    this.clock.setTimer(0, () => {
      for (const ch of this.channels) this.updateService(ch, ch.modem.status.reason);
    });
    return off;
  }

  onReport(listener: (r: ModemCallReport) => void): () => void {
    this.reportListeners.add(listener);
    return () => this.reportListeners.delete(listener);
  }

  setup(channel: number, setup: OutboundSetup): SignallingCall {
    // A dial string with a ';' or a letter would be an AT command of its own.
    checkDialledNumber('dial.number', setup.number, ATD_RULE);
    const ch = this.get(channel);
    const call: SignallingCall = { id: this.nextId++ };
    if (!this.usable(ch) || ch.call) {
      this.clock.setTimer(0, () => this.emit({ type: 'released', call, cause: Q850.REQUESTED_CHANNEL_UNAVAILABLE, by: 'remote' }));
      return call;
    }
    this.begin(ch, call, 'dial');
    ch.count.countCall(ch.modem.status.iccid, this.simCalls);
    ch.modem.dial(setup.number, { restrictCallerId: setup.withholdCallerId }).catch((err) => {
      if (ch.call !== call) return;
      if (err instanceof AtCommandError && err.result === 'no-carrier') return this.ended(ch, undefined, 'dial: NO CARRIER');
      const cause = err instanceof AtCommandError ? DIAL_FAILURE_CAUSE[err.result] : undefined;
      // Refused before the network had it (module not ready, SIM, timeout): another module may take it.
      this.ended(ch, cause ?? Q850.REQUESTED_CHANNEL_UNAVAILABLE, `dial refused: ${(err as Error).message}`);
    });
    return call;
  }

  answer(call: SignallingCall): void {
    const ch = this.own(call);
    if (!ch || !ch.fsm.can('answer')) return;
    ch.fsm.transition('answer');
    ch.modem.answer().catch((err) => this.ended(ch, Q850.TEMPORARY_FAILURE, `answer failed: ${(err as Error).message}`));
  }

  hangup(call: SignallingCall, cause: number): void {
    const ch = this.own(call);
    if (!ch || ch.localCause !== undefined || ch.fsm.state === 'releasing') return;
    ch.localCause = cause;
    ch.fsm.transition('hangup', `cause ${cause}`);
    void ch.modem
      .hangup()
      .catch(() => undefined)
      .then(() => this.release(ch, cause, 'local'));
  }

  /** Sends DTMF on an answered call (AT+VTS). */
  async sendDtmf(call: SignallingCall, digits: string): Promise<void> {
    const ch = this.own(call);
    if (!ch || ch.fsm.state !== 'active') throw new InputError('gsm dtmf', 'no answered call');
    await ch.modem.sendDtmf(digits);
  }

  resetChannel(channel: number): void {
    const ch = this.get(channel);
    if (ch.call) this.hangup(ch.call, Q850.NORMAL_UNSPECIFIED);
  }

  async close(): Promise<void> {
    for (const u of this.unsubscribe) u();
    for (const ch of this.channels) ch.capReset?.cancel();
    for (const ch of this.channels) await ch.modem.stop();
    this.listeners.clear();
    this.reportListeners.clear();
  }

  private onModemEvent(ch: ModemChannel, ev: ModemEvent): void {
    if (ev.type === 'state') return this.updateService(ch, ev.reason);
    if (ev.type === 'invalid') return this.logger.warn('modem sent bad data', { channel: ch.channel, error: ev.error.message });
    this.onModemReport(ch, ev.report);
  }

  private onModemReport(ch: ModemChannel, r: ModemReport): void {
    switch (r.type) {
      case 'ring':
        return this.incoming(ch, undefined, true);
      case 'clip':
        return this.incoming(ch, r.number, false);
      case 'dtmf':
        if (ch.call) for (const l of [...this.reportListeners]) l({ type: 'dtmf', call: ch.call, channel: ch.channel, digit: r.digit });
        return;
      case 'call':
        break;
      default:
        return;
    }
    if (r.state === 'incoming' || r.state === 'waiting') return r.direction === 'inbound' ? this.incoming(ch, r.number, false) : undefined;
    const call = ch.call;
    if (!call) return;
    switch (r.state) {
      case 'dialing':
        if (ch.fsm.state === 'dialing' && !ch.proceedingSent) {
          ch.proceedingSent = true;
          this.emit({ type: 'proceeding', call });
        }
        return;
      case 'alerting':
        if (!ch.fsm.can('alerting') || ch.fsm.state === 'alerting') return;
        ch.fsm.transition('alerting');
        return this.emit({ type: 'alerting', call, inbandAudio: true });
      case 'active':
        if (!ch.fsm.can('active') || ch.fsm.state === 'active') return;
        ch.fsm.transition('active');
        ch.modem.enableVoice().catch((e) => this.logger.warn('voice path not enabled', { channel: ch.channel, error: String(e) }));
        if (ch.answered) return; // inbound: the controller marked it answered when it accepted
        ch.answered = true;
        return this.emit({ type: 'answered', call });
      case 'ended':
        return this.ended(ch, r.cause !== undefined && AUTHORITATIVE.has(r.source) ? r.cause : undefined, r.source);
    }
  }

  /** RING, +CLIP or an incoming report: offer once, with the caller's number when it is known. */
  private incoming(ch: ModemChannel, callerId: string | undefined, bareRing: boolean): void {
    if (ch.fsm.state === 'ringing-in' || !this.usable(ch)) return;
    if (ch.fsm.state !== 'idle') return;
    if (bareRing) {
      // Give +CLIP a moment: it follows RING on every dialect.
      this.clock.setTimer(this.opts.clipWaitMs ?? 300, () => this.incoming(ch, undefined, false));
      return;
    }
    const call: SignallingCall = { id: this.nextId++ };
    this.begin(ch, call, 'ring');
    ch.answered = true; // the controller's accept() marks an inbound call answered
    this.emit({ type: 'offered', call, channel: ch.channel, number: '', callerId: callerId || undefined });
  }

  /** The call ended on the network side: with its cause when known, else asked (AT+CEER), then released. */
  private ended(ch: ModemChannel, cause: number | undefined, note: string): void {
    if (!ch.call || ch.fsm.state === 'releasing' || !ch.fsm.can('ended')) return;
    const wasAnswered = ch.fsm.state === 'active';
    const noProgress = ch.fsm.state === 'dialing' && !ch.proceedingSent;
    ch.fsm.transition('ended', note);
    const call = ch.call;
    if (cause !== undefined) return this.release(ch, cause, 'remote');
    if (noProgress && note === 'NO CARRIER') {
      // Not even dialling reported: a module that lost its network unannounced fails every
      // dial like this. If it is unregistered it leaves service and another module takes the number.
      void ch.modem.checkRegistration().then((registered) => {
        if (ch.call !== call) return;
        if (!registered) return this.release(ch, Q850.REQUESTED_CHANNEL_UNAVAILABLE, 'remote');
        this.askCause(ch, call, Q850.NORMAL_UNSPECIFIED);
      });
      return;
    }
    this.askCause(ch, call, wasAnswered ? Q850.NORMAL_CLEARING : Q850.NORMAL_UNSPECIFIED);
  }

  /** The release cause from the module (AT+CEER) where it has one, else `fallback`. */
  private askCause(ch: ModemChannel, call: SignallingCall, fallback: number): void {
    ch.modem
      .lastCause()
      .catch(() => undefined)
      .then((cause) => {
        if (ch.call === call) this.release(ch, cause ?? fallback, 'remote');
      });
  }

  private release(ch: ModemChannel, cause: number, by: 'local' | 'remote'): void {
    const call = ch.call;
    if (!call || ch.fsm.state !== 'releasing') return;
    ch.fsm.transition('released', `cause ${cause}`);
    this.clear(ch);
    this.emit({ type: 'released', call, cause, by });
    // A cap reached during the call takes the module out once it is free.
    this.updateService(ch, ch.modem.status.reason);
  }

  private begin(ch: ModemChannel, call: SignallingCall, how: 'dial' | 'ring'): void {
    ch.fsm.transition(how);
    ch.call = call;
    ch.proceedingSent = false;
    ch.answered = false;
    ch.localCause = undefined;
  }

  private clear(ch: ModemChannel): void {
    ch.call = undefined;
    ch.localCause = undefined;
  }

  /** Channel in or out of service from the module's state and the SIM's daily cap. */
  private updateService(ch: ModemChannel, reason: string): void {
    this.loadSimCalls(ch);
    const cap = this.cap(ch);
    ch.capped = cap !== undefined && ch.count.calls >= cap;
    const usable = this.usable(ch);
    if (usable && !ch.inService) {
      ch.inService = true;
      if (!this.wasUp) {
        this.wasUp = true;
        this.emit({ type: 'link-up' });
      }
      this.emit({ type: 'channel-in-service', channel: ch.channel });
    } else if (!usable && ch.inService && !(ch.capped && ch.call && ch.modem.state === 'ready')) {
      ch.inService = false;
      const why = ch.modem.state === 'ready' ? `daily call cap of ${cap} reached` : `modem ${ch.modem.state}: ${reason}`;
      if (ch.call) {
        ch.fsm.transition('reset', why);
        this.clear(ch);
      }
      // A module that lost its port, SIM or network ends its call as a link failure would
      // (38: the number is not at fault and is worth trying again), not as a channel reset.
      const cause = ch.modem.state === 'ready' ? undefined : Q850.NETWORK_OUT_OF_ORDER;
      this.emit({ type: 'channel-out-of-service', channel: ch.channel, reason: why, ...(cause ? { cause } : {}) });
      if (ch.capped) {
        ch.capReset?.cancel();
        ch.capReset = this.clock.setTimer(ch.count.msToNextDay(), () => this.updateService(ch, ch.modem.status.reason));
      }
      if (this.wasUp && !this.linkUp) {
        this.wasUp = false;
        this.emit({ type: 'link-down', reason: 'no modem in service' });
      }
    }
  }

  private usable(ch: ModemChannel): boolean {
    return ch.modem.state === 'ready' && !ch.capped;
  }

  private cap(ch: ModemChannel): number | undefined {
    const c = this.opts.dailyCallCap;
    return typeof c === 'number' ? c : c?.[ch.channel - 1];
  }

  /** Reads the ready SIM's stored count for today (once per SIM and day), then rechecks its cap. */
  private loadSimCalls(ch: ModemChannel): void {
    const iccid = ch.modem.status.iccid;
    if (!this.simCalls || !iccid || ch.modem.state !== 'ready') return;
    ch.count.load(iccid, this.simCalls, () => this.updateService(ch, ch.modem.status.reason));
  }

  private get(channel: number): ModemChannel {
    const ch = this.channels[channel - 1];
    if (!ch) throw new InputError('gsm channel', `no modem ${channel} (modems 1-${this.channels.length})`);
    return ch;
  }

  private own(call: SignallingCall): ModemChannel | undefined {
    return this.channels.find((c) => c.call === call);
  }

  private emit(ev: SignallingEvent): void {
    for (const l of [...this.listeners]) l(ev);
  }
}
