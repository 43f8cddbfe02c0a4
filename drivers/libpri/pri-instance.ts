import koffi from 'koffi';
import { ClosedError, NativeCallError } from '../../src/core/errors';
import { LogLimiter } from '../../src/core/log-limiter';
import { Logger, silentLogger } from '../../src/core/logger';
import { DChannelTransport } from '../ports/signalling-link';
import {
  loadLibPri,
  LibPri,
  Pointer,
  PRI_CPE,
  PRI_NETWORK,
  PRI_SWITCH_EUROISDN_E1,
  PRI_TRANS_CAP_SPEECH,
  PRI_LAYER_1_ALAW,
  PRI_UNKNOWN_PLAN,
  PRES_ALLOWED_USER_NUMBER_NOT_SCREENED,
  PRI_PROG_INBAND_AVAILABLE,
} from './ffi';
import { decodePriEvent, PriEvent } from './pri-events';
import { Emitter, Unsubscribe } from '../../src/core/emitter';
import { Clock, systemClock } from '../../src/core/clock';
import { DeadlineFeeder, TimeFed } from '../../src/core/deadline-feeder';
import { installLibpriTimeHook, LibpriTimeHookError, withLibpriTime } from './time-hook';

export type PriRole = 'cpe' | 'net';

export interface PriInstanceOptions {
  role: PriRole;
  transport: DChannelTransport;
  logger?: Logger;
  /** libpri timers by name, in ms (e.g. { T203: 2000 }). */
  timers?: Record<string, number>;
  /** libpri debug flags (PRI_DEBUG_*), 0 by default. */
  debug?: number;
  /**
   * The clock libpri's timers follow (the wall clock by default). Any other clock is
   * fed to libpri through build/libpritime.so; where that cannot work the instance
   * warns and stays on the wall clock (see timeSource).
   */
  clock?: Clock;
}

export interface PriSetupRequest {
  channel: number;
  called: string;
  calling?: string;
}

/**
 * One libpri D-channel controller (`struct pri`), driven entirely from the Node
 * event loop: frames arrive through the transport, libpri's timers are fed from
 * the injected clock (feedTime/nextDeadline, one timer on the clock for the earliest
 * deadline, like the R2 engines), and events are copied out and handed to listeners
 * after each libpri call returns, never from inside it.
 *
 * On the wall clock libpri reads gettimeofday itself, as it always did. On any other
 * clock libpri is told the clock's time before every call into it (time-hook.ts), so
 * its T3xx/T2xx timers run in virtual time with the R2 and FXO engines.
 *
 * libpri 1.6 has no public destructor for `struct pri`: close() stops the timers,
 * detaches the transport and unregisters the callbacks; the struct itself (a few
 * kB) stays allocated until the process exits.
 */
export class PriInstance implements TimeFed {
  private readonly lib: LibPri;
  private readonly pri: Pointer;
  private readonly readCb: bigint;
  private readonly writeCb: bigint;
  private readonly transport: DChannelTransport;
  private readonly logger: Logger;
  private readonly events = new Emitter<[ev: PriEvent]>((err) => this.logger.error('libpri event listener failed', { error: String(err) }));
  private rxFrame: Uint8Array | undefined;
  /** The clock libpri's timers follow: opts.clock, or the wall clock when libpri cannot be fed time. */
  readonly clock: Clock;
  /** 'fed': libpri sees `clock`'s time; 'wall': libpri reads the wall clock itself. */
  readonly timeSource: 'fed' | 'wall';
  private readonly feeder: DeadlineFeeder;
  private closed = false;
  private inLibpri = false;
  /** An exception raised inside a callback from libpri, kept until libpri returns (it must not unwind through C). */
  private callbackError: unknown;
  private readonly limitedLog: LogLimiter;
  /** Failures caught at the entry points libpri is driven from (frames, timers). */
  faults = 0;

