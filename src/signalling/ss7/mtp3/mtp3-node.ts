import { Clock, TimerHandle } from '../../../core/clock';
import { Logger, silentLogger } from '../../../core/logger';
import { Ss7DecodeError } from '../ss7-errors';
import { Mtp2Service } from '../mtp2/mtp2-service';
import { msusAfter, RetrievedMsus } from '../mtp2/error-correction';
import { decodeManagement, encodeManagement, Mtp3Management } from './network-management';
import { decodeLabel, encodeLabel, formatPointCode, Mtp3Variant, RoutingLabel, SI, sio } from './routing-label';
import { Emitter, Unsubscribe } from '../../../core/emitter';

export interface Mtp3Timers {
  /** Q.707 T1: SLTA awaited (4-12 s). */
  sltAck: number;
  /** Q.707 T2: between periodic link tests (30-90 s). */
  sltInterval: number;
  /** Q.704 T2: COA awaited before traffic moves anyway (0.7-2 s). */
  changeover: number;
  /** Q.704 T4: CBA awaited (0.8-1.2 s). */
  changeback: number;
  /**
   * MTP restart: how long a link set that passed its link test waits for the
   * adjacent point's TRA before carrying traffic anyway (user parts sent earlier
   * are dropped by a peer still restarting).
   */
  traWait: number;
}

export const MTP3_TIMERS: Mtp3Timers = { sltAck: 8_000, sltInterval: 60_000, changeover: 1_000, changeback: 1_000, traWait: 2_000 };

export interface Mtp3Config {
  variant: Mtp3Variant;
  /** Network indicator carried in every SIO (China: national, 2). */
  ni: number;
  /** Our own point code. */
  opc: number;
  /** The adjacent signalling point at the far end of the link set. */
  adjacent: number;
  /** Destinations reached through the link set (default: the adjacent point). */
  destinations?: readonly number[];
  /** The link set (the node closes them); a link's signalling link code (SLC) is its index. */
  links: readonly Mtp2Service[];
  clock: Clock;
  timers?: Partial<Mtp3Timers>;
  logger?: Logger;
}

/** How MTP3 sees one link: MTP2 down, tested, carrying traffic, or waiting for changeback. */
export type Mtp3LinkState = 'down' | 'testing' | 'changeback' | 'available';

export type Mtp3Event =
  | { type: 'link-set'; up: boolean; reason: string }
  | { type: 'link'; slc: number; state: Mtp3LinkState }
  | { type: 'route'; destination: number; available: boolean }
  /** A user part message for us: `sif` is the whole SIF, label included. */
  | { type: 'user'; si: number; label: RoutingLabel; sif: Uint8Array }
  | { type: 'error'; error: Ss7DecodeError };

interface LinkEntry {
  slc: number;
  port: Mtp2Service;
  state: Mtp3LinkState;
  pattern: Uint8Array;
  sltTimer?: TimerHandle;
  sltMisses: number;
  cbTimer?: TimerHandle;
  /** Changeover in progress from this link: what it held, until the far end's COA (or COO) says what it accepted. */
  changeover?: { retrieved: RetrievedMsus; timer: TimerHandle };
}

/**
 * MTP3 for a signalling point with one link set to its adjacent point: routing
 * labels per variant, SIO dispatch to user parts, link test, SLS load sharing,
 * changeover and changeback, TRA, and route state from TFP/TFA.
 */
export class Mtp3Node {
  readonly timers: Mtp3Timers;
  private readonly links: LinkEntry[];
  private readonly prohibited = new Set<number>();
  private readonly events = new Emitter<[ev: Mtp3Event]>((err) => this.logger.error('event listener failed', { error: String(err) }));
  private readonly logger: Logger;
  private setUp = false;
  /** TRA received from the adjacent point since the link set was last down. */
  private traReceived = false;
  private traTimer: TimerHandle | undefined;
  private traSent = false;
  private closed = false;
  private patternSeq = 1;
  readonly counters = { discarded: 0, changeovers: 0, changeoversCompleted: 0, timeControlledChangeovers: 0, rerouted: 0 };

