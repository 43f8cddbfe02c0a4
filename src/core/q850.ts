/**
 * Q.850 cause values: the one release vocabulary every signalling module maps
 * into (PRI carries them natively; R2, analog and TUP outcomes are translated).
 */
export const Q850 = {
  UNALLOCATED: 1,
  NO_ROUTE_DESTINATION: 3,
  CHANNEL_UNACCEPTABLE: 6,
  NORMAL_CLEARING: 16,
  USER_BUSY: 17,
  NO_USER_RESPONSE: 18,
  NO_ANSWER: 19,
  SUBSCRIBER_ABSENT: 20,
  CALL_REJECTED: 21,
  NUMBER_CHANGED: 22,
  DESTINATION_OUT_OF_ORDER: 27,
  INVALID_NUMBER_FORMAT: 28,
  NORMAL_UNSPECIFIED: 31,
  NO_CIRCUIT_AVAILABLE: 34,
  NETWORK_OUT_OF_ORDER: 38,
  TEMPORARY_FAILURE: 41,
  SWITCH_CONGESTION: 42,
  REQUESTED_CHANNEL_UNAVAILABLE: 44,
  RESOURCE_UNAVAILABLE: 47,
  BEARER_NOT_AVAILABLE: 58,
  INVALID_CALL_REFERENCE: 81,
  MANDATORY_IE_MISSING: 96,
  RECOVERY_ON_TIMER_EXPIRY: 102,
  PROTOCOL_ERROR: 111,
  INTERWORKING: 127,
} as const;

const TEXT: Record<number, string> = {
  1: 'Unallocated (unassigned) number',
  2: 'No route to specified transit network',
  3: 'No route to destination',
  6: 'Channel unacceptable',
  7: 'Call awarded and being delivered in an established channel',
  16: 'Normal call clearing',
  17: 'User busy',
  18: 'No user responding',
  19: 'No answer from user (user alerted)',
  20: 'Subscriber absent',
  21: 'Call rejected',
  22: 'Number changed',
  26: 'Non-selected user clearing',
  27: 'Destination out of order',
  28: 'Invalid number format',
  29: 'Facility rejected',
  30: 'Response to STATUS ENQUIRY',
  31: 'Normal, unspecified',
  34: 'No circuit/channel available',
  38: 'Network out of order',
  41: 'Temporary failure',
  42: 'Switching equipment congestion',
  43: 'Access information discarded',
  44: 'Requested circuit/channel not available',
  47: 'Resource unavailable, unspecified',
  50: 'Requested facility not subscribed',
  52: 'Outgoing calls barred',
  54: 'Incoming calls barred',
  57: 'Bearer capability not authorized',
  58: 'Bearer capability not presently available',
  63: 'Service or option not available, unspecified',
  65: 'Bearer capability not implemented',
  66: 'Channel type not implemented',
  69: 'Requested facility not implemented',
  81: 'Invalid call reference value',
  82: 'Identified channel does not exist',
  88: 'Incompatible destination',
  95: 'Invalid message, unspecified',
  96: 'Mandatory information element is missing',
  97: 'Message type non-existent or not implemented',
  98: 'Message not compatible with call state',
  99: 'Information element non-existent or not implemented',
  100: 'Invalid information element contents',
  101: 'Message not compatible with call state',
  102: 'Recovery on timer expiry',
  103: 'Parameter non-existent or not implemented - passed on',
  111: 'Protocol error, unspecified',
  127: 'Interworking, unspecified',
};

export function causeText(cause: number): string {
  return TEXT[cause] ?? `Cause ${cause}`;
}

/**
 * What a dial attempt came to, as a call center counts it. The pacing and the
 * retry rules work on these, never on raw causes.
 */
export type CallOutcome =
  'answered' | 'busy' | 'unallocated' | 'no_answer' | 'congestion' | 'absent' | 'no_free_channel' | 'link_down' | 'other';

export const CALL_OUTCOMES: readonly CallOutcome[] = [
  'answered',
  'busy',
  'unallocated',
  'no_answer',
  'congestion',
  'absent',
  'no_free_channel',
  'link_down',
  'other',
];

/** Classifies an unanswered release by its cause. */
export function outcomeForCause(cause: number): Exclude<CallOutcome, 'answered' | 'no_free_channel'> {
  switch (cause) {
    case 17:
      return 'busy';
    case 1:
    case 22:
    case 28:
      return 'unallocated';
    case 18:
    case 19:
      return 'no_answer';
    case 34:
    case 42:
    case 44:
    case 47:
      return 'congestion';
    case 20:
    case 27:
      return 'absent';
    case 38:
      return 'link_down';
    default:
      return 'other';
  }
}