  constructor(readonly opts: PriInstanceOptions) {
    const { lib, ioCb } = loadLibPri();
    this.lib = lib;
    this.transport = opts.transport;
    this.logger = (opts.logger ?? silentLogger).child({ pri: opts.role });
    this.limitedLog = new LogLimiter(this.logger);
    ({ clock: this.clock, timeSource: this.timeSource } = this.chooseTimeSource(opts.clock ?? systemClock));

    this.readCb = koffi.register((_pri: unknown, buf: Pointer, buflen: number) => {
      const frame = this.rxFrame;
      this.rxFrame = undefined;
      if (!frame) {
        koffi.errno(11); // EAGAIN: nothing to read, libpri stays quiet
        return -1;
      }
      // A frame longer than libpri's buffer is dropped whole, never cut short silently.
      if (frame.length > buflen) {
        this.limitedLog.warn('D-channel frame longer than libpri reads: dropped', { bytes: frame.length, max: buflen });
        koffi.errno(11);
        return -1;
      }
      new Uint8Array(koffi.view(buf, frame.length)).set(frame);
      return frame.length;
    }, koffi.pointer(ioCb));
    this.writeCb = koffi.register((_pri: unknown, buf: Pointer, buflen: number) => {
      try {
        this.transport.send(new Uint8Array(koffi.view(buf, buflen)).slice());
        return buflen;
      } catch (err) {
        this.callbackError ??= err;
        return -1;
      }
    }, koffi.pointer(ioCb));

    // pri_new_cb schedules the start of layer 2: it needs the time already.
    const pri = this.atLibpriTime(() =>
      lib.pri_new_cb(-1, opts.role === 'cpe' ? PRI_CPE : PRI_NETWORK, PRI_SWITCH_EUROISDN_E1, this.readCb, this.writeCb, null),
    );
    if (!pri) {
      koffi.unregister(this.readCb);
      koffi.unregister(this.writeCb);
      throw new NativeCallError('pri_new_cb', 0);
    }
    this.pri = pri;
    LibPriLogRouter.attach(pri, this.limitedLog);
    lib.pri_set_debug(pri, opts.debug ?? 0);
    for (const [name, ms] of Object.entries(opts.timers ?? {})) {
      const idx = lib.pri_timer2idx(name);
      if (idx < 0 || lib.pri_set_timer(pri, idx, ms) !== 0) throw new NativeCallError(`pri_set_timer(${name})`, idx);
    }
    this.feeder = new DeadlineFeeder(this.clock);
    this.transport.onReadable(() => this.drain());
    // Starting layer 2 is itself a scheduled libpri event.
    this.feeder.add(this);
  }

  /** libpri's next deadline in the clock's ms, or undefined when no libpri timer runs. */
  nextDeadline(): number | undefined {
    if (this.closed) return undefined;
    const tv = this.lib.pri_schedule_next(this.pri);
    if (!tv) return undefined;
    const v = new DataView(koffi.view(tv, 16));
    return Number(v.getBigInt64(0, true)) * 1000 + Number(v.getBigInt64(8, true)) / 1000;
  }

  /** Runs every libpri timer due at `now` (the clock's time) and hands out the events they raise. */
  feedTime(now: number): void {
    // libpri runs expired timers until one raises an event; keep going while any is due.
    for (let i = 0; i < 1000 && !this.closed; i++) {
      let stop = false;
      this.guarded('timer', () => {
        const evPtr = this.enter(() => this.lib.pri_schedule_run(this.pri));
        if (evPtr) this.dispatch(decodePriEvent(evPtr));
        const next = this.nextDeadline();
        stop = next === undefined || next > now;
      });
      if (stop) break;
    }
  }

  onEvent(listener: (ev: PriEvent) => void): Unsubscribe {
    return this.events.on(listener);
  }

  /** Layer-1 alarm changes of the transport under this D-channel. */
  onTransportAlarm(cb: (inAlarm: boolean, reason: string) => void): void {
    this.transport.onAlarm(cb);
  }

  /** Places a call on an exclusive channel; returns libpri's call handle. */
  setup(req: PriSetupRequest): Pointer {
    this.assertOpen();
    const call = this.lib.pri_new_call(this.pri);
    if (!call) throw new NativeCallError('pri_new_call', 0);
    const sr = this.lib.pri_sr_new();
    if (!sr) throw new NativeCallError('pri_sr_new', 0);
    try {
      this.lib.pri_sr_set_channel(sr, req.channel, 1, 0);
      this.lib.pri_sr_set_bearer(sr, PRI_TRANS_CAP_SPEECH, PRI_LAYER_1_ALAW);
      this.lib.pri_sr_set_called(sr, req.called, PRI_UNKNOWN_PLAN, 1);
      if (req.calling) this.lib.pri_sr_set_caller(sr, req.calling, null, PRI_UNKNOWN_PLAN, PRES_ALLOWED_USER_NUMBER_NOT_SCREENED);
      this.check('pri_setup', () => this.lib.pri_setup(this.pri, call, sr));
    } finally {
      this.lib.pri_sr_free(sr);
    }
    return call;
  }

  proceeding(call: Pointer, channel: number): void {
    this.check('pri_proceeding', () => this.lib.pri_proceeding(this.pri, call, channel, 0));
  }

  /** ALERTING, with in-band ringback announced. */
  alerting(call: Pointer, channel: number, inband = true): void {
    this.check('pri_acknowledge', () => this.lib.pri_acknowledge(this.pri, call, channel, inband ? 1 : 0));
  }

  progress(call: Pointer, channel: number, inband = true): void {
    this.check('pri_progress', () => this.lib.pri_progress(this.pri, call, channel, inband ? PRI_PROG_INBAND_AVAILABLE : 0));
  }

  answer(call: Pointer, channel: number): void {
    this.check('pri_answer', () => this.lib.pri_answer(this.pri, call, channel, 0));
  }

  /** DISCONNECT, RELEASE or RELEASE COMPLETE as the call state requires; also frees a cleared call. */
  hangup(call: Pointer, cause: number): void {
    this.check('pri_hangup', () => this.lib.pri_hangup(this.pri, call, cause));
  }

  /** Frees a call libpri still holds after the far end restarted its channel. */
  destroyCall(call: Pointer): void {
    this.assertOpen();
    this.enter(() => this.lib.pri_destroycall(this.pri, call));
    this.deadlineMayHaveMoved();
  }

