import koffi from 'koffi';
import { ClosedError, InputError } from '../../src/core/errors';
import { Logger, silentLogger } from '../../src/core/logger';
import { DAHDI, DAHDI_IOCTL } from './abi';
import { DahdiCallError, DahdiUnavailableError } from './errors';
import { DahdiEvent, decodeDahdiEvent, DAHDI_EVENT } from './events';
import {
  DahdiConfinfoValue,
  DahdiParamsValue,
  DahdiSpaninfoValue,
  ERRNO,
  lastErrno,
  loadLibC,
  LibC,
  O_CLOEXEC,
  O_NONBLOCK,
  O_RDWR,
} from './ffi';
import { emptyParams, emptySpaninfo } from './structs';
import { Emitter, Unsubscribe } from '../../src/core/emitter';

export type HookOperation = 'onhook' | 'offhook' | 'wink' | 'flash' | 'start' | 'ring' | 'ringoff';

const HOOK_CODES: Record<HookOperation, number> = {
  onhook: DAHDI.ONHOOK,
  offhook: DAHDI.OFFHOOK,
  wink: DAHDI.WINK,
  flash: DAHDI.FLASH,
  start: DAHDI.START,
  ring: DAHDI.RING,
  ringoff: DAHDI.RINGOFF,
};

/** Conference modes of DAHDI_SETCONF, by what they are used for. */
export type ConferenceRole =
  | { kind: 'none' }
  /** member of conference `confno` (0 = a new one; DAHDI is asked with -1, as it refuses 0 with a mode): hears the others, is heard by them */
  | { kind: 'member'; confno: number; talker?: boolean; listener?: boolean }
  /** puts another channel's audio on this channel's line: supervisor listen */
  | { kind: 'monitor'; channo: number; hear: 'rx' | 'tx' | 'both' };

export interface DahdiChannelOptions {
  /** Bytes per read and write: 160 is 20 ms of A-law. */
  blockSize?: number;
  /** How many blocks DAHDI buffers each way. */
  numBufs?: number;
  /** Generic channel device (default /dev/dahdi/channel). */
  device?: string;
  logger?: Logger;
}

const MAX_READS_PER_WAKE = 64;
const HDLC_MAX_FRAME = 1024;

/**
 * One DAHDI channel opened through /dev/dahdi/channel + DAHDI_SPECIFY. Non-blocking
 * descriptor; reading is driven by koffi.node.poll (libuv) on the descriptor, never
 * by a loop. Every wake drains what is there: blocks of audio, whole HDLC frames,
 * and events (a read answers ELAST while an event is pending, then DAHDI_GETEVENT
 * takes them one by one). The same class serves bearer, CAS, analog and D-channels.
 */
export class DahdiChannel {
  private readonly libc: LibC;
  private readonly logger: Logger;
  private readonly where: string;
  private poller: ReturnType<typeof koffi.node.poll> | undefined;
  private rxBuf: Buffer;
  private readonly events = new Emitter<[ev: DahdiEvent]>((err) =>
    this.logger.error('DAHDI event listener failed', { error: String(err) }),
  );
  private readonly data = new Emitter<[data: Uint8Array]>((err) => this.logger.error('DAHDI data listener failed', { error: String(err) }));
  private closed = false;
  /** HDLC frames longer than HDLC_MAX_FRAME, dropped. */
  oversizeFrames = 0;
  private cachedParams: DahdiParamsValue;
  private block: number;

  private constructor(
    readonly fd: number,
    readonly channo: number,
    opts: DahdiChannelOptions,
  ) {
    this.libc = loadLibC();
    this.logger = (opts.logger ?? silentLogger).child({ dahdiChannel: channo });
    this.where = `DAHDI channel ${channo}`;
    this.cachedParams = this.params();
    this.block = opts.blockSize ?? 160;
    if (this.isHdlc) {
      // One byte more than a frame may be: a read that fills it was cut short by DAHDI.
      this.rxBuf = Buffer.alloc(HDLC_MAX_FRAME + 1);
      this.setBufferInfo(opts.numBufs ?? 16, HDLC_MAX_FRAME);
    } else {
      this.rxBuf = Buffer.alloc(this.block);
      this.setBufferInfo(opts.numBufs ?? 4, this.block);
    }
  }

