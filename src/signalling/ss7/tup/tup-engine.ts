import { Clock, TimerHandle } from '../../../core/clock';
import { Logger, silentLogger } from '../../../core/logger';
import { Mtp3Variant, SI } from '../mtp3/routing-label';
import { Ss7DecodeError } from '../ss7-errors';
import { CircuitUserPart, UserPartEvent } from '../user-part';
import { TUP_TIMERS, TupCircuit, TupTimers } from './tup-circuit';
import { decodeTup, encodeTup, TupMessage, TupMessageName } from './tup-messages';
import { Emitter, Unsubscribe } from '../../../core/emitter';

export interface TupEngineOptions {
  variant: Mtp3Variant;
  opc: number;
  dpc: number;
  /** Sends a TUP SIF (label with CIC included) with the given SLS. */
  send(sif: Uint8Array, sls: number): boolean;
  cics: readonly number[];
  clock: Clock;
  higherPointCode: boolean;
  /** Calling party category (China ordinary subscriber, toll: 0x0a). */
  category?: number;
  timers?: Partial<TupTimers>;
  /** Meet an incoming IAM that has no calling number with GRQ, and offer the call with the GSM's CLI. */
  requestCli?: boolean;
  logger?: Logger;
}

/** Group blocking as TUP names it: maintenance-oriented (MGB/MGU) or hardware failure-oriented (HGB/HGU). */
export type TupGroupBlockKind = 'maintenance' | 'hardware';
const GROUP_SEND: Record<TupGroupBlockKind, { block: TupMessageName; unblock: TupMessageName }> = {
  maintenance: { block: 'MGB', unblock: 'MGU' },
  hardware: { block: 'HGB', unblock: 'HGU' },
};
/** The message each acknowledgement answers (its repeat timer is cancelled). */
const ACKNOWLEDGES: Partial<Record<TupMessageName, TupMessageName>> = {
  MBA: 'MGB',
  MUA: 'MGU',
  HBA: 'HGB',
  HUA: 'HGU',
  SBA: 'SGB',
  SUA: 'SGU',
  BLA: 'BLO',
  UBA: 'UBL',
};

/** Group blocking messages and their acknowledgements (maintenance, hardware, software). */
const GROUP_BLOCK: Partial<Record<TupMessageName, [TupMessageName, boolean]>> = {
  MGB: ['MBA', true],
  MGU: ['MUA', false],
  HGB: ['HBA', true],
  HGU: ['HUA', false],
  SGB: ['SBA', true],
  SGU: ['SUA', false],
};
const GROUP_ACK: Partial<Record<TupMessageName, boolean>> = { MBA: true, MUA: false, HBA: true, HUA: false, SBA: true, SUA: false };

/**
 * China TUP for one peer: a TupCircuit per CIC, message dispatch, and circuit
 * supervision (RSC, GRS/GRA, BLO/UBL and the group blocking messages).
 */
export class TupEngine implements CircuitUserPart {
  readonly serviceIndicator = SI.TUP;
  readonly circuits = new Map<number, TupCircuit>();
  readonly timers: TupTimers;
  private readonly events = new Emitter<[ev: UserPartEvent]>((err) => this.logger.error('event listener failed', { error: String(err) }));
  private readonly groupTimers = new Map<string, TimerHandle>();
  /**
   * (Group) blocking messages sent and not yet acknowledged, by timer key: kept across a
   * link outage (the message may have been lost with the link) and sent again as soon as
   * the route is back; what our GRA reports follows them.
   */
  private readonly awaitingAck = new Map<string, TupMessage>();
  private readonly logger: Logger;
  readonly counters = { decodeErrors: 0, unknownCic: 0 };

  constructor(private readonly opts: TupEngineOptions) {
    this.timers = { ...TUP_TIMERS, ...opts.timers };
    this.logger = (opts.logger ?? silentLogger).child({ tup: true });
    for (const cic of opts.cics) {
      const circuit = new TupCircuit(cic, {
        clock: opts.clock,
        timers: this.timers,
        controlsDualSeizure: opts.higherPointCode === (cic % 2 === 0),
        category: opts.category ?? 0x0a,
        requestCli: opts.requestCli,
        send: (m) => this.send({ ...m, cic }),
        report: (ev) => this.emit({ ...ev, cic } as UserPartEvent),
      });
      this.circuits.set(cic, circuit);
    }
  }

