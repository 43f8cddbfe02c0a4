/**
 * libss7 2.0 (Debian libss7-2.0) as an ITU reference peer for our MTP2/MTP3/ISUP:
 * a real libss7 node on one end of a SOCK_SEQPACKET socketpair (its DAHDI D-channel
 * transport: whole frames with 2 FCS octets), our stack on the other end through a
 * SignallingLinkPort over the second descriptor. Test code only: production never
 * links libss7 (it has no China labels, TUP or China ISUP messages).
 *
 * libss7 owns no loop either: `tick()` polls its descriptor, runs its scheduler and
 * copies each event out of the union (offsets from build/ss7-offsets, compiled
 * against libss7.h) before anything else runs.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import koffi from 'koffi';
import { FrameDirection, SignallingLinkPort } from '../../drivers/ports/signalling-link';
import { openNativeLibrary, protoOnce } from '../../drivers/native-library';
import { Unsubscribe } from '../../src/core/emitter';

type Ptr = bigint | object;

const SS7_ITU = 1;
const SS7_NI_NAT = 2;
const SS7_TRANSPORT_DAHDIDCHAN = 0;
const SS7_NAI_NATIONAL = 3;
const AF_UNIX = 1;
const SOCK_SEQPACKET = 5;
const SOCK_NONBLOCK = 0o4000;
const POLLIN = 1;

export const LIBSS7_EVENT = { UP: 1, DOWN: 2, IAM: 5, ACM: 6, ANM: 7, REL: 8, RLC: 9, GRS: 10, GRA: 11, CON: 12 } as const;

export type Libss7Event =
  | { type: 'up' | 'down' }
  | { type: 'iam'; cic: number; called: string; calling: string; call: Ptr }
  | { type: 'acm' | 'anm' | 'con' | 'rlc'; cic: number; call: Ptr }
  | { type: 'rel'; cic: number; cause: number; call: Ptr }
  | { type: 'grs' | 'gra'; startcic: number; endcic: number; call: Ptr }
  | { type: 'other'; code: number };

interface Offsets {
  size: number;
  iam: { cic: number; called: number; calling: number; call: number };
  acm: { cic: number; call: number };
  anm: { cic: number; call: number };
  con: { cic: number; call: number };
  rel: { cic: number; cause: number; call: number };
  rlc: { cic: number; call: number };
  range: { startcic: number; endcic: number; call: number };
}

function load() {
  const h = openNativeLibrary('libss7', ['libss7.so.2.0', 'libss7.so'], 'libss7-2.0');
  const libc = koffi.load('libc.so.6');
  const logCb = protoOnce('ss7_log_cb', 'void ss7_log_cb(void *ss7, const char *msg)');
  // The application callbacks libss7 calls without checking they were set.
  const notInServiceCb = protoOnce('ss7_notinservice_cb', 'void ss7_notinservice_cb(void *ss7, int cic, unsigned int dpc)');
  const hangupCb = protoOnce('ss7_hangup_cb', 'int ss7_hangup_cb(void *ss7, int cic, unsigned int dpc, int cause, int do_hangup)');
  const callNullCb = protoOnce('ss7_call_null_cb', 'void ss7_call_null_cb(void *ss7, void *c, int lock)');
  const f = (d: string) => h.func(d);
  return {
    logCb,
    notInServiceCb,
    hangupCb,
    callNullCb,
    ss7_set_notinservice: f('void ss7_set_notinservice(ss7_notinservice_cb *fn)'),
    ss7_set_hangup: f('void ss7_set_hangup(ss7_hangup_cb *fn)'),
    ss7_set_call_null: f('void ss7_set_call_null(ss7_call_null_cb *fn)'),
    ss7_new: f('void *ss7_new(int switchtype)'),
    ss7_set_pc: f('int ss7_set_pc(void *ss7, unsigned int pc)'),
    ss7_set_network_ind: f('int ss7_set_network_ind(void *ss7, int ni)'),
    ss7_add_link: f('int ss7_add_link(void *ss7, int transport, int fd, int slc, unsigned int adjpc)'),
    ss7_start: f('int ss7_start(void *ss7)'),
    ss7_set_debug: f('void ss7_set_debug(void *ss7, unsigned int flags)'),
    ss7_read: f('int ss7_read(void *ss7, int fd)'),
    ss7_write: f('int ss7_write(void *ss7, int fd)'),
    ss7_schedule_run: f('int ss7_schedule_run(void *ss7)'),
    ss7_check_event: f('void *ss7_check_event(void *ss7)'),
    ss7_set_message: f('void ss7_set_message(ss7_log_cb *fn)'),
    ss7_set_error: f('void ss7_set_error(ss7_log_cb *fn)'),
    isup_new_call: f('void *isup_new_call(void *ss7, int cic, unsigned int dpc, int outgoing)'),
    isup_set_called: f('void isup_set_called(void *c, const char *called, uint8_t nai, void *ss7)'),
    isup_set_calling: f('void isup_set_calling(void *c, const char *calling, uint8_t nai, uint8_t pres, uint8_t screen)'),
    isup_iam: f('int isup_iam(void *ss7, void *c)'),
    isup_acm: f('int isup_acm(void *ss7, void *c)'),
    isup_anm: f('int isup_anm(void *ss7, void *c)'),
    isup_rel: f('int isup_rel(void *ss7, void *c, int cause)'),
    isup_rlc: f('int isup_rlc(void *ss7, void *c)'),
    isup_gra: f('int isup_gra(void *ss7, void *c, int endcic, uint8_t *state)'),
    isup_free_call: f('void isup_free_call(void *ss7, void *c)'),
    socketpair: libc.func('int socketpair(int domain, int type, int protocol, _Out_ int *sv)'),
    read: libc.func('long read(int fd, _Out_ uint8_t *buf, unsigned long n)'),
    write: libc.func('long write(int fd, const uint8_t *buf, unsigned long n)'),
    poll: libc.func('int poll(_Inout_ uint8_t *fds, unsigned long nfds, int timeout)'),
    close: libc.func('int close(int fd)'),
  };
}

let lib: ReturnType<typeof load> | undefined;
let offsets: Offsets | undefined;
const quiet = () => undefined;

function readable(fd: number): boolean {
  const pfd = Buffer.alloc(8);
  pfd.writeInt32LE(fd, 0);
  pfd.writeInt16LE(POLLIN, 4);
  return lib!.poll(pfd, 1, 0) > 0 && (pfd.readInt16LE(6) & POLLIN) !== 0;
}

/** Our end of the socketpair as the HDLC port our MTP2 runs over. */
class SocketLinkPort implements SignallingLinkPort {
  private readonly queue: Uint8Array[] = [];
  private readableCbs: (() => void)[] = [];
  private taps: ((dir: FrameDirection, frame: Uint8Array) => void)[] = [];
  private closed = false;

