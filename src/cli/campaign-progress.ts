/**
 * The live line of anything that runs a campaign (`trunkpilot demo`, the gateway):
 * the same fields in the same places, whichever command prints it.
 */
import { drainText, elapsedOfTotal } from './progress-line';

export interface CampaignProgress {
  elapsedSec: number;
  /** The planned duration, when there is one. */
  totalSec?: number;
  /** 'calling' while new calls start; 'finishing' while the calls in flight end. */
  phase: 'calling' | 'finishing';
  /** Calls in flight (dialling, ringing or talking). */
  inFlight: number;
  /** While finishing: seconds until the calls still up are hung up. */
  finishWithinSec?: number;
  attempts: number;
  connected: number;
  abandoned: number;
  channelsInUse: number;
  /** Seats by state. */
  seats: Record<string, number>;
}

/** Seat states always shown, in this order, so the numbers stay in place from one update to the next. */
export const SEAT_ORDER = ['ready', 'reserved', 'talking', 'wrap-up', 'paused'];

/**
 * Most telling first (a narrow terminal cuts from the end): the time (elapsed/total) or
 * what the run is waiting for, calls, abandons, channels, then seats in a fixed order
 * (states outside SEAT_ORDER, e.g. logged-out, after them by name when present).
 */
export function campaignProgressSegments(p: CampaignProgress): string[] {
  const rate = p.connected + p.abandoned > 0 ? ((100 * p.abandoned) / (p.connected + p.abandoned)).toFixed(1) : '0.0';
  const wrapping = p.seats['wrap-up'] ?? 0;
  const head =
    p.phase === 'finishing'
      ? p.inFlight > 0 || wrapping === 0
        ? drainText({ count: p.inFlight, singular: 'call', plural: 'calls', upToSec: p.finishWithinSec ?? 0 })
        : // The calls are over; what is left is the agents' after-call work.
          `finishing: ${wrapping} ${wrapping === 1 ? 'seat' : 'seats'} in wrap-up`
      : p.totalSec === undefined
        ? `${Math.floor(p.elapsedSec)} s`
        : elapsedOfTotal(p.elapsedSec, p.totalSec);
  const others = Object.keys(p.seats)
    .filter((s) => !SEAT_ORDER.includes(s))
    .sort();
  const seatText = [...SEAT_ORDER, ...others].map((s) => `${s} ${p.seats[s] ?? 0}`).join(', ');
  return [head, `calls ${p.attempts}`, `to agents ${p.connected}`, `abandoned ${p.abandoned} (${rate}%)`, `channels ${p.channelsInUse}`, `seats: ${seatText}`];
}
