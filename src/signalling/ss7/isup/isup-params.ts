import { Ss7DecodeError } from '../ss7-errors';

/**
 * ISUP parameters (Q.763 3, and YDN 038's China additions) by name: code and, for
 * the few with internal structure the call control reads, their codecs.
 */
export const PARAM = {
  endOfOptional: 0x00,
  callReference: 0x01,
  transmissionMediumRequirement: 0x02,
  calledPartyNumber: 0x04,
  subsequentNumber: 0x05,
  natureOfConnectionIndicators: 0x06,
  forwardCallIndicators: 0x07,
  optionalForwardCallIndicators: 0x08,
  callingPartyCategory: 0x09,
  callingPartyNumber: 0x0a,
  redirectingNumber: 0x0b,
  continuityIndicators: 0x10,
  backwardCallIndicators: 0x11,
  causeIndicators: 0x12,
  rangeAndStatus: 0x16,
  circuitGroupSupervisionType: 0x17,
  suspendResumeIndicators: 0x22,
  eventInformation: 0x24,
  optionalBackwardCallIndicators: 0x29,
  originalCalledNumber: 0x28,
  /** China (YDN 038) and Q.763 1997: message compatibility information. */
  messageCompatibilityInformation: 0x38,
  /** China: the 2-octet charge information MPM carries (mandatory fixed in MPM). */
  chargeInformation: 0xf0,
} as const;

export type ParamName = keyof typeof PARAM;
export const PARAM_BY_CODE = new Map<number, ParamName>(Object.entries(PARAM).map(([k, v]) => [v, k as ParamName]));

/** Nature of address indicator (Q.763 3.9): subscriber, unknown, national, international. */
export type NatureOfAddress = 'subscriber' | 'unknown' | 'national' | 'international';
const NAI: Record<NatureOfAddress, number> = { subscriber: 1, unknown: 2, national: 3, international: 4 };
const NAI_BY_CODE = new Map(Object.entries(NAI).map(([k, v]) => [v, k as NatureOfAddress]));

export interface PartyNumber {
  digits: string;
  nature: NatureOfAddress;
  /** Calling number only: presentation restricted. */
  restricted?: boolean;
}

/** The characters an ISUP address signal can carry: 0-9, 11 (code 11), 12 (code 12) as B, C; ST is implied for called numbers. */
const DIGIT_RE = /^[0-9BC]{0,32}$/;

function packDigits(digits: string, where: string): { odd: boolean; bytes: number[] } {
  if (!DIGIT_RE.test(digits)) throw new Ss7DecodeError('isup', 'DIGITS_INVALID', 0, `${where}: '${digits}' is not 0-32 address digits`);
  const codes = [...digits].map((c) => (c === 'B' ? 11 : c === 'C' ? 12 : Number(c)));
  const bytes: number[] = [];
  for (let i = 0; i < codes.length; i += 2) bytes.push(codes[i] | ((codes[i + 1] ?? 0) << 4));
  return { odd: codes.length % 2 === 1, bytes };
}

function unpackDigits(b: Uint8Array, from: number, odd: boolean): string {
  return unpackAddress(b, from, odd).digits;
}

/** Address signals, and whether they end with ST (end of pulsing: the number is complete). */
function unpackAddress(b: Uint8Array, from: number, odd: boolean): { digits: string; st: boolean } {
  const nibbles: number[] = [];
  for (let i = from; i < b.length; i++) nibbles.push(b[i] & 0x0f, b[i] >> 4);
  if (odd && nibbles.length) nibbles.pop(); // the filler of an odd count
  let s = '';
  for (const nib of nibbles) {
    if (nib === 0x0f) return { digits: s, st: true };
    s += nib <= 9 ? String(nib) : nib === 11 ? 'B' : nib === 12 ? 'C' : '';
  }
  return { digits: s, st: false };
}

/** Whether a called party number or subsequent number ends with ST (overlap: no more digits follow). */
export function endsWithSt(b: Uint8Array, kind: 'called' | 'subsequent'): boolean {
  if (b.length < 1) return false;
  return unpackAddress(b, kind === 'called' ? 2 : 1, (b[0] & 0x80) !== 0).st;
}

/**
 * Subsequent number (SAM, Q.763 3.51): O/E, then the digits low nibble first; with
 * `st`, the ST signal (0xF) after the last digit says the number is complete.
 */
export function encodeSubsequentNumber(digits: string, st: boolean): Uint8Array {
  const { bytes } = packDigits(digits, 'subsequent number');
  const count = digits.length + (st ? 1 : 0);
  if (st) {
    if (digits.length % 2 === 0) bytes.push(0x0f);
    else bytes[bytes.length - 1] |= 0xf0;
  }
  return Uint8Array.of(count % 2 === 1 ? 0x80 : 0, ...bytes);
}

/** Called party number: O/E + NAI, INN + numbering plan (ISDN), digits (low nibble first). */
export function encodeCalledNumber(n: PartyNumber): Uint8Array {
  const { odd, bytes } = packDigits(n.digits, 'called number');
  return Uint8Array.of((odd ? 0x80 : 0) | NAI[n.nature], 0x10, ...bytes);
}

