import { DahdiChannel, DahdiChannelOptions } from '../../../drivers/dahdi/dahdi-channel';
import { CasPort } from './cas-port';
import { Abcd } from './variants';

/**
 * A CasPort on a DAHDI CAS bearer channel: DAHDI_SETTXBITS / DAHDI_GETRXBITS for
 * TS16, BITSCHANGED events for changes, and the channel's 20 ms A-law blocks for
 * audio. DAHDI reads and writes in step, so each block read is answered by at
 * most one block written (none written: DAHDI sends idle code).
 */
export class DahdiCasPort implements CasPort {
  private tx: Abcd;
  private rx: Abcd;
  private readonly bitListeners: ((bits: Abcd) => void)[] = [];
  private readonly audioListeners: ((frame: Uint8Array) => void)[] = [];

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
      for (const l of this.bitListeners) l(bits);
    });
    dahdi.onData((frame) => {
      for (const l of this.audioListeners) l(frame);
    });
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

  onRxBits(listener: (bits: Abcd) => void): void {
    this.bitListeners.push(listener);
  }

  onAudio(listener: (frame: Uint8Array) => void): void {
    this.audioListeners.push(listener);
  }

  writeAudio(frame: Uint8Array): void {
    this.dahdi.writeAudio(frame);
  }

  close(): void {
    this.dahdi.close();
  }
}
