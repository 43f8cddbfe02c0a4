import { DahdiChannel, DahdiChannelOptions } from './dahdi-channel';
import { Emitter, Unsubscribe } from '../../src/core/emitter';
import { Abcd, CasPort } from '../ports/cas-port';

/**
 * A CasPort on a DAHDI CAS bearer channel: DAHDI_SETTXBITS / DAHDI_GETRXBITS for
 * TS16, BITSCHANGED events for changes, and the channel's 20 ms A-law blocks for
 * audio. DAHDI reads and writes in step, so each block read is answered by at
 * most one block written (none written: DAHDI sends idle code).
 */
export class DahdiCasPort implements CasPort {
  private tx: Abcd;
  private rx: Abcd;
  private readonly bitChanges = new Emitter<[bits: Abcd]>();
  private readonly audio = new Emitter<[frame: Uint8Array]>();

  constructor(
    readonly dahdi: DahdiChannel,
    readonly channel: number,
    idleBits: Abcd,
  ) {
    this.tx = -1;
    this.setTxBits(idleBits);
    this.rx = dahdi.rxBits();
    dahdi.onEvent((ev) => {
      if (ev.type !== 'bitschanged') return;
      const bits = dahdi.rxBits();
      if (bits === this.rx) return;
      this.rx = bits;
      this.bitChanges.emit(bits);
    });
    dahdi.onData((frame) => this.audio.emit(frame));
  }

  /** Opens DAHDI channel `channo` as bearer channel `channel` of an R2 span. */
  static open(channo: number, channel: number, idleBits: Abcd, opts: DahdiChannelOptions = {}): DahdiCasPort {
    return new DahdiCasPort(DahdiChannel.open(channo, { blockSize: 160, ...opts }), channel, idleBits);
  }

  get txBits(): Abcd {
    return this.tx;
  }

  get rxBits(): Abcd {
    return this.rx;
  }

  setTxBits(bits: Abcd): void {
    if (bits === this.tx) return;
    this.tx = bits;
    this.dahdi.setTxBits(bits);
  }

  onRxBits(listener: (bits: Abcd) => void): Unsubscribe {
    return this.bitChanges.on(listener);
  }

  onAudio(listener: (frame: Uint8Array) => void): Unsubscribe {
    return this.audio.on(listener);
  }

  writeAudio(frame: Uint8Array): void {
    this.dahdi.writeAudio(frame);
  }

  async close(): Promise<void> {
    this.bitChanges.clear();
    this.audio.clear();
    this.dahdi.close();
  }
}