  constructor(private readonly cfg: Mtp3Config) {
    this.timers = { ...MTP3_TIMERS, ...cfg.timers };
    this.logger = (cfg.logger ?? silentLogger).child({ mtp3: formatPointCode(cfg.variant, cfg.opc) });
    this.links = cfg.links.map((port, slc) => ({ slc, port, state: 'down', pattern: new Uint8Array(0), sltMisses: 0 }));
    for (const l of this.links) {
      l.port.onEvent((ev) => {
        if (this.closed) return;
        if (ev.type === 'in-service') this.linkInService(l);
        else if (ev.type === 'out-of-service') this.linkFailed(l, ev.reason);
        else this.receive(l, ev.payload);
      });
    }
  }

  get variant(): Mtp3Variant {
    return this.cfg.variant;
  }

  get opc(): number {
    return this.cfg.opc;
  }

  /** Whether the link set carries traffic (at least one link available). */
  get up(): boolean {
    return this.setUp;
  }

  linkStates(): { slc: number; name: string; mtp2: string; mtp3: Mtp3LinkState }[] {
    return this.links.map((l) => ({ slc: l.slc, name: l.port.name, mtp2: l.port.state, mtp3: l.state }));
  }

  destinationAvailable(dpc: number): boolean {
    return this.setUp && !this.prohibited.has(dpc) && this.destinations().includes(dpc);
  }

  onEvent(listener: (ev: Mtp3Event) => void): Unsubscribe {
    return this.events.on(listener);
  }

  /** Starts every link; the first aligns with emergency proving (no other link to carry traffic). */
  start(): void {
    this.links.forEach((l, i) => l.port.start(i === 0));
  }

  close(): void {
    this.closed = true;
    for (const l of this.links) {
      l.sltTimer?.cancel();
      l.cbTimer?.cancel();
      l.changeover?.timer.cancel();
      l.port.stop();
      l.port.close();
      this.traTimer?.cancel();
    }
  }

  /** Sends a user part message (`body` follows the label). False when no link can carry it. */
  send(si: number, dpc: number, sls: number, body: Uint8Array): boolean {
    const label = encodeLabel(this.cfg.variant, { dpc, opc: this.cfg.opc, sls });
    const payload = new Uint8Array(1 + label.length + body.length);
    payload[0] = sio(si, this.cfg.ni);
    payload.set(label, 1);
    payload.set(body, 1 + label.length);
    return this.route(payload, sls);
  }

  /** Sends a SIF a user part built with its own label (TUP carries the CIC in it). */
  sendSif(si: number, sif: Uint8Array, sls: number): boolean {
    const payload = new Uint8Array(1 + sif.length);
    payload[0] = sio(si, this.cfg.ni);
    payload.set(sif, 1);
    return this.route(payload, sls);
  }

  private destinations(): readonly number[] {
    return this.cfg.destinations ?? [this.cfg.adjacent];
  }

  /** SLS load sharing over the available links. */
  private route(payload: Uint8Array, sls: number): boolean {
    const avail = this.links.filter((l) => l.state === 'available');
    if (!avail.length) return false;
    return avail[sls % avail.length].port.send(payload);
  }

  private sendManagement(l: LinkEntry, si: number, m: Mtp3Management, via = l): void {
    const label = encodeLabel(this.cfg.variant, { dpc: this.cfg.adjacent, opc: this.cfg.opc, sls: l.slc });
    via.port.send(Uint8Array.of(sio(si, this.cfg.ni), ...label, ...encodeManagement(this.cfg.variant, m)));
  }

  private linkInService(l: LinkEntry): void {
    this.setLinkState(l, 'testing');
    l.sltMisses = 0;
    this.sendSltm(l);
  }

