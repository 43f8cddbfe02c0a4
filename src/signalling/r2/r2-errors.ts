import { TrunkpilotError } from '../../core/errors';
import { Q850 } from '../../core/q850';

/** What went wrong on an R2 circuit, as the far end or the clock did it. */
export type R2FaultCode =
  | 'unexpected-signal' // an MF signal with no meaning at this point of the sequence
  | 'unexpected-bits' // a line bit pattern the variant does not define in this state
  | 'seize-ack-timeout'
  | 'mf-timeout'
  | 'register-timeout'
  | 'answer-timeout'
  | 'decision-timeout'
  | 'release-guard-timeout'
  | 'clear-forward-timeout'
  | 'number-too-long';

const CAUSES: Record<R2FaultCode, number> = {
  'unexpected-signal': Q850.PROTOCOL_ERROR,
  'unexpected-bits': Q850.PROTOCOL_ERROR,
  // The circuit did not answer the seizure: the call may try another one.
  'seize-ack-timeout': Q850.REQUESTED_CHANNEL_UNAVAILABLE,
  'mf-timeout': Q850.RECOVERY_ON_TIMER_EXPIRY,
  'register-timeout': Q850.RECOVERY_ON_TIMER_EXPIRY,
  'answer-timeout': Q850.NO_ANSWER,
  'decision-timeout': Q850.RECOVERY_ON_TIMER_EXPIRY,
  'release-guard-timeout': Q850.RECOVERY_ON_TIMER_EXPIRY,
  'clear-forward-timeout': Q850.RECOVERY_ON_TIMER_EXPIRY,
  'number-too-long': Q850.INVALID_NUMBER_FORMAT,
};

/**
 * A fault on one R2 circuit. It is reported, never thrown across the line: the
 * engine clears the call with `cause` and the circuit returns to idle.
 */
export class R2ProtocolError extends TrunkpilotError {
  readonly q850: number;
  constructor(
    readonly fault: R2FaultCode,
    readonly channel: number,
    readonly detail: string,
  ) {
    super('INPUT_INVALID', `R2 channel ${channel}: ${fault}: ${detail}`);
    this.q850 = CAUSES[fault];
  }
}