  /** Opens channel `channo` non-blocking. Throws DahdiUnavailableError without DAHDI, DahdiCallError otherwise. */
  static open(channo: number, opts: DahdiChannelOptions = {}): DahdiChannel {
    if (!Number.isInteger(channo) || channo < 1)
      throw new InputError('DahdiChannel.open', `channel number ${channo} is not a positive integer`);
    const libc = loadLibC();
    const device = opts.device ?? '/dev/dahdi/channel';
    const fd = libc.open(device, O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) throw new DahdiUnavailableError(device, lastErrno());
    if (libc.ioctlInt(fd, DAHDI_IOCTL.SPECIFY, [channo]) !== 0) {
      const errno = lastErrno();
      libc.close(fd);
      throw new DahdiCallError('DAHDI_SPECIFY', `${device} (channel ${channo})`, errno);
    }
    try {
      return new DahdiChannel(fd, channo, opts);
    } catch (err) {
      libc.close(fd);
      throw err;
    }
  }

  get isHdlc(): boolean {
    const sig = this.cachedParams.sigtype;
    return (sig & DAHDI.SIG_HARDHDLC) === DAHDI.SIG_HARDHDLC || (sig & DAHDI.SIG_HDLCFCS) === DAHDI.SIG_HDLCFCS;
  }

  get sigtype(): number {
    return this.cachedParams.sigtype;
  }

  get spanno(): number {
    return this.cachedParams.spanno;
  }

  get blockSize(): number {
    return this.block;
  }

  /** Events (hook, ring, CAS bits, alarms, ...) as they are read. */
  onEvent(cb: (ev: DahdiEvent) => void): Unsubscribe {
    const off = this.events.on(cb);
    this.startPolling();
    return off;
  }

  /** Audio blocks (A-law, blockSize bytes) or whole HDLC frames (with their 2 FCS bytes), as read. */
  onData(cb: (data: Uint8Array) => void): Unsubscribe {
    const off = this.data.on(cb);
    this.startPolling();
    return off;
  }

  params(): DahdiParamsValue {
    const p = emptyParams();
    this.ioctl('DAHDI_GET_PARAMS', this.libc.ioctlParams(this.fd, DAHDI_IOCTL.GET_PARAMS, p));
    this.cachedParams = p;
    return p;
  }

  /** Status and counters of this channel's span. */
  spanStatus(): DahdiSpaninfoValue {
    const si = emptySpaninfo(this.cachedParams.spanno);
    this.ioctl('DAHDI_SPANSTAT', this.libc.ioctlSpaninfo(this.fd, DAHDI_IOCTL.SPANSTAT, si));
    return si;
  }

  setBlockSize(bytes: number): void {
    if (!Number.isInteger(bytes) || bytes < 16 || bytes > DAHDI.MAX_BLOCKSIZE)
      throw new InputError(this.where, `block size ${bytes} is outside 16..${DAHDI.MAX_BLOCKSIZE}`);
    this.ioctl('DAHDI_SET_BLOCKSIZE', this.libc.ioctlInt(this.fd, DAHDI_IOCTL.SET_BLOCKSIZE, [bytes]));
    this.block = bytes;
    if (!this.isHdlc) this.rxBuf = Buffer.alloc(bytes);
  }

  setBufferInfo(numbufs: number, bufsize: number): void {
    const info = { txbufpolicy: DAHDI.POLICY_IMMEDIATE, rxbufpolicy: DAHDI.POLICY_IMMEDIATE, numbufs, bufsize, readbufs: 0, writebufs: 0 };
    this.ioctl('DAHDI_SET_BUFINFO', this.libc.ioctlBufinfo(this.fd, DAHDI_IOCTL.SET_BUFINFO, info));
    if (!this.isHdlc) {
      this.block = bufsize;
      this.rxBuf = Buffer.alloc(bufsize);
    }
  }

  setLaw(law: 'alaw' | 'mulaw' | 'default'): void {
    const code = law === 'alaw' ? DAHDI.LAW_ALAW : law === 'mulaw' ? DAHDI.LAW_MULAW : DAHDI.LAW_DEFAULT;
    this.ioctl('DAHDI_SETLAW', this.libc.ioctlInt(this.fd, DAHDI_IOCTL.SETLAW, [code]));
  }