  private sendSltm(l: LinkEntry): void {
    const n = this.patternSeq++;
    l.pattern = Uint8Array.of(0x54, 0x50, n & 0xff, (n >> 8) & 0xff);
    this.sendManagement(l, SI.SLT, { type: 'SLTM', pattern: l.pattern });
    l.sltTimer?.cancel();
    l.sltTimer = this.cfg.clock.setTimer(this.timers.sltAck, () => {
      // Q.707: a second unanswered test takes the link down for restart.
      if (++l.sltMisses >= 2) {
        this.logger.warn('link test failed twice: restarting link', { slc: l.slc });
        l.port.stop();
        this.linkFailed(l, 'link test failed');
        l.port.start(!this.links.some((x) => x.state === 'available'));
      } else this.sendSltm(l);
    });
  }

  private sltaReceived(l: LinkEntry, pattern: Uint8Array): void {
    if (pattern.length !== l.pattern.length || pattern.some((b, i) => b !== l.pattern[i])) return;
    l.sltTimer?.cancel();
    l.sltMisses = 0;
    l.sltTimer = this.cfg.clock.setTimer(this.timers.sltInterval, () => this.sendSltm(l));
    if (l.state !== 'testing') return;
    if (this.links.some((x) => x !== l && x.state === 'available')) {
      // Changeback: traffic comes back to this link once the far end confirms.
      this.setLinkState(l, 'changeback');
      this.sendManagement(l, SI.SNM, { type: 'CBD', code: l.slc });
      l.cbTimer = this.cfg.clock.setTimer(this.timers.changeback, () => this.changebackDone(l));
      return;
    }
    this.setLinkState(l, 'available');
    this.linkSetMaybeUp();
  }

  private changebackDone(l: LinkEntry): void {
    l.cbTimer?.cancel();
    l.cbTimer = undefined;
    if (l.state === 'changeback') this.setLinkState(l, 'available');
  }

  private linkSetMaybeUp(): void {
    if (this.setUp) return;
    if (!this.traReceived) {
      this.traTimer ??= this.cfg.clock.setTimer(this.timers.traWait, () => {
        this.traReceived = true;
        if (this.links.some((x) => x.state === 'available')) this.linkSetMaybeUp();
      });
      // Our TRA tells the far end we are ready; its TRA (or the timer) lets our traffic start.
      const first = this.links.find((x) => x.state === 'available');
      if (first && !this.traSent) {
        this.traSent = true;
        this.sendManagement(first, SI.SNM, { type: 'TRA' });
      }
      return;
    }
    this.traTimer?.cancel();
    this.traTimer = undefined;
    this.setUp = true;
    if (!this.traSent)
      this.sendManagement(
        this.links.find((x) => x.state === 'available')!,
        SI.SNM,
        { type: 'TRA' },
      );
    this.traSent = true;
    this.emit({ type: 'link-set', up: true, reason: 'link in service' });
    for (const d of this.destinations()) if (!this.prohibited.has(d)) this.emit({ type: 'route', destination: d, available: true });
  }

  private linkFailed(l: LinkEntry, reason: string): void {
    l.sltTimer?.cancel();
    l.cbTimer?.cancel();
    const wasCarrying = l.state === 'available' || l.state === 'changeback';
    if (l.state === 'down') return;
    this.setLinkState(l, 'down');
    if (!wasCarrying) return;
    const alternative = this.links.find((x) => x.state === 'available');
    if (alternative) {
      // Changeover (Q.704 5): tell the far end what we accepted; its COA says what it accepted,
      // and only our MSUs after that go again on the other link. Without a COA in T2, all of them.
      this.counters.changeovers++;
      l.changeover?.timer.cancel();
      l.changeover = {
        retrieved: l.port.retrieve(),
        timer: this.cfg.clock.setTimer(this.timers.changeover, () => this.completeChangeover(l, undefined)),
      };
      this.sendManagement(l, SI.SNM, { type: 'COO', fsn: l.port.lastAcceptedFsn }, alternative);
      return;
    }
    l.port.retrieve();
    this.traReceived = false;
    this.traSent = false;
    this.traTimer?.cancel();
    this.traTimer = undefined;
    if (this.setUp) {
      this.setUp = false;
      this.emit({ type: 'link-set', up: false, reason });
      for (const d of this.destinations()) this.emit({ type: 'route', destination: d, available: false });
    }
  }

