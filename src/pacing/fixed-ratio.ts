import { InputError } from '../core/errors';
import { clampDial, Pacer, PacingDecision, PacingSnapshot } from './pacer';

/**
 * The seed's "group call" rule: lines dialling = ready seats x ratio. Ratio 2 with
 * no ready seat dials nothing, with one dials two, with a hundred dials two
 * hundred. Ratio 1 is progressive dialling: never more calls ringing than seats
 * waiting for them, so no call is ever abandoned.
 */
export class FixedRatioPacer implements Pacer {
  readonly name: string;

  constructor(
    readonly ratio: number,
    name?: string,
  ) {
    if (!(ratio >= 1) || !Number.isFinite(ratio) || ratio > 50)
      throw new InputError('pacing ratio', `must be a number from 1 to 50, got ${ratio}`);
    this.name = name ?? `fixed-ratio-${ratio}`;
  }

  decide(s: PacingSnapshot): PacingDecision {
    // Answered calls waiting for a seat will take ready seats first.
    const seatsFree = Math.max(0, s.readySeats - s.waitingAnswered);
    const wanted = Math.floor(seatsFree * this.ratio + 1e-9);
    return { dial: clampDial(wanted - s.dialingAges.length, s.capacity) };
  }

  observe(): void {
    // A fixed ratio learns nothing.
  }
}

export function progressivePacer(): FixedRatioPacer {
  return new FixedRatioPacer(1, 'progressive');
}
