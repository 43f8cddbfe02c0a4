/**
 * A faulted soak (`trunkpilot sim soak`, `npm run bench -- soak`): many calls while
 * the rig's whole fault catalogue fires at random, reported in the shape.
 * Answered calls go to a pool of seats (simulator/soak-seats.ts), so faults hit calls
 * on seats and a seat left stuck shows in stuck_seats.
 */
import { Logger } from '../src/core/logger';
import { runSimulatedCalls, VIRTUAL_TIME_RIGS } from './call-run';
import { SeatPoolFigures } from './soak-seats';

export interface SoakOptions {
  signalling: string;
  calls: number;
  spans?: number;
  seed: number;
  faults: boolean;
  faultEveryMs?: number;
  faultForMs?: number;
  /** Seats answered calls are handed to (default 10); 0 runs without seats (stuck_seats null). */
  seats?: number;
  logger: Logger;
  onProgress?: (done: number, total: number) => void;
  /** On a virtual clock, as fast as it goes (default: where the rig can, see VIRTUAL_TIME_RIGS). */
  virtualTime?: boolean;
}

export interface SoakResult {
  attempts: number;
  resolved: number;
  leaked_channels: number;
  /** Seats not ready again once every call ended (null when run without seats). */
  stuck_seats: number | null;
  faults_injected: Record<string, number>;
  rss_start_mb: number;
  rss_end_mb: number;
  calls_per_sec: number;
  outcomes: Record<string, number>;
  retried: number;
  /** What became of the calls handed to seats (absent without seats). */
  seats?: SeatPoolFigures;
}

export async function runSoak(opts: SoakOptions): Promise<SoakResult> {
  const s = await runSimulatedCalls({
    signalling: opts.signalling,
    spans: opts.spans ?? 1,
    calls: opts.calls,
    seed: opts.seed,
    logger: opts.logger,
    faults: opts.faults ? 'all' : [],
    seats: opts.seats ?? 10,
    allFaults: { everyMs: opts.faultEveryMs ?? 3000, forMs: opts.faultForMs ?? 1000 },
    onProgress: opts.onProgress ? (done, total) => opts.onProgress!(done, total) : undefined,
    virtualTime: opts.virtualTime ?? VIRTUAL_TIME_RIGS.includes(opts.signalling),
  });
  return {
    attempts: s.attempts,
    resolved: s.resolved,
    leaked_channels: s.leaked_channels,
    stuck_seats: s.seats ? Object.values(s.seats.stuck).reduce((a, b) => a + b, 0) : null,
    faults_injected: s.faults_injected,
    rss_start_mb: s.rss_start_mb,
    rss_end_mb: s.rss_end_mb,
    calls_per_sec: s.calls_per_sec,
    outcomes: s.outcomes,
    retried: s.retried,
    ...(s.seats ? { seats: s.seats } : {}),
  };
}