  /** RESTART for one B-channel. */
  resetChannel(channel: number): void {
    this.check('pri_reset', () => this.lib.pri_reset(this.pri, channel));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.feeder.close();
    this.events.clear();
    this.transport.close();
    LibPriLogRouter.detach(this.pri);
    koffi.unregister(this.readCb);
    koffi.unregister(this.writeCb);
  }

  private assertOpen(): void {
    if (this.closed) throw new ClosedError('libpri instance');
  }

  /** Runs a libpri call, then any timer change it caused; maps failure to NativeCallError. */
  private check(fn: string, run: () => number): void {
    this.assertOpen();
    const res = this.enter(run);
    this.deadlineMayHaveMoved();
    if (res !== 0) throw new NativeCallError(fn, res);
  }

  private enter<T>(run: () => T): T {
    if (this.inLibpri) throw new Error('libpri re-entered from its own callback');
    this.inLibpri = true;
    this.callbackError = undefined;
    try {
      return this.atLibpriTime(run);
    } finally {
      this.inLibpri = false;
      const err = this.callbackError;
      this.callbackError = undefined;
      // eslint-disable-next-line no-unsafe-finally
      if (err !== undefined) throw err;
    }
  }

  /**
   * Entry points driven by the line and the clock (not by a caller who could catch):
   * a failure in one frame or timer is logged, counted and leaves the instance
   * running, instead of escaping into the event loop and ending the process.
   */
  private guarded(where: 'frame' | 'timer', run: () => void): void {
    try {
      run();
    } catch (err) {
      this.faults++;
      this.limitedLog.log('error', `libpri ${where} handling failed`, { error: String(err) });
    }
  }

  private drain(): void {
    for (;;) {
      if (this.closed) return;
      const frame = this.transport.receive();
      if (!frame) break;
      this.guarded('frame', () => {
        this.rxFrame = frame;
        try {
          const evPtr = this.enter(() => this.lib.pri_check_event(this.pri));
          if (evPtr) this.dispatch(decodePriEvent(evPtr));
        } finally {
          this.rxFrame = undefined;
        }
      });
    }
    this.guarded('timer', () => this.deadlineMayHaveMoved());
  }

  /** A libpri call may have started a timer earlier than the one the feeder waits for. */
  private deadlineMayHaveMoved(): void {
    if (!this.closed) this.feeder.changed(this);
  }

  /** Runs a call into libpri with libpri seeing this instance's time. */
  private atLibpriTime<T>(run: () => T): T {
    return withLibpriTime(this.timeSource === 'fed' ? this.clock.now() : undefined, run);
  }

  /**
   * The wall clock needs nothing from us. Any other clock needs libpri's GOT rewritten;
   * if that is impossible here (libpri linked statically, the hook not built) the
   * instance warns and runs on the wall clock: slower tests, never a wrong time.
   */
  private chooseTimeSource(clock: Clock): { clock: Clock; timeSource: 'fed' | 'wall' } {
    if (clock === systemClock) return { clock, timeSource: 'wall' };
    try {
      installLibpriTimeHook();
      return { clock, timeSource: 'fed' };
    } catch (err) {
      if (!(err instanceof LibpriTimeHookError)) throw err;
      this.logger.warn('libpri timers stay on the wall clock, not the injected one', { error: err.message, reason: err.reason });
      return { clock: systemClock, timeSource: 'wall' };
    }
  }

  private dispatch(ev: PriEvent): void {
    this.events.emit(ev);
  }
}

/**
 * libpri's message and error hooks are process-global; one pair of callbacks
 * routes each line to the logger of the instance it names.
 */
const LibPriLogRouter = {
  loggers: new Map<Pointer, LogLimiter>(),
  hooks: undefined as { message: bigint; error: bigint } | undefined,

  attach(pri: Pointer, logger: LogLimiter): void {
    this.loggers.set(pri, logger);
    if (this.hooks) return;
    const { lib, logCb } = loadLibPri();
    // Rate-limited per instance and per kind of message (digits folded), so a hostile
    // line's 18k warnings are a few lines with counts; never throws back into libpri.
    const route = (level: 'debug' | 'warn') => (p: Pointer, msg: string) => {
      try {
        const text = `libpri: ${String(msg).trimEnd()}`;
        this.loggers.get(p)?.log(level, text, undefined, text.replace(/\d+/g, '#'));
      } catch {
        // A logging failure must not unwind through libpri.
      }
    };
    this.hooks = {
      message: koffi.register(route('debug'), koffi.pointer(logCb)),
      error: koffi.register(route('warn'), koffi.pointer(logCb)),
    };
    lib.pri_set_message(this.hooks.message);
    lib.pri_set_error(this.hooks.error);
  },

  detach(pri: Pointer): void {
    this.loggers.delete(pri);
    if (this.loggers.size || !this.hooks) return;
    const { lib } = loadLibPri();
    lib.pri_set_message(null);
    lib.pri_set_error(null);
    koffi.unregister(this.hooks.message);
    koffi.unregister(this.hooks.error);
    this.hooks = undefined;
  },
};
