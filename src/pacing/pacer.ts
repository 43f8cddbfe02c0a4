import { PacerModel } from './pacer-model';

/**
 * The pacing seam. A pacer is asked, again and again, how many new calls to start
 * now. It sees only what a live controller sees (counts, ages, its own history of
 * finished calls), never what a ringing call will come to. The same pacer objects
 * run against live spans and in the virtual-time benchmark.
 */
export interface PacingSnapshot {
  now: number;
  loggedInSeats: number;
  /** Seats ready and not reserved. */
  readySeats: number;
  /** Seats on a call: ms since each call was connected. */
  talkingAges: number[];
  /** Seats in after-call work: ms since each wrap-up began. */
  wrapAges: number[];
  /** Calls dialled and neither answered nor failed yet: ms since each was dialled. */
  dialingAges: number[];
  /** Answered calls waiting for a seat. */
  waitingAnswered: number;
  /** At most this many new calls can start now (free lines, concurrency cap, numbers to dial). */
  capacity: number;
}

export interface PacingDecision {
  /** New calls to start now (0..capacity). */
  dial: number;
  /** Why, for logs and the progress view. */
  note?: string;
}

/** Things that happened, reported to the pacer as they happen. */
export type PacingObservation =
  /** A dial attempt settled: answered (and passed to the seats) or not. */
  | { type: 'attempt-settled'; at: number; dialledAt: number; answered: boolean }
  /** An answered call was connected to a seat, abandoned, or lost (customer hung up first). */
  | { type: 'answer-routed'; at: number; outcome: 'connected' | 'abandoned' | 'lost'; waitMs: number }
  | { type: 'talk-ended'; at: number; talkMs: number }
  | { type: 'wrap-ended'; at: number; wrapMs: number };

export interface Pacer {
  readonly name: string;
  decide(snapshot: PacingSnapshot): PacingDecision;
  observe(observation: PacingObservation): void;
  /** What it has learned, to keep for the next run (pacers that learn nothing have none). */
  exportModel?(): PacerModel;
  /** Starts from a kept model instead of from nothing. */
  importModel?(model: PacerModel): void;
}

export function clampDial(n: number, capacity: number): number {
  if (!Number.isFinite(n)) return 0;
  return Math.max(0, Math.min(capacity, Math.floor(n)));
}