  /** Gain tables of 256 entries each (A-law in, A-law out); identity tables mean unity gain. */
  setGains(rxgain: Uint8Array, txgain: Uint8Array): void {
    if (rxgain.length !== 256 || txgain.length !== 256) throw new InputError(this.where, 'gain tables must have 256 entries');
    this.ioctl('DAHDI_SETGAINS', this.libc.ioctlGains(this.fd, DAHDI_IOCTL.SETGAINS, { chan: 0, rxgain, txgain }));
  }

  flush(what: 'read' | 'write' | 'events' | 'all'): void {
    const code = { read: DAHDI.FLUSH_READ, write: DAHDI.FLUSH_WRITE, events: DAHDI.FLUSH_EVENT, all: DAHDI.FLUSH_ALL }[what];
    this.ioctl('DAHDI_FLUSH', this.libc.ioctlInt(this.fd, DAHDI_IOCTL.FLUSH, [code]));
  }

  /**
   * The ring cadence of an FXS port, ms on, off, on, off... (at most 8 pairs): DAHDI rings
   * with it from the next DAHDI_HOOK(ring) instead of the tone zone's.
   */
  setRingCadence(ms: readonly number[]): void {
    if (ms.length === 0 || ms.length > 16 || ms.length % 2 || ms.some((v) => !Number.isInteger(v) || v <= 0 || v > 60_000))
      throw new InputError(this.where, `ring cadence ${JSON.stringify(ms)}: 1-8 pairs of on/off times, each 1-60000 ms`);
    const cadence = new Int32Array(16);
    cadence.set(ms);
    this.ioctl('DAHDI_SETCADENCE', this.libc.ioctlInts(this.fd, DAHDI_IOCTL.SETCADENCE, cadence));
  }

  /** Analog hook control: off-hook/on-hook/flash on an FXO port, ring/ringoff on an FXS port. */
  hook(op: HookOperation): void {
    this.ioctl(`DAHDI_HOOK(${op})`, this.libc.ioctlInt(this.fd, DAHDI_IOCTL.HOOK, [HOOK_CODES[op]]));
  }

  /** Reverses (true) or restores the line polarity on an FXS port. */
  setPolarity(reversed: boolean): void {
    this.ioctl('DAHDI_SETPOLARITY', this.libc.ioctlInt(this.fd, DAHDI_IOCTL.SETPOLARITY, [reversed ? 1 : 0]));
  }

  /** CAS: the ABCD bits this channel sends (A = 8 ... D = 1). */
  setTxBits(abcd: number): void {
    if (!Number.isInteger(abcd) || abcd < 0 || abcd > 15) throw new InputError(this.where, `CAS bits ${abcd} are not 0..15`);
    this.ioctl('DAHDI_SETTXBITS', this.libc.ioctlInt(this.fd, DAHDI_IOCTL.SETTXBITS, [abcd]));
  }

  /** CAS: the ABCD bits now received. */
  rxBits(): number {
    const v: [number] = [0];
    this.ioctl('DAHDI_GETRXBITS', this.libc.ioctlInt(this.fd, DAHDI_IOCTL.GETRXBITS, v));
    return v[0];
  }

  /** DAHDI_IOMUX without waiting: which of read/write/writeempty/sigevent are ready now. */
  ready(): { read: boolean; write: boolean; writeEmpty: boolean; event: boolean } {
    const v: [number] = [DAHDI.IOMUX_READ | DAHDI.IOMUX_WRITE | DAHDI.IOMUX_WRITEEMPTY | DAHDI.IOMUX_SIGEVENT | DAHDI.IOMUX_NOWAIT];
    this.ioctl('DAHDI_IOMUX', this.libc.ioctlInt(this.fd, DAHDI_IOCTL.IOMUX, v));
    const r = v[0];
    return {
      read: !!(r & DAHDI.IOMUX_READ),
      write: !!(r & DAHDI.IOMUX_WRITE),
      writeEmpty: !!(r & DAHDI.IOMUX_WRITEEMPTY),
      event: !!(r & DAHDI.IOMUX_SIGEVENT),
    };
  }