  /** Buffer updating done: the far end accepted up to `peerFsn` (undefined: time-controlled, unknown). */
  private completeChangeover(l: LinkEntry, peerFsn: number | undefined): void {
    const co = l.changeover;
    if (!co) return;
    co.timer.cancel();
    l.changeover = undefined;
    if (peerFsn === undefined) this.counters.timeControlledChangeovers++;
    this.resend(msusAfter(co.retrieved, peerFsn));
    this.counters.changeoversCompleted++;
  }

  private resend(msus: Uint8Array[]): void {
    for (const m of msus) {
      const sls = decodeLabel(this.cfg.variant, m.subarray(1)).sls;
      if (this.route(m, sls)) this.counters.rerouted++;
    }
  }

  private receive(l: LinkEntry, payload: Uint8Array): void {
    try {
      if (payload.length < 1) throw new Ss7DecodeError('mtp3', 'MESSAGE_TOO_SHORT', 0, 'MSU without SIO');
      const si = payload[0] & 0x0f;
      const ni = payload[0] >> 6;
      const sif = payload.subarray(1);
      const label = decodeLabel(this.cfg.variant, sif);
      if (ni !== this.cfg.ni || label.dpc !== this.cfg.opc) {
        this.counters.discarded++;
        return;
      }
      if (si === SI.SNM || si === SI.SLT) return this.management(l, si, label, sif.subarray(this.cfg.variant.labelOctets));
      this.emit({ type: 'user', si, label, sif });
    } catch (err) {
      if (!(err instanceof Ss7DecodeError)) throw err;
      this.counters.discarded++;
      this.emit({ type: 'error', error: err });
    }
  }

  private management(l: LinkEntry, si: number, label: RoutingLabel, body: Uint8Array): void {
    const m = decodeManagement(this.cfg.variant, si, body);
    if (!m) {
      this.counters.discarded++;
      return;
    }
    // In SNM messages the label's SLS field carries the code of the link concerned.
    const concerned = this.links[label.sls] ?? l;
    switch (m.type) {
      case 'SLTM':
        return this.sendManagement(l, SI.SLT, { type: 'SLTA', pattern: m.pattern });
      case 'SLTA':
        return this.sltaReceived(l, m.pattern);
      case 'COO': {
        this.sendManagement(concerned, SI.SNM, { type: 'COA', fsn: concerned.port.lastAcceptedFsn }, l);
        // Both ends saw the failure: their COO answers ours (Q.704 5.3.2).
        if (concerned.changeover) return this.completeChangeover(concerned, m.fsn);
        if (concerned.state === 'down') return;
        const retrieved = concerned.port.retrieve();
        concerned.sltTimer?.cancel();
        this.setLinkState(concerned, 'down');
        concerned.port.stop();
        concerned.port.start(false);
        return this.resend(msusAfter(retrieved, m.fsn));
      }
      case 'COA':
        return this.completeChangeover(concerned, m.fsn);
      case 'CBD':
        return this.sendManagement(concerned, SI.SNM, { type: 'CBA', code: m.code }, l);
      case 'CBA':
        return this.changebackDone(concerned);
      case 'TFP':
      case 'TFA': {
        const available = m.type === 'TFA';
        if (available === !this.prohibited.has(m.destination)) return;
        if (available) this.prohibited.delete(m.destination);
        else this.prohibited.add(m.destination);
        return this.emit({ type: 'route', destination: m.destination, available });
      }
      case 'TRA':
        this.traReceived = true;
        if (this.links.some((x) => x.state === 'available')) this.linkSetMaybeUp();
        return;
    }
  }

  private setLinkState(l: LinkEntry, state: Mtp3LinkState): void {
    if (l.state === state) return;
    l.state = state;
    this.emit({ type: 'link', slc: l.slc, state });
  }

  private emit(ev: Mtp3Event): void {
    this.events.emit(ev);
  }
}
