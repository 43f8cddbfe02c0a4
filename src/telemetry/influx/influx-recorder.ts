/**
 * Samples a TelemetrySource every interval into the Influx schema (influx-schema.ts)
 * and hands the points to an InfluxWriter. Call counters come from the call-event
 * stream; nothing about an individual call (number, id) becomes a tag.
 */
import { Clock, TimerHandle } from '../../core/clock';
import { Logger, silentLogger } from '../../core/logger';
import { CallCounters } from '../call-counters';
import { ModemSnapshot, TelemetrySource } from '../source';
import { InfluxPoint } from './influx-schema';
import { InfluxWriter } from './influx-writer';

export interface InfluxRecorderOptions {
  gateway: string;
  clock: Clock;
  /** Sampling period (default 10 s). */
  intervalMs?: number;
  logger?: Logger;
}

const field = (name: string) => name.replace(/-/g, '_');

/** One GSM/LTE module: signal, registration, SIM, calls today against the SIM's cap (the dashboard's history of it). */
function modemPoint(gateway: string, timeMs: number, m: ModemSnapshot): InfluxPoint {
  const fields: InfluxPoint['fields'] = {
    in_service: m.state === 'ready' ? 1 : 0,
    state: m.state,
    model: m.model,
    calls_today: m.callsToday,
  };
  // 99 is 27.007's "not known": no value rather than a false 99 on a graph.
  if (m.rssi !== undefined && m.rssi !== 99) fields.rssi = m.rssi;
  if (m.registration !== undefined) {
    fields.registration = m.registration;
    fields.registered = m.registration === 'home' || m.registration === 'roaming' ? 1 : 0;
  }
  if (m.operator !== undefined) fields.operator = m.operator;
  if (m.sim !== undefined) fields.sim = m.sim;
  if (m.dailyCap !== undefined) fields.daily_cap = m.dailyCap;
  return { measurement: 'modem', tags: { gateway, span: String(m.span), modem: String(m.channel) }, timeMs, fields };
}

export class InfluxRecorder {
  private readonly counters = new CallCounters();
  private readonly unsubscribe: () => void;
  private timer: TimerHandle | undefined;
  private closed = false;

  constructor(
    private readonly source: TelemetrySource,
    private readonly writer: InfluxWriter,
    private readonly opts: InfluxRecorderOptions,
  ) {
    this.unsubscribe = source.onCallEvent((ev) => this.counters.record(ev));
  }

  start(): void {
    this.schedule();
  }

  /** The points describing the present moment. */
  sample(): InfluxPoint[] {
    const timeMs = this.opts.clock.now();
    const gateway = this.opts.gateway;
    const points: InfluxPoint[] = [];
    for (const s of this.source.spans()) {
      const tags = { gateway, span: String(s.span) };
      points.push({
        measurement: 'span',
        tags,
        timeMs,
        fields: { link_up: s.linkUp ? 1 : 0, alarms: s.alarms.length, alarm_text: s.alarms.join(' ') || 'OK' },
      });
      points.push({
        measurement: 'channels',
        tags,
        timeMs,
        fields: Object.fromEntries(Object.entries(s.counts).map(([k, v]) => [field(k), v])),
      });
      points.push({ measurement: 'calls', tags, timeMs, fields: { ...this.counters.span(s.span) } });
    }
    for (const m of this.source.modems?.() ?? []) points.push(modemPoint(gateway, timeMs, m));
    const seatsByCampaign = new Map<string, Record<string, number>>();
    for (const seat of this.source.seats()) {
      const key = seat.campaign ?? '';
      // paused always written: the "every seat paused" alert compares it with total.
      const f = seatsByCampaign.get(key) ?? { total: 0, paused: 0 };
      f.total++;
      f[field(seat.state)] = (f[field(seat.state)] ?? 0) + 1;
      seatsByCampaign.set(key, f);
    }
    for (const [campaign, fields] of seatsByCampaign) points.push({ measurement: 'seats', tags: { gateway, campaign }, timeMs, fields });
    const progress = new Map(this.source.campaigns().map((c) => [c.campaign, c]));
    for (const p of this.source.pacing()) {
      const c = progress.get(p.campaign);
      points.push({
        measurement: 'pacing',
        tags: { gateway, campaign: p.campaign },
        timeMs,
        fields: {
          dial_level: p.dialLevel,
          occupancy: p.occupancy,
          abandonment: p.abandonment,
          ...(p.callsInProgress !== undefined ? { calls_in_progress: p.callsInProgress } : {}),
          ...(p.abandonTarget !== undefined ? { abandon_target: p.abandonTarget } : {}),
          ...(p.waiting !== undefined ? { waiting: p.waiting, longest_wait_ms: Math.round(p.longestWaitMs ?? 0) } : {}),
          ...(p.acd
            ? {
                abandonment_hour: p.acd.abandonmentHour,
                abandonment_today: p.acd.abandonmentToday,
                asa_ms: Math.round(p.acd.asaMs),
                service_level: p.acd.serviceLevel,
                calls_per_hour: Math.round(p.acd.callsPerHour),
              }
            : {}),
          ...(c ? { dialled: c.dialled, answered: c.answered, abandoned: c.abandoned, remaining: c.remaining } : {}),
        },
      });
    }
    for (const q of this.source.queues?.() ?? []) {
      points.push({
        measurement: 'queues',
        tags: { gateway, answer_group: q.answerGroup },
        timeMs,
        fields: {
          waiting: q.waiting,
          longest_wait_ms: Math.round(q.longestWaitMs),
          offered: q.offered,
          refused_full: q.refusedFull,
          connected: q.connected,
          connected_within_target: q.connectedWithinTarget,
          abandoned_in_queue: q.abandonedInQueue,
          timed_out: q.timedOut,
          service_level: q.serviceLevel,
        },
      });
    }
    return points;
  }

  close(): void {
    this.closed = true;
    this.timer?.cancel();
    this.unsubscribe();
  }

  private schedule(): void {
    this.timer = this.opts.clock.setTimer(this.opts.intervalMs ?? 10_000, () => {
      if (this.closed) return;
      try {
        this.writer.write(this.sample());
      } catch (err) {
        (this.opts.logger ?? silentLogger).error('influx sample failed', { error: String(err) });
      }
      this.schedule();
    });
  }
}
