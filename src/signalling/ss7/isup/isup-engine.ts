import { Clock, TimerHandle } from '../../../core/clock';
import { Logger, silentLogger } from '../../../core/logger';
import { SI } from '../mtp3/routing-label';
import { Ss7DecodeError } from '../ss7-errors';
import { CircuitUserPart, UserPartEvent } from '../user-part';
import { CircuitEvent, ISUP_TIMERS, IsupCircuit, IsupTimers } from './isup-circuit';
import { decodeIsup, encodeIsup, IsupMessage, IsupMessageName } from './isup-messages';
import {
  decodePartyNumber,
  decodeRangeAndStatus,
  encodeCalledNumber,
  encodeCallingNumber,
  encodeRangeAndStatus,
  encodeSubsequentNumber,
  NatureOfAddress,
  ParamName,
} from './isup-params';
import { Emitter, Unsubscribe } from '../../../core/emitter';

/** What ISUP needs from MTP3: send to the peer, and whether it is reachable. */
export interface IsupTransport {
  /** Sends CIC + message (what follows the label) with the given SLS. */
  send(sls: number, body: Uint8Array): boolean;
}

export interface IsupEngineOptions {
  transport: IsupTransport;
  /** Routing label length: the engine receives whole SIFs (China 7, ITU 4). */
  labelOctets: number;
  cics: readonly number[];
  clock: Clock;
  /** Our point code is above the peer's: we control even CICs on dual seizure. */
  higherPointCode: boolean;
  timers?: Partial<IsupTimers>;
  /** IAM defaults: calling party category (China ordinary subscriber 0x0a), nature of address. */
  callingCategory?: number;
  calledNature?: NatureOfAddress;
  callingNature?: NatureOfAddress;
  /**
   * Overlap sending, for exchanges that want it: the IAM carries this many digits of
   * the called number and a SAM the rest, ended by ST. Undefined: en bloc.
   */
  overlapSendIamDigits?: number;
  /** Overlap receive: an IAM with fewer digits and no ST waits for SAMs (see CircuitContext.overlapMinDigits). */
  overlapReceiveMinDigits?: number;
  logger?: Logger;
}

export type IsupEvent = UserPartEvent;

/**
 * ISUP for one peer: a circuit engine per CIC, message dispatch, and circuit
 * maintenance (RSC, GRS/GRA, BLO/UBL, CGB/CGU and their acknowledgements).
 */
export class IsupEngine implements CircuitUserPart {
  readonly serviceIndicator = SI.ISUP;
  readonly circuits = new Map<number, IsupCircuit>();
  readonly timers: IsupTimers;
  private readonly events = new Emitter<[ev: IsupEvent]>((err) => this.logger.error('event listener failed', { error: String(err) }));
  private readonly logger: Logger;
  private readonly groupTimers = new Map<string, TimerHandle>();
  /**
   * Blocking or unblocking we asked for and the far end has not acknowledged: kept across
   * a link outage (the message may have been lost with the link) and sent again as soon
   * as the route is back, and what our GRA reports, so neither end is left believing a
   * circuit blocked that the other unblocked.
   */
  private readonly maintenance = new Map<number, 'BLO' | 'UBL'>();
  readonly counters = { decodeErrors: 0, unknownCic: 0 };

  constructor(private readonly opts: IsupEngineOptions) {
    this.timers = { ...ISUP_TIMERS, ...opts.timers };
    this.logger = (opts.logger ?? silentLogger).child({ isup: true });
    for (const cic of opts.cics) {
      const circuit: IsupCircuit = new IsupCircuit(cic, {
        clock: opts.clock,
        timers: this.timers,
        controlsDualSeizure: opts.higherPointCode === (cic % 2 === 0),
        overlapMinDigits: opts.overlapReceiveMinDigits,
        send: (type, params) => this.send(type, cic, params ?? {}),
        report: (ev) => this.report(circuit, ev),
      });
      this.circuits.set(cic, circuit);
    }
  }

  onEvent(listener: (ev: IsupEvent) => void): Unsubscribe {
    return this.events.on(listener);
  }

  /** Sends an IAM on an idle circuit: en bloc, or (overlapSendIamDigits) the first digits then a SAM with the rest. */
  setup(cic: number, called: string, calling?: string): void {
    const split = this.opts.overlapSendIamDigits;
    const overlap = split !== undefined && called.length > split;
    const inIam = overlap ? called.slice(0, split) : called;
    const params: Partial<Record<ParamName, Uint8Array>> = {
      natureOfConnectionIndicators: Uint8Array.of(0x00),
      forwardCallIndicators: Uint8Array.of(0x60, 0x01),
      callingPartyCategory: Uint8Array.of(this.opts.callingCategory ?? 0x0a),
      transmissionMediumRequirement: Uint8Array.of(0x00),
      calledPartyNumber: encodeCalledNumber({ digits: inIam, nature: this.opts.calledNature ?? 'national' }),
    };
    if (calling) params.callingPartyNumber = encodeCallingNumber({ digits: calling, nature: this.opts.callingNature ?? 'national' });
    this.circuit(cic).setup(params, overlap ? [encodeSubsequentNumber(called.slice(split), true)] : []);
  }

