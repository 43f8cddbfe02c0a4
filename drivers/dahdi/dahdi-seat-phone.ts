import { Emitter, Unsubscribe } from '../../src/core/emitter';
import { DahdiChannel } from './dahdi-channel';
import { DahdiEvent } from './events';
import { SeatPhonePort, SeatPhonePortEvent } from '../ports/seat-phone-port';

const FRAME = 160; // 20 ms of A-law

/**
 * The phone on an FXS seat port (a channel configured fxoks): DAHDI rings it with the
 * cadence set here (DAHDI_SETCADENCE), a lift while ringing is a ring trip
 * (RINGOFFHOOK), ONHOOK is the handset put back. The channel stays open for the
 * seat's life: the media bridge borrows it for conferences (DAHDI opens a channel once).
 */
export class DahdiSeatPhone implements SeatPhonePort {
  readonly name: string;
  private hookUp: boolean;
  private ringing = false;
  private partial = new Uint8Array(0);
  private readonly events = new Emitter<[ev: SeatPhonePortEvent]>();
  private readonly offs: Unsubscribe[] = [];

  constructor(
    readonly channel: DahdiChannel,
    cadence: readonly number[],
  ) {
    this.name = `seat phone on DAHDI channel ${channel.channo}`;
    channel.setRingCadence(cadence);
    this.hookUp = channel.params().rxisoffhook !== 0;
    this.offs.push(channel.onEvent((ev) => this.onDahdiEvent(ev)));
    this.offs.push(channel.onData((block) => this.onAudio(block)));
  }

  static open(channo: number, cadence: readonly number[]): DahdiSeatPhone {
    const channel = DahdiChannel.open(channo);
    try {
      return new DahdiSeatPhone(channel, cadence);
    } catch (err) {
      channel.close();
      throw err;
    }
  }

  get offHook(): boolean {
    return this.hookUp;
  }

  ring(): void {
    if (this.hookUp || this.ringing) return;
    this.channel.hook('ring');
    this.ringing = true;
  }

  stopRinging(): void {
    if (!this.ringing) return;
    this.ringing = false;
    if (!this.hookUp) this.channel.hook('ringoff');
  }

  writeAudio(frame: Uint8Array): void {
    this.channel.writeAudio(frame);
  }

  onEvent(listener: (ev: SeatPhonePortEvent) => void): Unsubscribe {
    return this.events.on(listener);
  }

  async close(): Promise<void> {
    try {
      this.stopRinging();
    } catch {
      // The board is gone: closing the channel below is all there is left to do.
    }
    for (const off of this.offs.splice(0)) off();
    this.events.clear();
    this.channel.close();
  }

  private onDahdiEvent(ev: DahdiEvent): void {
    if (ev.type === 'ringoffhook' && !this.hookUp) {
      this.hookUp = true;
      this.ringing = false; // the ring trip stops the ringer
      this.events.emit({ type: 'hook', offHook: true });
    } else if (ev.type === 'onhook' && this.hookUp) {
      this.hookUp = false;
      this.events.emit({ type: 'hook', offHook: false });
    }
  }

  /** Re-blocks whatever the driver delivers into 20 ms frames. */
  private onAudio(block: Uint8Array): void {
    let data = block;
    if (this.partial.length) {
      data = new Uint8Array(this.partial.length + block.length);
      data.set(this.partial);
      data.set(block, this.partial.length);
    }
    let at = 0;
    for (; at + FRAME <= data.length; at += FRAME) this.events.emit({ type: 'audio', frame: data.slice(at, at + FRAME) });
    this.partial = data.slice(at);
  }
}
