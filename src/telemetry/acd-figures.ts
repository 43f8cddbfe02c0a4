/**
 * The call-centre figures a wallboard shows for one campaign, counted from its
 * attempt records: abandonment today and over the rolling hour, average speed of
 * answer, service level and calls per hour.
 *
 * "Answered" here is what the abandonment rule counts (spec/telephony.md): calls a
 * person answered that then reached a seat or were abandoned. Machines and calls
 * the person hung up on before the limit are counted by the campaign but are not
 * in these rates, so the page, the pacer and the campaign report agree.
 */
import { AttemptRecord } from '../campaign/outbound-campaign';
import { AbandonTracker } from '../pacing/abandon-tracker';

export interface AcdFiguresOptions {
  /** An answered call reaching a seat within this counts towards the service level (default 2000 ms, the abandon limit). */
  serviceLevelMs?: number;
  /** Rolling window for the hourly rate (default one hour). */
  windowMs?: number;
}

export interface AcdFiguresSnapshot {
  /** Answered by a person and reaching a seat or abandoned, since local midnight. */
  answeredToday: number;
  abandonedToday: number;
  /** abandonedToday / answeredToday, 0 when nothing was answered. */
  abandonmentToday: number;
  answeredHour: number;
  abandonedHour: number;
  abandonmentHour: number;
  /** Mean wait of today's connected calls for a seat (ms), 0 when none. */
  asaMs: number;
  /** Share of today's person-answered calls that reached a seat within the service-level time, 1 when none. */
  serviceLevel: number;
  /** Attempts that ended over the rolling window, per hour. */
  callsPerHour: number;
}

export class AcdFigures {
  private readonly hour: AbandonTracker;
  private readonly ended: number[] = [];
  private endedHead = 0;
  private day = '';
  private today = { answered: 0, abandoned: 0, connected: 0, waitMsSum: 0, withinLevel: 0 };
  private readonly serviceLevelMs: number;
  private readonly windowMs: number;

  constructor(opts: AcdFiguresOptions = {}) {
    this.serviceLevelMs = opts.serviceLevelMs ?? 2000;
    this.windowMs = opts.windowMs ?? 3_600_000;
    this.hour = new AbandonTracker(this.windowMs);
  }

  record(r: AttemptRecord): void {
    if (r.test || r.outcome === 'blacklisted') return;
    this.rollDay(r.endedAt);
    this.ended.push(r.endedAt);
    if (r.outcome !== 'connected' && r.outcome !== 'abandoned') return;
    const abandoned = r.outcome === 'abandoned';
    this.hour.record(r.endedAt, abandoned);
    this.today.answered++;
    if (abandoned) {
      this.today.abandoned++;
      return;
    }
    const wait = r.waitMs ?? 0;
    this.today.connected++;
    this.today.waitMsSum += wait;
    if (wait <= this.serviceLevelMs) this.today.withinLevel++;
  }

  snapshot(now: number): AcdFiguresSnapshot {
    this.rollDay(now);
    const hour = this.hour.window(now);
    while (this.endedHead < this.ended.length && this.ended[this.endedHead] <= now - this.windowMs) this.endedHead++;
    if (this.endedHead > 4096) {
      this.ended.splice(0, this.endedHead);
      this.endedHead = 0;
    }
    const t = this.today;
    return {
      answeredToday: t.answered,
      abandonedToday: t.abandoned,
      abandonmentToday: t.answered ? t.abandoned / t.answered : 0,
      answeredHour: hour.answered,
      abandonedHour: hour.abandoned,
      abandonmentHour: hour.answered ? hour.abandoned / hour.answered : 0,
      asaMs: t.connected ? Math.round(t.waitMsSum / t.connected) : 0,
      serviceLevel: t.answered ? t.withinLevel / t.answered : 1,
      callsPerHour: Math.round(((this.ended.length - this.endedHead) * 3_600_000) / this.windowMs),
    };
  }

  /** "Today" is the gateway's local calendar day. */
  private rollDay(now: number): void {
    const d = new Date(now);
    const day = `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
    if (day === this.day) return;
    this.day = day;
    this.today = { answered: 0, abandoned: 0, connected: 0, waitMsSum: 0, withinLevel: 0 };
  }
}