  /** Incoming call: address complete, called party's state not yet known (ACM, no indication). */
  proceeding(cic: number): void {
    this.circuits.get(cic)?.proceeding();
  }

  /** Incoming call: in-band information on the line (CPG, after an ACM if none was sent). */
  progress(cic: number, inband = true): void {
    this.circuits.get(cic)?.progress(inband);
  }

  alert(cic: number): void {
    this.circuits.get(cic)?.alert();
  }

  answer(cic: number): void {
    this.circuits.get(cic)?.answer();
  }

  release(cic: number, cause: number): void {
    this.circuits.get(cic)?.release(cause);
  }

  reset(cic: number): void {
    this.circuits.get(cic)?.reset();
  }

  /** The link set went down: every circuit is cleared without signalling (blocking asked for is kept, see `maintenance`). */
  dropAll(): void {
    for (const c of this.circuits.values()) c.drop();
    for (const t of this.groupTimers.values()) t.cancel();
    this.groupTimers.clear();
  }

  /** Circuit group reset over every CIC, in runs of up to 32 consecutive CICs (after MTP resumes). */
  resetAll(): void {
    for (const [first, count] of this.runs([...this.circuits.keys()])) this.sendGrs(first, count);
    for (const [cic, type] of [...this.maintenance]) {
      if (type === 'BLO') this.block(cic);
      else this.unblock(cic);
    }
  }

  /** Blocks (maintenance) one circuit: BLO, BLA expected within T12. */
  block(cic: number): void {
    this.circuit(cic);
    this.maintenance.set(cic, 'BLO');
    this.send('BLO', cic, {});
    this.groupTimer(`blo ${cic}`, this.timers.T12, () => this.block(cic));
  }

  unblock(cic: number): void {
    this.circuit(cic);
    this.maintenance.set(cic, 'UBL');
    this.send('UBL', cic, {});
    this.groupTimer(`blo ${cic}`, this.timers.T14, () => this.unblock(cic));
  }

  /** Circuit group blocking (maintenance) of `count` CICs from `first`. */
  blockGroup(first: number, count: number, block = true): void {
    const status = Array.from({ length: count }, (_, i) => this.circuits.has(first + i));
    this.send(block ? 'CGB' : 'CGU', first, {
      circuitGroupSupervisionType: Uint8Array.of(0),
      rangeAndStatus: encodeRangeAndStatus(count, status),
    });
  }

  /** Group resets sent and not yet acknowledged (GRA). */
  get resetsPending(): number {
    return [...this.groupTimers.keys()].filter((k) => k.startsWith('grs ')).length;
  }

  inService(cic: number): boolean {
    return this.circuits.get(cic)?.inService ?? false;
  }

  available(cic: number): boolean {
    return this.circuits.get(cic)?.available ?? false;
  }

  /** One received ISUP message: the SIF, label included. */
  receive(sif: Uint8Array): void {
    let m: IsupMessage;
    try {
      m = decodeIsup(sif.subarray(this.opts.labelOctets));
      this.dispatch(m);
    } catch (err) {
      if (!(err instanceof Ss7DecodeError)) throw err;
      this.counters.decodeErrors++;
      this.emit({ type: 'error', error: err });
    }
  }

  private dispatch(m: IsupMessage): void {
    const c = this.circuits.get(m.cic);
    if (!c) {
      this.counters.unknownCic++;
      this.logger.debug('message for a CIC we do not have', { cic: m.cic, type: m.type });
      return;
    }
    switch (m.type) {
      case 'RSC':
        c.remoteReset();
        this.send('RLC', m.cic, {});
        return this.emit({ type: 'circuit', cic: m.cic, available: c.inService });
      case 'GRS':
        return this.receivedGrs(m);
      case 'GRA':
        return this.receivedRange(
          m,
          (circuit, bit) => {
            circuit.remoteBlocked = bit;
          },
          `grs ${m.cic}`,
        );
      case 'BLO':
        c.remoteBlocked = true;
        this.send('BLA', m.cic, {});
        return this.emit({ type: 'circuit', cic: m.cic, available: false });
      case 'UBL':
        c.remoteBlocked = false;
        this.send('UBA', m.cic, {});
        return this.emit({ type: 'circuit', cic: m.cic, available: c.inService });
      case 'BLA':
      case 'UBA':
        c.localBlocked = m.type === 'BLA';
        if (this.maintenance.get(m.cic) === (m.type === 'BLA' ? 'BLO' : 'UBL')) this.maintenance.delete(m.cic);
        this.groupTimers.get(`blo ${m.cic}`)?.cancel();
        this.groupTimers.delete(`blo ${m.cic}`);
        return;
      case 'CGB':
      case 'CGU': {
        const block = m.type === 'CGB';
        this.receivedRange(m, (circuit, bit) => {
          if (bit) circuit.remoteBlocked = block;
        });
        this.send(block ? 'CGBA' : 'CGUA', m.cic, {
          circuitGroupSupervisionType: m.params.circuitGroupSupervisionType!,
          rangeAndStatus: m.params.rangeAndStatus!,
        });
        return;
      }
      case 'CGBA':
      case 'CGUA':
        return this.receivedRange(m, (circuit, bit) => {
          if (bit) circuit.localBlocked = m.type === 'CGBA';
        });
      case 'OPR':
        this.logger.info('operator message (China) ignored', { cic: m.cic });
        return;
      default:
        return c.receive(m);
    }
  }