  /** Joins a conference, monitors another channel, or leaves (kind 'none'); returns the conference number. */
  setConference(role: ConferenceRole): number {
    const info: DahdiConfinfoValue = { chan: 0, confno: 0, confmode: DAHDI.CONF_NORMAL };
    if (role.kind === 'member') {
      info.confno = role.confno === 0 ? -1 : role.confno;
      info.confmode =
        DAHDI.CONF_CONF | (role.talker === false ? 0 : DAHDI.CONF_TALKER) | (role.listener === false ? 0 : DAHDI.CONF_LISTENER);
    } else if (role.kind === 'monitor') {
      info.confno = role.channo;
      info.confmode = { rx: DAHDI.CONF_MONITOR, tx: DAHDI.CONF_MONITORTX, both: DAHDI.CONF_MONITORBOTH }[role.hear];
    }
    this.ioctl('DAHDI_SETCONF', this.libc.ioctlConfinfo(this.fd, DAHDI_IOCTL.SETCONF, info));
    return info.confno;
  }

  conference(): DahdiConfinfoValue {
    const info: DahdiConfinfoValue = { chan: 0, confno: 0, confmode: 0 };
    this.ioctl('DAHDI_GETCONF', this.libc.ioctlConfinfo(this.fd, DAHDI_IOCTL.GETCONF, info));
    return info;
  }

  /** Queues one block of audio; returns the bytes accepted (0 when DAHDI's buffers are full). */
  writeAudio(block: Uint8Array): number {
    this.assertOpen();
    const n = this.libc.write(this.fd, block, block.length);
    if (n >= 0) return n;
    const errno = lastErrno();
    if (errno === ERRNO.EAGAIN) return 0;
    if (errno === DAHDI.ELAST) {
      this.drainEvents();
      return this.writeAudio(block);
    }
    throw new DahdiCallError('write', this.where, errno);
  }

  /** Sends one HDLC frame; its last 2 bytes are the FCS slot the controller fills. */
  writeFrame(frame: Uint8Array): void {
    if (frame.length < 3) throw new InputError(this.where, `HDLC frame of ${frame.length} bytes is shorter than address + FCS`);
    if (this.writeAudio(frame) === 0) throw new DahdiCallError('write (HDLC)', this.where, ERRNO.EAGAIN);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.poller) {
      this.poller.stop();
      this.poller.close();
      this.poller = undefined;
    }
    this.events.clear();
    this.data.clear();
    this.libc.close(this.fd);
  }

  private startPolling(): void {
    this.assertOpen();
    if (this.poller) return;
    this.poller = koffi.node.poll(this.fd, { readable: true }, () => this.drain());
  }

  /** Reads what is waiting; called by libuv when the descriptor is readable. */
  private drain(): void {
    for (let i = 0; i < MAX_READS_PER_WAKE && !this.closed; i++) {
      const n = this.libc.read(this.fd, this.rxBuf, this.rxBuf.length);
      if (n > HDLC_MAX_FRAME && this.isHdlc) {
        // Longer than any D-channel frame: dropped whole and counted, never passed on cut short.
        this.oversizeFrames++;
        this.emitEvent(decodeDahdiEvent(DAHDI_EVENT.OVERRUN));
        continue;
      }
      if (n > 0) {
        this.emitData(this.rxBuf.subarray(0, n));
        continue;
      }
      if (n === 0) return;
      const errno = lastErrno();
      if (errno === DAHDI.ELAST) {
        this.drainEvents();
        continue;
      }
      if (errno === ERRNO.EAGAIN) return;
      if (errno === ERRNO.ENODEV) {
        this.emitEvent(decodeDahdiEvent(DAHDI_EVENT.REMOVED));
        this.close();
        return;
      }
      this.logger.error('DAHDI read failed', { errno });
      return;
    }
  }

  private drainEvents(): void {
    for (let i = 0; i < 64 && !this.closed; i++) {
      const v: [number] = [0];
      if (this.libc.ioctlInt(this.fd, DAHDI_IOCTL.GETEVENT, v) !== 0) {
        this.logger.error('DAHDI_GETEVENT failed', { errno: lastErrno() });
        return;
      }
      if (v[0] === DAHDI_EVENT.NONE) return;
      this.emitEvent(decodeDahdiEvent(v[0]));
    }
  }

  private emitEvent(ev: DahdiEvent): void {
    this.events.emit(ev);
  }

  private emitData(view: Uint8Array): void {
    if (!this.data.size) return;
    this.data.emit(Uint8Array.from(view));
  }

  private assertOpen(): void {
    if (this.closed) throw new ClosedError(this.where);
  }

  private ioctl(name: string, result: number): void {
    this.assertOpen();
    if (result !== 0) throw new DahdiCallError(name, this.where, lastErrno());
  }
}
