/**
 * A busy outbound gateway as telemetry sees it, for the telemetry-cost benchmark:
 * N E1 spans whose channels cycle through dialing, proceeding, alerting, connected
 * and back, seats that take answered calls and go through wrap-up, and one
 * campaign's progress and pacing. Only the TelemetrySource face is modelled: the
 * benchmark measures what publishing costs, not what signalling costs.
 */
import { CallEvent } from '../src/core/call-events';
import { Rng } from '../simulator/random';
import { ChannelStateName, PacingSnapshot, SeatSnapshot, SpanSnapshot, TelemetrySource } from '../src/telemetry/source';

import { E1_BEARERS } from '../src/core/timeslots';
import { emptyChannelCounts } from '../src/controller/span';

export interface BusyGatewayOptions {
  spans: number;
  seats: number;
  /** Scales every duration down (10 = calls ten times shorter, so ten times the event rate). */
  speedup: number;
  seed: string;
}

interface Seat {
  state: 'ready' | 'talking' | 'wrap-up';
  callId?: string;
  since: number;
}

export class BusyGateway implements TelemetrySource {
  private readonly channels = new Map<string, ChannelStateName>();
  private readonly seatList: Seat[];
  private readonly listeners = new Set<(ev: CallEvent) => void>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly rng: Rng;
  private seq = 0;
  private dialled = 0;
  private answered = 0;
  private abandoned = 0;
  private running = false;
  callEvents = 0;

  constructor(private readonly opts: BusyGatewayOptions) {
    this.rng = new Rng(opts.seed);
    for (let s = 1; s <= opts.spans; s++) for (const c of E1_BEARERS) this.channels.set(`${s}/${c}`, 'idle');
    this.seatList = Array.from({ length: opts.seats }, () => ({ state: 'ready' as const, since: Date.now() }));
  }

  start(): void {
    this.running = true;
    // Every channel starts a call at a random moment in the first few seconds.
    for (const key of this.channels.keys()) this.after(this.rng.next() * 3000, () => this.placeCall(key));
  }

  stop(): void {
    this.running = false;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  spans(): SpanSnapshot[] {
    const out: SpanSnapshot[] = [];
    for (let s = 1; s <= this.opts.spans; s++) {
      const counts: Record<ChannelStateName, number> = emptyChannelCounts();
      const channels = E1_BEARERS.map((channel) => {
        const state = this.channels.get(`${s}/${channel}`)!;
        counts[state]++;
        return { channel, state };
      });
      out.push({ span: s, kind: 'pri-cpe', linkUp: true, alarms: [], counts, channels });
    }
    return out;
  }

  seats(): SeatSnapshot[] {
    return this.seatList.map((seat, i) => ({
      seat: `seat-${String(i + 1).padStart(2, '0')}`,
      state: seat.state,
      campaign: 'busy',
      callId: seat.callId,
      since: seat.since,
    }));
  }

  campaigns() {
    return [
      {
        campaign: 'busy',
        state: 'running',
        total: 1_000_000,
        dialled: this.dialled,
        answered: this.answered,
        answeredByPerson: this.answered,
        abandoned: this.abandoned,
        remaining: 1_000_000 - this.dialled,
      },
    ];
  }

  pacing(): PacingSnapshot[] {
    const talking = this.seatList.filter((s) => s.state !== 'ready').length;
    const busy = [...this.channels.values()].filter((s) => s !== 'idle').length;
    return [
      {
        campaign: 'busy',
        dialLevel: busy / Math.max(1, this.seatList.length - talking),
        occupancy: talking / this.seatList.length,
        abandonment: this.answered ? this.abandoned / this.answered : 0,
        callsInProgress: busy,
      },
    ];
  }

  onCallEvent(listener: (ev: CallEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private placeCall(key: string): void {
    if (!this.running) return;
    const [span, channel] = key.split('/').map(Number);
    const callId = `s${span}c${channel}-${++this.seq}`;
    const base = () => ({ callId, span, channel, at: Date.now() });
    const k = 1 / this.opts.speedup;
    this.dialled++;
    this.set(key, 'dialing');
    this.emit({ type: 'dialing', ...base(), number: `138${String(Math.floor(this.rng.next() * 1e8)).padStart(8, '0')}` });
    this.after(300 * k, () => {
      this.set(key, 'proceeding');
      this.emit({ type: 'proceeding', ...base() });
      this.after(1500 * k, () => {
        this.set(key, 'alerting');
        this.emit({ type: 'alerting', ...base(), inbandAudio: true });
        const answers = this.rng.next() < 0.45;
        this.after((answers ? 4000 + this.rng.next() * 12_000 : 25_000) * k, () => {
          if (!answers) return this.release(key, base, 19, 'no answer');
          this.answered++;
          this.set(key, 'connected');
          this.emit({ type: 'answered', ...base() });
          const seat = this.seatList.find((s) => s.state === 'ready');
          if (!seat) {
            this.abandoned++;
            return this.release(key, base, 16, 'normal clearing');
          }
          Object.assign(seat, { state: 'talking', callId, since: Date.now() });
          this.after((20_000 + this.rng.next() * 100_000) * k, () => {
            Object.assign(seat, { state: 'wrap-up', callId: undefined, since: Date.now() });
            this.after(10_000 * k, () => Object.assign(seat, { state: 'ready', since: Date.now() }));
            this.release(key, base, 16, 'normal clearing');
          });
        });
      });
    });
  }

  private release(
    key: string,
    base: () => { callId: string; span: number; channel: number; at: number },
    cause: number,
    causeText: string,
  ): void {
    this.set(key, 'releasing');
    this.after(100 / this.opts.speedup, () => {
      this.set(key, 'idle');
      this.emit({ type: 'released', ...base(), cause, causeText, by: 'remote' });
      this.after((200 + this.rng.next() * 800) / this.opts.speedup, () => this.placeCall(key));
    });
  }

  private set(key: string, state: ChannelStateName): void {
    this.channels.set(key, state);
  }

  private emit(ev: CallEvent): void {
    this.callEvents++;
    for (const l of this.listeners) l(ev);
  }

  private after(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (this.running) fn();
    }, ms);
    this.timers.add(t);
  }
}