  constructor(readonly fd: number) {}

  send(frame: Uint8Array): void {
    if (this.closed) return;
    for (const t of this.taps) t('tx', frame);
    lib!.write(this.fd, frame, frame.length);
  }

  receive(): Uint8Array | undefined {
    return this.queue.shift();
  }

  /** Reads every frame waiting; tells the stack once. */
  pump(): void {
    if (this.closed) return;
    const buf = Buffer.alloc(512);
    let got = false;
    while (readable(this.fd)) {
      const n = Number(lib!.read(this.fd, buf, buf.length));
      if (n <= 0) break;
      const frame = Uint8Array.from(buf.subarray(0, n));
      for (const t of this.taps) t('rx', frame);
      this.queue.push(frame);
      got = true;
    }
    if (got) for (const cb of this.readableCbs) cb();
  }

  onReadable(listener: () => void): Unsubscribe {
    this.readableCbs.push(listener);
    return () => {
      this.readableCbs = this.readableCbs.filter((l) => l !== listener);
    };
  }

  onAlarm(): Unsubscribe {
    return () => undefined;
  }

  tap(listener: (dir: FrameDirection, frame: Uint8Array) => void): Unsubscribe {
    this.taps.push(listener);
    return () => {
      this.taps = this.taps.filter((l) => l !== listener);
    };
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

/** A libss7 ITU node with point code `pc`, linked to `adjacent` over one socketpair. */
export class Libss7Peer {
  readonly ours: SocketLinkPort;
  private readonly ss7: Ptr;
  private readonly fd: number;
  private timer: NodeJS.Timeout;
  private lastWrite = 0;
  private readonly writeEveryMs: number;
  private listeners: ((ev: Libss7Event) => void)[] = [];
  readonly events: Libss7Event[] = [];
  private readonly busyCics = new Set<number>();

  constructor(pc: number, adjacent: number, opts: { writeEveryMs?: number; log?: (line: string) => void } = {}) {
    lib ??= load();
    this.writeEveryMs = opts.writeEveryMs ?? 5;
    offsets ??= JSON.parse(execFileSync(join(__dirname, '..', '..', 'build', 'ss7-offsets'), { encoding: 'utf8' })) as Offsets;
    const log = opts.log;
    const cb = koffi.register(log ? (_ss7: unknown, msg: string) => log(msg) : quiet, koffi.pointer(lib.logCb));
    lib.ss7_set_message(cb);
    lib.ss7_set_error(cb);
    lib.ss7_set_notinservice(koffi.register(() => undefined, koffi.pointer(lib.notInServiceCb)));
    // A CIC with a call of libss7's is in use; any other is idle (SS7_CIC_USED 1, SS7_CIC_IDLE 2).
    lib.ss7_set_hangup(koffi.register((_s: unknown, cic: number) => (this.busyCics.has(cic) ? 1 : 2), koffi.pointer(lib.hangupCb)));
    lib.ss7_set_call_null(koffi.register(() => undefined, koffi.pointer(lib.callNullCb)));
    const sv = new Int32Array(2);
    if (lib.socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0, sv) !== 0) throw new Error('socketpair failed');
    this.fd = sv[0];
    this.ours = new SocketLinkPort(sv[1]);
    this.ss7 = lib.ss7_new(SS7_ITU);
    lib.ss7_set_pc(this.ss7, pc);
    lib.ss7_set_network_ind(this.ss7, SS7_NI_NAT);
    if (lib.ss7_add_link(this.ss7, SS7_TRANSPORT_DAHDIDCHAN, this.fd, 0, adjacent) !== 0) throw new Error('ss7_add_link failed');
    if (log) lib.ss7_set_debug(this.ss7, 7);
    lib.ss7_start(this.ss7);
    this.timer = setInterval(() => this.tick(), 2);
  }

  onEvent(listener: (ev: Libss7Event) => void): void {
    this.listeners.push(listener);
  }

  /** libss7 places a call towards us. */
  call(cic: number, dpc: number, called: string, calling: string): Ptr {
    this.busyCics.add(cic);
    const c = lib!.isup_new_call(this.ss7, cic, dpc, 1);
    lib!.isup_set_called(c, called, SS7_NAI_NATIONAL, this.ss7);
    lib!.isup_set_calling(c, calling, SS7_NAI_NATIONAL, 0, 3);
    lib!.isup_iam(this.ss7, c);
    return c;
  }

  acm(call: Ptr): void {
    lib!.isup_acm(this.ss7, call);
  }
  anm(call: Ptr): void {
    lib!.isup_anm(this.ss7, call);
  }
  rel(call: Ptr, cause: number): void {
    lib!.isup_rel(this.ss7, call, cause);
  }
  rlc(call: Ptr): void {
    lib!.isup_rlc(this.ss7, call);
  }
  /** Acknowledges a group reset; the call record libss7 made for it is freed (it would shadow a later call on the first CIC). */
  gra(call: Ptr, endcic: number): void {
    lib!.isup_gra(this.ss7, call, endcic, Buffer.alloc(256));
    lib!.isup_free_call(this.ss7, call);
  }

  close(): void {
    clearInterval(this.timer);
    void this.ours.close();
    lib!.close(this.fd);
    lib!.close(this.ours.fd);
  }

  private tick(): void {
    const l = lib!;
    while (readable(this.fd)) if (l.ss7_read(this.ss7, this.fd) < 0) break;
    // libss7 always wants to write on its D-channel transport: pace it, as the HDLC line would.
    const now = Date.now();
    if (now - this.lastWrite >= this.writeEveryMs) {
      this.lastWrite = now;
      l.ss7_write(this.ss7, this.fd);
    }
    l.ss7_schedule_run(this.ss7);
    for (let e = l.ss7_check_event(this.ss7); e; e = l.ss7_check_event(this.ss7)) this.deliver(this.decode(e));
    this.ours.pump();
  }

  private decode(e: Ptr): Libss7Event {
    const o = offsets!;
    const int = (at: number) => koffi.decode(e, at, 'int') as number;
    const ptr = (at: number) => koffi.decode(e, at, 'void *') as Ptr;
    const str = (at: number) => {
      const bytes = koffi.decode(e, at, koffi.array('uint8_t', 50)) as number[] | Uint8Array;
      const arr = Array.from(bytes);
      const end = arr.indexOf(0);
      return Buffer.from(arr.slice(0, end < 0 ? arr.length : end)).toString('latin1');
    };
    const code = int(0);
    switch (code) {
      case LIBSS7_EVENT.UP:
        return { type: 'up' };
      case LIBSS7_EVENT.DOWN:
        return { type: 'down' };
      case LIBSS7_EVENT.IAM:
        return { type: 'iam', cic: int(o.iam.cic), called: str(o.iam.called), calling: str(o.iam.calling), call: ptr(o.iam.call) };
      case LIBSS7_EVENT.ACM:
        return { type: 'acm', cic: int(o.acm.cic), call: ptr(o.acm.call) };
      case LIBSS7_EVENT.ANM:
        return { type: 'anm', cic: int(o.anm.cic), call: ptr(o.anm.call) };
      case LIBSS7_EVENT.CON:
        return { type: 'con', cic: int(o.con.cic), call: ptr(o.con.call) };
      case LIBSS7_EVENT.REL:
        return { type: 'rel', cic: int(o.rel.cic), cause: int(o.rel.cause), call: ptr(o.rel.call) };
      case LIBSS7_EVENT.RLC:
        return { type: 'rlc', cic: int(o.rlc.cic), call: ptr(o.rlc.call) };
      case LIBSS7_EVENT.GRS:
      case LIBSS7_EVENT.GRA:
        return {
          type: code === LIBSS7_EVENT.GRS ? 'grs' : 'gra',
          startcic: int(o.range.startcic),
          endcic: int(o.range.endcic),
          call: ptr(o.range.call),
        };
      default:
        return { type: 'other', code };
    }
  }

  private deliver(ev: Libss7Event): void {
    if (ev.type === 'iam') this.busyCics.add(ev.cic);
    if (ev.type === 'rlc' || ev.type === 'rel') this.busyCics.delete(ev.cic);
    this.events.push(ev);
    for (const l of this.listeners) l(ev);
  }
}
