import { MAX_SU_OCTETS, Ss7DecodeError } from '../ss7-errors';

/**
 * MTP2 signal units (Q.703 basic format, without flags and FCS, which the HDLC
 * channel adds and checks): BSN+BIB, FSN+FIB, length indicator, then for an LSSU
 * one status octet and for an MSU the SIO and signalling information field.
 */
export type LssuStatus = 'SIO' | 'SIN' | 'SIE' | 'SIOS' | 'SIPO' | 'SIB';

const STATUS_CODES: readonly LssuStatus[] = ['SIO', 'SIN', 'SIE', 'SIOS', 'SIPO', 'SIB'];

export interface SuHeader {
  bsn: number;
  bib: number;
  fsn: number;
  fib: number;
}

export type SignalUnit =
  | (SuHeader & { kind: 'fisu' })
  | (SuHeader & { kind: 'lssu'; status: LssuStatus })
  /** `payload` is SIO + SIF (what MTP3 sends and receives). */
  | (SuHeader & { kind: 'msu'; payload: Uint8Array });

function header(h: SuHeader, li: number, extra: number): Uint8Array {
  const su = new Uint8Array(3 + extra);
  su[0] = (h.bsn & 0x7f) | ((h.bib & 1) << 7);
  su[1] = (h.fsn & 0x7f) | ((h.fib & 1) << 7);
  su[2] = Math.min(li, 63);
  return su;
}

export function encodeFisu(h: SuHeader): Uint8Array {
  return header(h, 0, 0);
}

export function encodeLssu(h: SuHeader, status: LssuStatus): Uint8Array {
  const su = header(h, 1, 1);
  su[3] = STATUS_CODES.indexOf(status);
  return su;
}

export function encodeMsu(h: SuHeader, payload: Uint8Array): Uint8Array {
  if (payload.length < 2 || payload.length > MAX_SU_OCTETS - 3)
    throw new RangeError(`MSU payload must be 2-${MAX_SU_OCTETS - 3} octets, got ${payload.length}`);
  const su = header(h, payload.length, payload.length);
  su.set(payload, 3);
  return su;
}

/** Decodes one signal unit; throws Ss7DecodeError for anything Q.703 counts as errored. */
export function decodeSignalUnit(su: Uint8Array): SignalUnit {
  if (su.length < 3) throw new Ss7DecodeError('mtp2', 'SU_TOO_SHORT', su.length, `signal unit of ${su.length} octets (at least 3)`);
  if (su.length > MAX_SU_OCTETS)
    throw new Ss7DecodeError('mtp2', 'SU_TOO_LONG', MAX_SU_OCTETS, `signal unit of ${su.length} octets (at most ${MAX_SU_OCTETS})`);
  const h: SuHeader = { bsn: su[0] & 0x7f, bib: su[0] >> 7, fsn: su[1] & 0x7f, fib: su[1] >> 7 };
  const li = su[2] & 0x3f;
  const body = su.length - 3;
  // LI 63 means "63 or more" for long MSUs.
  if (li < 63 ? body !== li : body < 63)
    throw new Ss7DecodeError('mtp2', 'SU_LENGTH_MISMATCH', 2, `length indicator ${li} but ${body} octets follow`);
  if (li === 0) return { ...h, kind: 'fisu' };
  if (li <= 2) {
    const status = STATUS_CODES[su[3] & 0x07];
    if (!status) throw new Ss7DecodeError('mtp2', 'LSSU_UNKNOWN_STATUS', 3, `unknown link status ${su[3] & 0x07}`);
    return { ...h, kind: 'lssu', status };
  }
  return { ...h, kind: 'msu', payload: su.slice(3) };
}