  private receivedGrs(m: IsupMessage): void {
    const { count } = decodeRangeAndStatus(m.params.rangeAndStatus!);
    const status: boolean[] = [];
    for (let i = 0; i < count; i++) {
      const circuit = this.circuits.get(m.cic + i);
      if (circuit) {
        circuit.remoteReset();
        this.emit({ type: 'circuit', cic: circuit.cic, available: circuit.inService });
      }
      status.push(circuit ? this.locallyBlocked(circuit) : false);
    }
    this.send('GRA', m.cic, { rangeAndStatus: encodeRangeAndStatus(count, status) });
  }

  /** Applies a range-and-status message bit by bit, then reports each circuit. */
  private receivedRange(m: IsupMessage, apply: (c: IsupCircuit, bit: boolean) => void, timerKey?: string): void {
    const { count, status } = decodeRangeAndStatus(m.params.rangeAndStatus!);
    if (timerKey) {
      this.groupTimers.get(timerKey)?.cancel();
      this.groupTimers.delete(timerKey);
    }
    for (let i = 0; i < count; i++) {
      const circuit = this.circuits.get(m.cic + i);
      if (!circuit) continue;
      apply(circuit, status[i] ?? false);
      if (m.type === 'GRA' && circuit.state === 'resetting') circuit.receive({ type: 'RLC', cic: circuit.cic, params: {} });
      this.emit({ type: 'circuit', cic: circuit.cic, available: circuit.inService });
    }
  }

  private sendGrs(first: number, count: number): void {
    for (let i = 0; i < count; i++) this.circuits.get(first + i)?.drop();
    this.send('GRS', first, { rangeAndStatus: encodeRangeAndStatus(count) });
    this.groupTimer(`grs ${first}`, this.timers.T22, () => this.sendGrs(first, count));
  }

  private groupTimer(key: string, ms: number, fn: () => void): void {
    this.groupTimers.get(key)?.cancel();
    this.groupTimers.set(
      key,
      this.opts.clock.setTimer(ms, () => {
        this.groupTimers.delete(key);
        fn();
      }),
    );
  }

  /** Consecutive CIC runs of at most 32. */
  private runs(cics: number[]): [number, number][] {
    const sorted = [...cics].sort((a, b) => a - b);
    const out: [number, number][] = [];
    for (const cic of sorted) {
      const last = out.at(-1);
      if (last && last[0] + last[1] === cic && last[1] < 32) last[1]++;
      else out.push([cic, 1]);
    }
    return out;
  }

  /** Blocked at our end as far as the far end should know: what we last asked for, acknowledged or not. */
  private locallyBlocked(c: IsupCircuit): boolean {
    const asked = this.maintenance.get(c.cic);
    return asked ? asked === 'BLO' : c.localBlocked;
  }

  private circuit(cic: number): IsupCircuit {
    const c = this.circuits.get(cic);
    if (!c) throw new RangeError(`CIC ${cic} is not configured`);
    return c;
  }

  private send(type: IsupMessageName, cic: number, params: Partial<Record<ParamName, Uint8Array>>): void {
    // The CIC's low 4 bits choose the link (SLS), so a circuit's messages stay in order.
    if (!this.opts.transport.send(cic & 0x0f, encodeIsup({ type, cic, params })))
      this.logger.debug('ISUP message not sent: no route', { type, cic });
  }

  private report(c: IsupCircuit, ev: CircuitEvent): void {
    if (ev.type === 'offered') {
      const called = ev.digits;
      const calling = ev.called.params.callingPartyNumber
        ? decodePartyNumber(ev.called.params.callingPartyNumber, 'calling party number').digits
        : undefined;
      return this.emit({ type: 'offered', cic: c.cic, number: called, callerId: calling || undefined });
    }
    this.emit({ ...ev, cic: c.cic });
  }

  private emit(ev: IsupEvent): void {
    this.events.emit(ev);
  }
}
