import { DAHDI } from './abi';
import { DahdiChannel } from './dahdi-channel';
import { DahdiEvent } from './events';
import { AnalogPort, AnalogPortEvent, HookState } from '../ports/analog-port';
import { Emitter } from '../../src/core/emitter';

const FRAME = 160; // 20 ms of A-law

/**
 * An FXO line on a DAHDI board: a channel configured `fxsls` (FXS signalling on an
 * FXO port). DAHDI's events become the port's: RINGBEGIN (or RINGOFFHOOK when a
 * driver sends only that) starts a ring, RINGEROFF ends it, POLARITY is a reversal,
 * ALARM / NOALARM is the loop battery going and coming back. Audio is the channel's
 * 160-byte A-law blocks. The hook flash is timed by the driver (DAHDI_FLASH).
 */
export class DahdiAnalogPort implements AnalogPort {
  readonly name: string;
  private battery: boolean;
  private ringing = false;
  private partial = new Uint8Array(0);
  private readonly events = new Emitter<[ev: AnalogPortEvent]>();

  /** `channel` is public so the media bridge can borrow it (DAHDI opens a channel once). */
  constructor(readonly channel: DahdiChannel) {
    this.name = `dahdi channel ${channel.channo}`;
    this.battery = (channel.params().chan_alarms & DAHDI.ALARM_RED) === 0;
    channel.onEvent((ev) => this.onDahdiEvent(ev));
    channel.onData((block) => this.onAudio(block));
  }

  get batteryPresent(): boolean {
    return this.battery;
  }

  setHook(state: HookState): void {
    this.channel.hook(state === 'off' ? 'offhook' : 'onhook');
  }

  flash(_ms: number): void {
    this.channel.hook('flash');
  }

  writeAudio(frame: Uint8Array): void {
    this.channel.writeAudio(frame);
  }

  onEvent(listener: (ev: AnalogPortEvent) => void): () => void {
    return this.events.on(listener);
  }

  async close(): Promise<void> {
    this.events.clear();
    this.channel.close();
  }

  private emit(ev: AnalogPortEvent): void {
    this.events.emit(ev);
  }

  /** Re-blocks whatever the driver delivers into 20 ms frames, so no sample is lost or padded. */
  private onAudio(block: Uint8Array): void {
    let data = block;
    if (this.partial.length) {
      data = new Uint8Array(this.partial.length + block.length);
      data.set(this.partial);
      data.set(block, this.partial.length);
    }
    let at = 0;
    for (; at + FRAME <= data.length; at += FRAME) this.emit({ type: 'audio', frame: data.slice(at, at + FRAME) });
    this.partial = data.slice(at);
  }

  private onDahdiEvent(ev: DahdiEvent): void {
    switch (ev.type) {
      case 'ringbegin':
      case 'ringoffhook':
        if (this.ringing) return; // drivers report both for one ring
        this.ringing = true;
        return this.emit({ type: 'ring-begin' });
      case 'ringeroff':
        if (!this.ringing) return;
        this.ringing = false;
        return this.emit({ type: 'ring-end' });
      case 'polarity':
        return this.emit({ type: 'polarity' });
      case 'alarm':
      case 'noalarm': {
        const present = ev.type === 'noalarm';
        if (present === this.battery) return;
        this.battery = present;
        return this.emit({ type: 'battery', present });
      }
      default:
        return;
    }
  }
}