/** Calling party number: O/E + NAI, NI, plan ISDN, presentation, screening (network provided). */
export function encodeCallingNumber(n: PartyNumber): Uint8Array {
  const { odd, bytes } = packDigits(n.digits, 'calling number');
  return Uint8Array.of((odd ? 0x80 : 0) | NAI[n.nature], 0x10 | (n.restricted ? 0x04 : 0) | 0x03, ...bytes);
}

export function decodePartyNumber(b: Uint8Array, what: string): PartyNumber {
  if (b.length < 2) throw new Ss7DecodeError('isup', 'PARAMETER_INVALID', 0, `${what} of ${b.length} octets (at least 2)`);
  const nature = NAI_BY_CODE.get(b[0] & 0x7f) ?? 'unknown';
  return { digits: unpackDigits(b, 2, (b[0] & 0x80) !== 0), nature, restricted: (b[1] & 0x0c) === 0x04 };
}

/** Subsequent number (SAM): O/E, then digits from the second octet. */
export function decodeSubsequentNumber(b: Uint8Array): string {
  if (b.length < 1) throw new Ss7DecodeError('isup', 'PARAMETER_INVALID', 0, 'empty subsequent number');
  return unpackDigits(b, 1, (b[0] & 0x80) !== 0);
}

/** Cause indicators: ITU coding, location, then the Q.850 cause value. */
export type CauseLocation = 'user' | 'private-local' | 'public-local' | 'transit' | 'public-remote';
const LOCATION: Record<CauseLocation, number> = { user: 0, 'private-local': 1, 'public-local': 2, transit: 3, 'public-remote': 4 };

export function encodeCause(cause: number, location: CauseLocation = 'private-local'): Uint8Array {
  return Uint8Array.of(0x80 | LOCATION[location], 0x80 | (cause & 0x7f));
}

export function decodeCause(b: Uint8Array): number {
  if (b.length < 2) throw new Ss7DecodeError('isup', 'PARAMETER_INVALID', 0, `cause indicators of ${b.length} octets (at least 2)`);
  // A diagnostic may follow; the extension bit of octet 1 may announce an octet 1a.
  const valueAt = b[0] & 0x80 ? 1 : 2;
  if (b.length <= valueAt) throw new Ss7DecodeError('isup', 'PARAMETER_INVALID', valueAt, 'cause value missing');
  return b[valueAt] & 0x7f;
}

/** Backward call indicators, as much as call control reads: called party status. */
export interface BackwardCallIndicators {
  /** Called party status: subscriber free (alerting) or no indication. */
  subscriberFree: boolean;
  /** Charge indicator: charge (true) or no charge. */
  charge: boolean;
  /** In-band information available (from the optional backward call indicators). */
  inband?: boolean;
}

export function encodeBackwardCallIndicators(b: BackwardCallIndicators): Uint8Array {
  // Octet 1: charge (BA), called party status (DC), category ordinary (FE=01), no end-to-end;
  // octet 2: ISUP used all the way (K), ISDN access (M).
  return Uint8Array.of((b.charge ? 0x02 : 0x01) | (b.subscriberFree ? 0x04 : 0) | 0x10, 0x14);
}

export function decodeBackwardCallIndicators(b: Uint8Array): BackwardCallIndicators {
  if (b.length !== 2) throw new Ss7DecodeError('isup', 'PARAMETER_INVALID', 0, `backward call indicators of ${b.length} octets (2)`);
  return { charge: (b[0] & 0x03) === 0x02, subscriberFree: (b[0] & 0x0c) === 0x04 };
}

/** Event information (CPG): alerting 1, progress 2, in-band information 3. */
export const EVENT = { alerting: 1, progress: 2, inband: 3 } as const;

/** Range and status: range octet (circuits - 1), then one status bit per circuit (none for GRS). */
export function encodeRangeAndStatus(count: number, status?: readonly boolean[]): Uint8Array {
  const out = [count - 1];
  if (status) for (let i = 0; i < count; i += 8) out.push(status.slice(i, i + 8).reduce((acc, s, j) => acc | (s ? 1 << j : 0), 0));
  return Uint8Array.from(out);
}

export function decodeRangeAndStatus(b: Uint8Array): { count: number; status: boolean[] } {
  if (b.length < 1) throw new Ss7DecodeError('isup', 'PARAMETER_INVALID', 0, 'empty range and status');
  const count = b[0] + 1;
  if (count > 32) throw new Ss7DecodeError('isup', 'PARAMETER_INVALID', 0, `range of ${count} circuits (at most 32)`);
  const status: boolean[] = [];
  if (b.length > 1) {
    if (b.length - 1 < Math.ceil(count / 8)) throw new Ss7DecodeError('isup', 'PARAMETER_INVALID', 1, 'status bits cut short');
    for (let i = 0; i < count; i++) status.push((b[1 + (i >> 3)] & (1 << (i & 7))) !== 0);
  }
  return { count, status };
}
