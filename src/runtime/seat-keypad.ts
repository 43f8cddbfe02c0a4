import { Emitter, Unsubscribe } from '../core/emitter';
import { Logger, silentLogger } from '../core/logger';
import { decodeAlaw, encodeAlaw } from '../dsp/g711';
import { DtmfReceiver } from '../../drivers/spandsp/dtmf';
import { SeatPhonePort } from '../../drivers/ports/seat-phone-port';
import { SeatPhone } from '../seats/seat-answering';

const FRAME = 160;
const RATE = 8000;

/** 20 ms frames of a tone: `pattern` is [hz, ms on, ms off] steps. */
function toneFrames(pattern: readonly (readonly [hz: number, onMs: number, offMs: number])[]): Uint8Array[] {
  const samples: number[] = [];
  for (const [hz, onMs, offMs] of pattern) {
    for (let i = 0; i < (onMs * RATE) / 1000; i++) samples.push(Math.round(6000 * Math.sin((2 * Math.PI * hz * i) / RATE)));
    for (let i = 0; i < (offMs * RATE) / 1000; i++) samples.push(0);
  }
  while (samples.length % FRAME) samples.push(0);
  const frames: Uint8Array[] = [];
  for (let at = 0; at < samples.length; at += FRAME) frames.push(encodeAlaw(samples.slice(at, at + FRAME)));
  return frames;
}

/** Three short high beeps: done. One long low tone: refused. */
export const SEAT_TONES = {
  confirm: toneFrames([
    [1400, 100, 100],
    [1400, 100, 100],
    [1400, 100, 100],
  ]),
  refuse: toneFrames([[450, 700, 100]]),
} as const;

/**
 * A seat phone port made into the phone the seats layer drives: the handset's audio
 * goes through a spandsp DTMF receiver while off hook (the agent's feature codes), and
 * confirmation tones are written one frame per frame received, so the line's own clock
 * paces them.
 */
export class SeatKeypad implements SeatPhone {
  private readonly hook = new Emitter<[offHook: boolean]>();
  private readonly digits = new Emitter<[digit: string]>();
  private dtmf: DtmfReceiver | undefined;
  private toneQueue: Uint8Array[] = [];
  private readonly off: Unsubscribe;

  constructor(
    readonly port: SeatPhonePort,
    private readonly logger: Logger = silentLogger,
  ) {
    this.off = port.onEvent((ev) => {
      if (ev.type === 'hook') {
        this.toneQueue = [];
        this.hook.emit(ev.offHook);
        return;
      }
      if (!port.offHook) return;
      const tone = this.toneQueue.shift();
      if (tone) this.write(tone);
      try {
        this.dtmf ??= new DtmfReceiver();
        for (const d of this.dtmf.feed(decodeAlaw(ev.frame))) this.digits.emit(d);
      } catch (err) {
        this.logger.warn('seat phone DTMF receiver failed', { phone: port.name, err: String(err) });
      }
    });
  }

  get name(): string {
    return this.port.name;
  }

  get offHook(): boolean {
    return this.port.offHook;
  }

  ring(): void {
    this.port.ring();
  }

  stopRinging(): void {
    this.port.stopRinging();
  }

  playTone(tone: 'confirm' | 'refuse'): void {
    this.toneQueue = [...SEAT_TONES[tone]];
  }

  onHook(listener: (offHook: boolean) => void): Unsubscribe {
    return this.hook.on(listener);
  }

  onDigit(listener: (digit: string) => void): Unsubscribe {
    return this.digits.on(listener);
  }

  async close(): Promise<void> {
    this.off();
    this.dtmf?.close();
    this.dtmf = undefined;
    await this.port.close();
  }

  private write(frame: Uint8Array): void {
    try {
      this.port.writeAudio(frame);
    } catch (err) {
      this.logger.debug('seat phone tone not written', { phone: this.port.name, err: String(err) });
    }
  }
}
