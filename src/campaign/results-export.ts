import { createWriteStream } from 'node:fs';
import { Writable } from 'node:stream';
import { AttemptRecord } from './outbound-campaign';

/**
 * Results a campaign hands back: one CSV row per number (its latest outcome, the
 * cause, the keys pressed, the seat, the durations), and the ACD figures a call
 * centre watches (queued, average speed of answer, abandoned, calls per seat,
 * daily volume).
 */
export interface NumberResult {
  number: string;
  attempts: number;
  outcome: AttemptRecord['outcome'];
  cause: number;
  causeText: string;
  keys: string;
  seatId: string;
  /** From dial to answer (s), empty when not answered. */
  ringSec?: number;
  /** Wait of the answered call for a seat (s). */
  waitSec?: number;
  /** From answer to hang-up (s). */
  connectedSec?: number;
  lastDialledAt: number;
}

export class CampaignResults {
  private readonly byNumber = new Map<string, NumberResult>();
  private readonly records: AttemptRecord[] = [];

  add(r: AttemptRecord): void {
    if (r.test) return;
    this.records.push(r);
    const prev = this.byNumber.get(r.number);
    this.byNumber.set(r.number, {
      number: r.number,
      attempts: (prev?.attempts ?? 0) + 1,
      outcome: r.outcome,
      cause: r.cause,
      causeText: r.causeText,
      keys: r.keys ?? '',
      seatId: r.seatId ?? '',
      ringSec: r.answeredAt === undefined ? undefined : (r.answeredAt - r.dialledAt) / 1000,
      waitSec: r.waitMs === undefined ? undefined : r.waitMs / 1000,
      connectedSec: r.answeredAt === undefined ? undefined : (r.endedAt - r.answeredAt) / 1000,
      lastDialledAt: r.dialledAt,
    });
  }

  numbers(): NumberResult[] {
    return [...this.byNumber.values()];
  }

  /** ACD figures over every attempt recorded. */
  acd(): AcdFigures {
    const answered = this.records.filter((r) => r.answeredAt !== undefined && r.waitMs !== undefined);
    const connected = answered.filter((r) => r.outcome === 'connected');
    const perSeat: Record<string, number> = {};
    for (const r of connected) perSeat[r.seatId!] = (perSeat[r.seatId!] ?? 0) + 1;
    const perDay: Record<string, number> = {};
    for (const r of this.records) {
      const day = new Date(r.dialledAt).toISOString().slice(0, 10);
      perDay[day] = (perDay[day] ?? 0) + 1;
    }
    return {
      attempts: this.records.length,
      answered: answered.length,
      queued: answered.filter((r) => (r.waitMs ?? 0) > 0).length,
      averageSpeedOfAnswerSec: connected.length ? connected.reduce((s, r) => s + (r.waitMs ?? 0), 0) / connected.length / 1000 : 0,
      abandoned: answered.filter((r) => r.outcome === 'abandoned').length,
      callsPerSeat: perSeat,
      dailyVolume: perDay,
    };
  }

  /** Writes the per-number CSV (header first) to a stream or a file path. */
  async writeCsv(target: string | Writable): Promise<void> {
    const out = typeof target === 'string' ? createWriteStream(target) : target;
    const write = (line: string) =>
      new Promise<void>((resolve, reject) => {
        if (out.write(line + '\n')) resolve();
        else out.once('drain', resolve).once('error', reject);
      });
    await write(CSV_COLUMNS.join(','));
    for (const n of this.byNumber.values()) {
      await write(
        [
          n.number,
          n.attempts,
          n.outcome,
          n.cause,
          csvCell(n.causeText),
          csvCell(n.keys),
          csvCell(n.seatId),
          fmt(n.ringSec),
          fmt(n.waitSec),
          fmt(n.connectedSec),
          new Date(n.lastDialledAt).toISOString(),
        ].join(','),
      );
    }
    if (typeof target === 'string')
      await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  }
}

export interface AcdFigures {
  attempts: number;
  answered: number;
  /** Answered calls that had to wait for a seat. */
  queued: number;
  averageSpeedOfAnswerSec: number;
  abandoned: number;
  callsPerSeat: Record<string, number>;
  /** Attempts per UTC day. */
  dailyVolume: Record<string, number>;
}

export const CSV_COLUMNS = [
  'number',
  'attempts',
  'outcome',
  'cause',
  'cause_text',
  'keys',
  'seat',
  'ring_sec',
  'wait_sec',
  'connected_sec',
  'last_dialled_at',
];

function fmt(x: number | undefined): string {
  return x === undefined ? '' : x.toFixed(1);
}

function csvCell(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
