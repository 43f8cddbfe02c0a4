import { Ss7DecodeError } from './ss7-errors';

/** Events a No.7 user part (ISUP or TUP) reports per circuit, in the shared terms. */
export type UserPartEvent =
  | { type: 'offered'; cic: number; number: string; callerId?: string }
  | { type: 'proceeding' | 'alerting' | 'progress' | 'answered'; cic: number }
  /** The call on the circuit is over; `cause` is Q.850 (TUP signals are mapped). */
  | { type: 'released'; cic: number; cause: number; by: 'local' | 'remote' }
  /** A circuit is in service (true) or blocked at either end (false), after blocking or resets. */
  | { type: 'circuit'; cic: number; available: boolean }
  | { type: 'error'; error: Ss7DecodeError };

/**
 * What the span needs from a No.7 user part: calls and maintenance by CIC. ISUP
 * (IsupEngine) and TUP implement it, so one SpanSignalling serves both.
 */
export interface CircuitUserPart {
  /** Service indicator in the SIO: 5 ISUP, 4 TUP. */
  readonly serviceIndicator: number;
  setup(cic: number, called: string, calling?: string): void;
  /** Incoming call: the called party is being alerted (ACM). */
  alert(cic: number): void;
  answer(cic: number): void;
  release(cic: number, cause: number): void;
  reset(cic: number): void;
  /** After MTP comes up: reset every circuit (GRS). */
  resetAll(): void;
  /** MTP went down: forget every circuit's state without signalling. */
  dropAll(): void;
  block(cic: number): void;
  unblock(cic: number): void;
  /** A message for us; `sif` is the whole SIF, routing label included. */
  receive(sif: Uint8Array): void;
  /** Circuit resets sent and not yet acknowledged. */
  readonly resetsPending: number;
  /** Whether a CIC is unblocked at both ends. */
  inService(cic: number): boolean;
  /** Whether a CIC is idle and unblocked. */
  available(cic: number): boolean;
  onEvent(listener: (ev: UserPartEvent) => void): void;
}
