import { SignallingLinkPort } from '../../../../drivers/ports/signalling-link';
import { Clock, TimerHandle } from '../../../core/clock';
import { Logger, silentLogger } from '../../../core/logger';
import type { RetrievedMsus } from './error-correction';
import { Mtp2Link, Mtp2Options } from './mtp2-link';
import { Mtp2ServiceEvent, Mtp2Service } from './mtp2-service';

/**
 * How the HDLC channel under the link treats the fill-in (DAHDI system.conf):
 * 'mtp2' (`mtp2=`): the kernel repeats the last frame written and drops received
 * frames equal to the previous one, so we write only when the SU changes (plus a
 * slow refresh, in case a write was lost on a channel that does not repeat);
 * 'dchan' (`dchan=`/`hardhdlc=`): plain HDLC, we send the fill-in ourselves,
 * paced at `repeatMs`.
 */
export type Mtp2ChannelMode = 'mtp2' | 'dchan';

export interface Mtp2HdlcLinkOptions extends Mtp2Options {
  name: string;
  transport: SignallingLinkPort;
  clock: Clock;
  mode: Mtp2ChannelMode;
  /** dchan mode: interval between fill-in SUs (ms). */
  repeatMs?: number;
  /** mtp2 mode: the fill-in is written again after this long unchanged (ms). */
  refreshMs?: number;
  logger?: Logger;
}

/** DAHDI frames end with the 2 FCS octets the HDLC layer fills in and checks. */
const FCS_OCTETS = 2;

/**
 * An MTP2 engine driven over an HDLC signalling channel: received frames and the
 * clock go in, signal units come out through the transport; one timer, armed at
 * the engine's next deadline or the next fill-in repeat.
 */
export class Mtp2HdlcLink implements Mtp2Service {
  readonly engine: Mtp2Link;
  readonly name: string;
  private timer: TimerHandle | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private nextRepeat = 0;
  private lastWriteAt = 0;
  private closed = false;
  private wantRunning = false;
  private emergency = false;
  private readonly logger: Logger;

  constructor(private readonly opts: Mtp2HdlcLinkOptions) {
    this.name = opts.name;
    this.logger = (opts.logger ?? silentLogger).child({ link: opts.name });
    this.engine = new Mtp2Link(opts, `mtp2 ${opts.name}`);
    this.engine.onEvent((ev) => {
      if (ev.type === 'error') this.logger.debug('errored signal unit', { error: ev.error.message });
      else if (ev.type === 'out-of-service') this.logger.info('link out of service', { reason: ev.reason });
      else if (ev.type === 'in-service') this.logger.info('link in service');
    });
    opts.transport.onReadable(() => this.drain());
    opts.transport.onAlarm((inAlarm, reason) => {
      if (inAlarm) this.engine.stop(this.opts.clock.now(), `layer 1 alarm: ${reason}`);
      else if (this.wantRunning) this.engine.start(this.opts.clock.now(), this.emergency);
      this.pump();
    });
  }

  get inService(): boolean {
    return this.engine.inService;
  }

  get state(): string {
    return this.engine.state;
  }

  get lastAcceptedFsn(): number {
    return this.engine.lastAcceptedFsn;
  }

  start(emergency: boolean): void {
    this.wantRunning = true;
    this.emergency = emergency;
    this.engine.start(this.opts.clock.now(), emergency);
    this.pump();
  }

  stop(): void {
    this.wantRunning = false;
    this.engine.stop(this.opts.clock.now());
    this.pump();
  }

  send(payload: Uint8Array): boolean {
    const ok = this.engine.send(payload, this.opts.clock.now());
    this.pump();
    return ok;
  }

  retrieve(): RetrievedMsus {
    return this.engine.retrieve();
  }

  onEvent(listener: (ev: Mtp2ServiceEvent) => void): () => void {
    return this.engine.onEvent((ev) => {
      if (ev.type === 'in-service' || ev.type === 'out-of-service' || ev.type === 'msu') listener(ev);
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.timer?.cancel();
    this.timer = undefined;
    // The link owns its channel, as a PRI instance owns its D-channel.
    void this.opts.transport.close();
  }

  private drain(): void {
    if (this.closed) return;
    const now = this.opts.clock.now();
    for (let frame = this.opts.transport.receive(); frame; frame = this.opts.transport.receive()) {
      if (frame.length < FCS_OCTETS) this.engine.receiveError(now);
      else this.engine.receive(frame.subarray(0, frame.length - FCS_OCTETS), now);
      if (this.closed) return;
    }
    this.pump();
  }

  /** Writes what the engine queued, then re-arms the one timer. */
  private pump(): void {
    if (this.closed) return;
    const now = this.opts.clock.now();
    for (const su of this.engine.takeOutgoing()) this.write(su, now);
    const repeatMs = this.opts.mode === 'dchan' ? (this.opts.repeatMs ?? 20) : (this.opts.refreshMs ?? 1000);
    if (this.opts.mode === 'dchan') {
      if (now >= this.nextRepeat) {
        this.write(this.engine.fillIn, now);
        this.nextRepeat = now + repeatMs;
      }
    } else if (now - this.lastWriteAt >= repeatMs) {
      this.write(this.engine.fillIn, now);
    }
    const repeatAt = this.opts.mode === 'dchan' ? this.nextRepeat : this.lastWriteAt + repeatMs;
    const at = Math.min(this.engine.nextDeadline() ?? Number.POSITIVE_INFINITY, repeatAt);
    if (at !== this.timerAt || !this.timer) {
      this.timer?.cancel();
      this.timerAt = at;
      this.timer = this.opts.clock.setTimer(at - now, () => this.tick());
    }
  }

  private tick(): void {
    this.timer = undefined;
    if (this.closed) return;
    this.engine.feedTime(this.opts.clock.now());
    this.pump();
  }

  private write(su: Uint8Array, now: number): void {
    const frame = new Uint8Array(su.length + FCS_OCTETS);
    frame.set(su);
    this.opts.transport.send(frame);
    this.lastWriteAt = now;
  }
}