  get resetsPending(): number {
    return [...this.groupTimers.keys()].filter((k) => k.startsWith('grs ')).length;
  }

  onEvent(listener: (ev: UserPartEvent) => void): Unsubscribe {
    return this.events.on(listener);
  }

  inService(cic: number): boolean {
    return this.circuits.get(cic)?.inService ?? false;
  }

  available(cic: number): boolean {
    return this.circuits.get(cic)?.available ?? false;
  }

  setup(cic: number, called: string, calling?: string): void {
    const c = this.circuits.get(cic);
    if (!c) throw new RangeError(`CIC ${cic} is not configured`);
    c.setup(called, calling);
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

  /** Blocks one circuit (BLO), sent again every T-blockAck until BLA. */
  block(cic: number): void {
    if (!this.circuits.has(cic)) return;
    this.sendUntilAcked({ type: 'BLO', cic });
  }

  unblock(cic: number): void {
    if (!this.circuits.has(cic)) return;
    this.sendUntilAcked({ type: 'UBL', cic });
  }

  /**
   * Blocks (or unblocks) `count` circuits from `first` with one group message (MGB/MGU
   * maintenance, HGB/HGU hardware failure), range and status as the GRM tables give
   * them; sent again every T-blockAck until its acknowledgement, whose status bits say
   * which circuits the far end took as blocked.
   */
  blockGroup(first: number, count: number, opts: { kind?: TupGroupBlockKind; block?: boolean } = {}): void {
    if (!Number.isInteger(count) || count < 1 || count > 32) throw new RangeError(`a TUP group is 1-32 circuits, not ${count}`);
    const names = GROUP_SEND[opts.kind ?? 'maintenance'];
    const status = Array.from({ length: count }, (_, i) => this.circuits.has(first + i));
    this.sendUntilAcked({ type: opts.block === false ? names.unblock : names.block, cic: first, range: count - 1, status });
  }

  /** Blocking and group blocking messages awaiting their acknowledgement. */
  get blockingPending(): number {
    return [...this.groupTimers.keys()].filter((k) => !k.startsWith('grs ')).length;
  }

  dropAll(): void {
    for (const c of this.circuits.values()) c.drop();
    for (const t of this.groupTimers.values()) t.cancel();
    this.groupTimers.clear();
  }

  resetAll(): void {
    const sorted = [...this.circuits.keys()].sort((a, b) => a - b);
    const runs: [number, number][] = [];
    for (const cic of sorted) {
      const last = runs.at(-1);
      if (last && last[0] + last[1] === cic && last[1] < 32) last[1]++;
      else runs.push([cic, 1]);
    }
    for (const [first, count] of runs) this.sendGrs(first, count);
    for (const m of [...this.awaitingAck.values()]) this.sendUntilAcked(m);
  }

  receive(sif: Uint8Array): void {
    try {
      this.dispatch(decodeTup(this.opts.variant, sif));
    } catch (err) {
      if (!(err instanceof Ss7DecodeError)) throw err;
      this.counters.decodeErrors++;
      this.emit({ type: 'error', error: err });
    }
  }

  private dispatch(m: TupMessage): void {
    const c = this.circuits.get(m.cic);
    if (!c) {
      this.counters.unknownCic++;
      return;
    }
    const group = GROUP_BLOCK[m.type];
    if (group) {
      const [ack, block] = group;
      this.applyRange(m, (circuit) => {
        circuit.remoteBlocked = block;
      });
      return this.send({ type: ack, cic: m.cic, range: m.range, status: m.status });
    }
    const acknowledged = ACKNOWLEDGES[m.type];
    if (acknowledged) this.stopGroupTimer(`${acknowledged} ${m.cic}`);
    const groupAck = GROUP_ACK[m.type];
    if (groupAck !== undefined)
      return this.applyRange(m, (circuit) => {
        circuit.localBlocked = groupAck;
      });
    switch (m.type) {
      case 'RSC':
        c.remoteReset();
        this.send({ type: 'RLG', cic: m.cic });
        return this.emit({ type: 'circuit', cic: m.cic, available: c.inService });
      case 'GRS': {
        const status: boolean[] = [];
        for (let i = 0; i <= m.range!; i++) {
          const circuit = this.circuits.get(m.cic + i);
          if (circuit) {
            circuit.remoteReset();
            this.emit({ type: 'circuit', cic: circuit.cic, available: circuit.inService });
          }
          status.push(circuit ? this.locallyBlocked(circuit) : false);
        }
        return this.send({ type: 'GRA', cic: m.cic, range: m.range, status });
      }
      case 'GRA':
        this.groupTimers.get(`grs ${m.cic}`)?.cancel();
        this.groupTimers.delete(`grs ${m.cic}`);
        return this.applyRange(
          { ...m, status: m.status?.map((s) => s) },
          (circuit, bit) => {
            circuit.remoteBlocked = bit;
          },
          true,
        );
      case 'BLO':
        c.remoteBlocked = true;
        this.send({ type: 'BLA', cic: m.cic });
        return this.emit({ type: 'circuit', cic: m.cic, available: false });
      case 'UBL':
        c.remoteBlocked = false;
        this.send({ type: 'UBA', cic: m.cic });
        return this.emit({ type: 'circuit', cic: m.cic, available: c.inService });
      case 'BLA':
      case 'UBA':
        c.localBlocked = m.type === 'BLA';
        return this.emit({ type: 'circuit', cic: m.cic, available: c.inService });
      case 'MPM':
      case 'OPR':
      case 'MAL':
      case 'CHG':
      case 'ACC':
        this.logger.debug('TUP message noted', { cic: m.cic, type: m.type });
        return;
      default:
        return c.receive(m);
    }
  }

  /** Applies a GRM range bit by bit (a status bit set means the circuit concerned). */
  private applyRange(m: TupMessage, apply: (c: TupCircuit, bit: boolean) => void, everyBit = false): void {
    for (let i = 0; i <= (m.range ?? 0); i++) {
      const circuit = this.circuits.get(m.cic + i);
      const bit = m.status?.[i] ?? false;
      if (!circuit || (!bit && !everyBit)) continue;
      apply(circuit, bit);
      this.emit({ type: 'circuit', cic: circuit.cic, available: circuit.inService });
    }
  }

  /** Sends a (group) blocking message, again every T-blockAck until acknowledged; a newer one for the same CIC replaces it. */
  private sendUntilAcked(m: TupMessage): void {
    const opposite: Partial<Record<TupMessageName, TupMessageName>> = {
      BLO: 'UBL',
      UBL: 'BLO',
      MGB: 'MGU',
      MGU: 'MGB',
      HGB: 'HGU',
      HGU: 'HGB',
    };
    const other = opposite[m.type];
    if (other) this.stopGroupTimer(`${other} ${m.cic}`);
    this.send(m);
    const key = `${m.type} ${m.cic}`;
    this.awaitingAck.set(key, m);
    this.groupTimers.get(key)?.cancel();
    this.groupTimers.set(
      key,
      this.opts.clock.setTimer(this.timers.blockAck, () => {
        this.groupTimers.delete(key);
        this.sendUntilAcked(m);
      }),
    );
  }

  /** Blocked at our end as far as the far end should know: what we last asked for, acknowledged or not. */
  private locallyBlocked(c: TupCircuit): boolean {
    if (this.awaitingAck.has(`UBL ${c.cic}`)) return false;
    if (this.awaitingAck.has(`BLO ${c.cic}`)) return true;
    return c.localBlocked;
  }

  private stopGroupTimer(key: string): void {
    this.awaitingAck.delete(key);
    this.groupTimers.get(key)?.cancel();
    this.groupTimers.delete(key);
  }

  private sendGrs(first: number, count: number): void {
    for (let i = 0; i < count; i++) this.circuits.get(first + i)?.drop();
    this.send({ type: 'GRS', cic: first, range: count - 1 });
    this.groupTimers.get(`grs ${first}`)?.cancel();
    this.groupTimers.set(
      `grs ${first}`,
      this.opts.clock.setTimer(this.timers.rlg, () => this.sendGrs(first, count)),
    );
  }

  private send(m: TupMessage): void {
    // The CIC's low 4 bits are the SLS: a circuit's messages stay on one link, in order.
    if (!this.opts.send(encodeTup(this.opts.variant, this.opts.dpc, this.opts.opc, m), m.cic & 0x0f))
      this.logger.debug('TUP message not sent: no route', { type: m.type, cic: m.cic });
  }

  private emit(ev: UserPartEvent): void {
    this.events.emit(ev);
  }
}
