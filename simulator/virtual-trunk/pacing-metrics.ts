import { Clock } from '../../src/core/clock';
import { OutboundCampaign } from '../../src/campaign/outbound-campaign';
import { Seat } from '../../src/seats/seat';
import { SeatDistributor } from '../../src/seats/seat-distributor';
import { VirtualNetwork } from './virtual-network';

/**
 * The benchmark's scorekeeper. Unlike the pacer it may know what every call
 * really was (person or machine), because it only reports after the fact.
 */
export interface AbandonSample {
  at: number;
  abandoned: boolean;
}

export class PacingMetrics {
  private humanTalkMs = 0;
  private busyMs = 0;
  private readonly talkStart = new Map<Seat, { at: number; human: boolean }>();
  private readonly lastChange = new Map<Seat, number>();
  /** Human answers that reached the abandon rule, in time order. */
  readonly samples: AbandonSample[] = [];
  private amdDroppedHumans: number[] = [];
  private waitSumMs = 0;
  private connected = 0;
  private humanContactsAfterWarmup = 0;
  private lineMsSum = 0;
  private linesMax = 0;
  private lastLineAt: number;

  constructor(
    clock: Clock,
    private readonly warmupEndMs: number,
    private readonly startMs: number,
    network: VirtualNetwork,
    distributor: SeatDistributor,
    campaign: OutboundCampaign,
  ) {
    this.lastLineAt = startMs;
    for (const seat of distributor.group.seats) {
      this.lastChange.set(seat, startMs);
      seat.onChange((s, e) => {
        const last = this.lastChange.get(s) ?? e.at;
        if (e.from === 'talking' || e.from === 'wrap-up') this.busyMs += this.afterWarmup(last, e.at);
        this.lastChange.set(s, e.at);
      });
    }
    distributor.onEvent((ev) => {
      const truth = network.truthOn(ev.call.span, ev.call.channel);
      const at = clock.now();
      switch (ev.type) {
        case 'connected': {
          const human = truth?.kind === 'human';
          this.talkStart.set(ev.seat, { at, human });
          this.waitSumMs += ev.waitMs;
          this.connected++;
          if (human) {
            this.samples.push({ at, abandoned: false });
            if (at >= warmupEndMs) this.humanContactsAfterWarmup++;
          }
          return;
        }
        case 'abandoned':
          if (truth?.kind === 'human') this.samples.push({ at, abandoned: true });
          return;
        case 'talk-ended': {
          const t = this.talkStart.get(ev.seat);
          this.talkStart.delete(ev.seat);
          if (t?.human) this.humanTalkMs += this.afterWarmup(t.at, at);
          return;
        }
        case 'lost':
          return;
      }
    });
    campaign.onEvent((ev) => {
      if (ev.type !== 'answered' || ev.kind !== 'machine') return;
      if (network.truthOn(ev.call.span, ev.call.channel)?.kind === 'human') this.amdDroppedHumans.push(ev.at);
    });
  }

  /** Integrates the lines in use up to `now` (call before the clock moves). */
  lines(now: number, busy: number): void {
    this.lineMsSum += busy * (now - this.lastLineAt);
    this.lastLineAt = now;
    if (busy > this.linesMax) this.linesMax = busy;
  }

  /** Closes open intervals at the end of the run and computes the figures. */
  finish(endMs: number, seats: readonly Seat[]) {
    for (const t of this.talkStart.values()) if (t.human) this.humanTalkMs += this.afterWarmup(t.at, endMs);
    for (const seat of seats) {
      if (seat.state === 'talking' || seat.state === 'wrap-up') this.busyMs += this.afterWarmup(this.lastChange.get(seat) ?? endMs, endMs);
    }
    const loggedInMs = seats.length * Math.max(1, endMs - Math.max(this.warmupEndMs, this.startMs));
    const abandoned = this.samples.filter((s) => s.abandoned).length;
    const answered = this.samples.length;
    const ofcomAbandoned = abandoned + this.amdDroppedHumans.length;
    const ofcomAnswered = answered + this.amdDroppedHumans.length;
    return {
      occupancy: this.humanTalkMs / loggedInMs,
      busy_share: this.busyMs / loggedInMs,
      abandon_rate: answered ? abandoned / answered : 0,
      abandon_rate_ofcom: ofcomAnswered ? ofcomAbandoned / ofcomAnswered : 0,
      max_window_abandon_rate: this.worstWindow(endMs),
      asa_sec: this.connected ? this.waitSumMs / this.connected / 1000 : 0,
      contacts_per_agent_hour: this.humanContactsAfterWarmup / (loggedInMs / 3_600_000),
      answered,
      abandoned,
      lines_mean: this.lineMsSum / Math.max(1, endMs - this.startMs),
      lines_max: this.linesMax,
    };
  }

  /** Worst abandon rate over one-hour windows stepped by a minute (the whole run if shorter). */
  worstWindow(endMs: number, windowMs = 3_600_000, stepMs = 60_000): number {
    const s = this.samples;
    if (endMs - this.startMs <= windowMs) {
      const ab = s.filter((x) => x.abandoned).length;
      return s.length ? ab / s.length : 0;
    }
    let worst = 0;
    let lo = 0;
    let hi = 0;
    let ab = 0;
    for (let from = this.startMs; from + windowMs <= endMs + 1; from += stepMs) {
      while (hi < s.length && s[hi].at < from + windowMs) ab += s[hi++].abandoned ? 1 : 0;
      while (lo < hi && s[lo].at < from) ab -= s[lo++].abandoned ? 1 : 0;
      const n = hi - lo;
      if (n > 0) worst = Math.max(worst, ab / n);
    }
    return worst;
  }

  private afterWarmup(from: number, to: number): number {
    return Math.max(0, to - Math.max(from, this.warmupEndMs));
  }
}
