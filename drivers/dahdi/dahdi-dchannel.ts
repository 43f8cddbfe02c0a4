import { Unsubscribe } from '../../src/core/emitter';
import { Logger, silentLogger } from '../../src/core/logger';
import { DChannelTransport, FrameDirection } from '../ports/signalling-link';
import { FrameInbox } from '../ports/frame-inbox';
import { DahdiChannel } from './dahdi-channel';
import { DahdiSpanMonitor } from './span-monitor';
import { SpanAlarmChange } from './span-alarms';

export interface DahdiDChannelOptions {
  /** Span monitor whose debounced RED/BLUE alarms are this link's alarms. */
  monitor?: DahdiSpanMonitor;
  logger?: Logger;
}

/**
 * A D-channel over a DAHDI hardhdlc (or HDLC-FCS) channel. DAHDI moves whole
 * frames: a write is one frame whose last 2 bytes are the FCS slot the HDLC
 * controller fills, a read returns one frame with its 2 FCS bytes, which is the
 * framing libpri reads and writes. Frames with a bad FCS never reach us (DAHDI
 * drops them and raises DAHDI_EVENT_BADFCS, counted here).
 */
export class DahdiDChannel implements DChannelTransport {
  private readonly inbox = new FrameInbox();
  private closed = false;
  private inAlarm = false;
  private readonly logger: Logger;
  badFrames = 0;
  sendFailures = 0;

  constructor(
    readonly channel: DahdiChannel,
    private readonly opts: DahdiDChannelOptions = {},
  ) {
    this.logger = (opts.logger ?? silentLogger).child({ dchannel: channel.channo });
    channel.onData((frame) => this.inbox.deliver(frame));
    channel.onEvent((ev) => {
      if (ev.type === 'badfcs' || ev.type === 'abort' || ev.type === 'overrun') {
        this.badFrames++;
        this.logger.debug(`D-channel ${ev.type}`);
      }
    });
    if (opts.monitor) {
      opts.monitor.watch(channel);
      opts.monitor.onAlarm((c) => this.alarmChanged(c));
    }
  }

  /** Opens DAHDI channel `channo` (a span's TS16 hardhdlc channel) as a D-channel. */
  static open(channo: number, opts: DahdiDChannelOptions = {}): DahdiDChannel {
    return new DahdiDChannel(DahdiChannel.open(channo, { logger: opts.logger }), opts);
  }

  send(frame: Uint8Array): void {
    if (this.closed) return;
    this.inbox.sent(frame);
    try {
      this.channel.writeFrame(frame);
    } catch (err) {
      // Lost like a frame on a bad line: LAPD retransmits.
      this.sendFailures++;
      this.logger.warn('D-channel frame not sent', { error: String(err) });
    }
  }

  receive(): Uint8Array | undefined {
    return this.inbox.receive();
  }

  onReadable(listener: () => void): Unsubscribe {
    return this.inbox.onReadable(listener);
  }

  onAlarm(listener: (inAlarm: boolean, reason: string) => void): Unsubscribe {
    return this.inbox.onAlarm(listener);
  }

  tap(listener: (dir: FrameDirection, frame: Uint8Array) => void): Unsubscribe {
    return this.inbox.tap(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.inbox.close();
    this.channel.close();
  }

  private alarmChanged(change: SpanAlarmChange): void {
    const down = this.opts.monitor?.down ?? false;
    if (down === this.inAlarm || this.closed) return;
    this.inAlarm = down;
    this.inbox.alarm(down, down ? change.cause : 'cleared');
  }
}
