import { Q850 } from '../../../core/q850';
import { TupMessageName } from './tup-messages';

/** Backward unsuccessful signals and the Q.850 cause each becomes (the outcome the pacing sees). */
export const TUP_FAILURE_CAUSES: Partial<Record<TupMessageName, number>> = {
  SLB: Q850.USER_BUSY, // subscriber local busy
  STB: Q850.USER_BUSY, // subscriber toll busy
  SSB: Q850.USER_BUSY, // subscriber busy (international)
  UNN: Q850.UNALLOCATED, // unallocated national number
  SEC: Q850.SWITCH_CONGESTION, // switching equipment congestion
  CGC: Q850.NO_CIRCUIT_AVAILABLE, // circuit group congestion
  NNC: Q850.NO_CIRCUIT_AVAILABLE, // national network congestion
  ADI: Q850.INVALID_NUMBER_FORMAT, // address incomplete
  CFL: Q850.TEMPORARY_FAILURE, // call failure
  LOS: Q850.DESTINATION_OUT_OF_ORDER, // line out of service
  SST: Q850.SUBSCRIBER_ABSENT, // send special information tone (unreachable, suspended)
  ACB: Q850.CALL_REJECTED, // access barred
  DPN: Q850.BEARER_NOT_AVAILABLE, // digital path not provided
  EUM: Q850.NORMAL_UNSPECIFIED, // extended unsuccessful
};

/** The backward signal an incoming TUP call is refused with, for a Q.850 cause. */
export function tupFailureSignal(cause: number): TupMessageName {
  switch (cause) {
    case Q850.USER_BUSY:
      return 'SLB';
    case Q850.UNALLOCATED:
    case Q850.NUMBER_CHANGED:
      return 'UNN';
    case Q850.SWITCH_CONGESTION:
      return 'SEC';
    case Q850.NO_CIRCUIT_AVAILABLE:
    case Q850.REQUESTED_CHANNEL_UNAVAILABLE:
      return 'CGC';
    case Q850.INVALID_NUMBER_FORMAT:
      return 'ADI';
    case Q850.DESTINATION_OUT_OF_ORDER:
      return 'LOS';
    case Q850.SUBSCRIBER_ABSENT:
    case Q850.NO_ANSWER:
    case Q850.NO_USER_RESPONSE:
      return 'SST';
    case Q850.CALL_REJECTED:
      return 'ACB';
    default:
      return 'CFL';
  }
}
