import { Unsubscribe } from '../core/emitter';
import { SeatEndpoint } from '../../drivers/ports/media-port';

/**
 * How a seat is alerted to an offered call and reached once its agent answers: an FXS
 * phone rings until the handset is lifted, a remote agent is called out on a trunk (or
 * is already on a nailed-up leg). A seat without one (a simulated agent) takes the call
 * at once on its own endpoint.
 */
export interface SeatAlert {
  /** The endpoint to bridge when the agent answered; undefined when not in time, withdrawn or failed. */
  readonly answered: Promise<SeatEndpoint | undefined>;
  /** Stops alerting (another seat answered, the customer hung up). */
  withdraw(): void;
}

export interface SeatAnswering {
  /** Alerts the agent to call `callId` for at most `ringMs`. */
  alert(callId: string, ringMs: number): SeatAlert;
  /** The seat's part of the call is over (a per-call remote leg is cleared; a phone does nothing). */
  finished(callId: string): void;
}

/** An agent's desk phone as the seats layer uses it: ringer, hook, keypad and confirmation tones. */
export interface SeatPhone {
  readonly name: string;
  readonly offHook: boolean;
  ring(): void;
  stopRinging(): void;
  /** Three short beeps (done) or one long low tone (refused). */
  playTone(tone: 'confirm' | 'refuse'): void;
  onHook(listener: (offHook: boolean) => void): Unsubscribe;
  /** DTMF digits dialled while the phone is in no call. */
  onDigit(listener: (digit: string) => void): Unsubscribe;
}
