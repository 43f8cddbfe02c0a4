import { TrunkpilotError } from '../../core/errors';

/** Which layer refused a No.7 frame or message. */
export type Ss7Layer = 'mtp2' | 'mtp3' | 'isup' | 'tup';

export type Ss7DecodeErrorCode =
  | 'SU_TOO_SHORT'
  | 'SU_TOO_LONG'
  | 'SU_LENGTH_MISMATCH'
  | 'LSSU_UNKNOWN_STATUS'
  | 'LABEL_TOO_SHORT'
  | 'MESSAGE_TOO_SHORT'
  | 'UNKNOWN_MESSAGE'
  | 'POINTER_OUT_OF_RANGE'
  | 'PARAMETER_TOO_LONG'
  | 'PARAMETER_MISSING'
  | 'PARAMETER_INVALID'
  | 'DIGITS_INVALID';

/**
 * A frame or message from the line that cannot be decoded: says which layer,
 * what is wrong and at which octet. Decoders throw only this; callers count it
 * and drop the frame (a fault on the line never crashes the stack).
 */
export class Ss7DecodeError extends TrunkpilotError {
  constructor(
    readonly layer: Ss7Layer,
    readonly reason: Ss7DecodeErrorCode,
    readonly offset: number,
    detail: string,
  ) {
    super('INPUT_INVALID', `${layer}: ${detail} (octet ${offset})`);
  }
}

/** Longest MTP2 signal unit accepted: 3 header octets + SIO + 272-octet SIF (Q.703). */
export const MAX_SU_OCTETS = 3 + 1 + 272;
