import { Ss7DecodeError } from '../ss7-errors';
import { decodePointCode, encodePointCode, Mtp3Variant } from './routing-label';

/**
 * MTP3 signalling network management (SI 0, Q.704 15) and link test (SI 1,
 * Q.707) messages after the routing label: heading H0 (low nibble) and H1.
 */
export type Mtp3Management =
  | { type: 'COO' | 'COA'; fsn: number }
  | { type: 'CBD' | 'CBA'; code: number }
  | { type: 'TFP' | 'TFA'; destination: number }
  | { type: 'TRA' }
  | { type: 'SLTM' | 'SLTA'; pattern: Uint8Array };

const HEADINGS: Record<Exclude<Mtp3Management['type'], 'SLTM' | 'SLTA'>, number> = {
  COO: 0x11,
  COA: 0x21,
  CBD: 0x51,
  CBA: 0x61,
  TFP: 0x14,
  TFA: 0x54,
  TRA: 0x17,
};
const BY_HEADING = new Map(Object.entries(HEADINGS).map(([k, v]) => [v, k as keyof typeof HEADINGS]));
export const SLTM_HEADING = 0x11;
export const SLTA_HEADING = 0x21;

export function encodeManagement(v: Mtp3Variant, m: Mtp3Management): Uint8Array {
  switch (m.type) {
    case 'SLTM':
    case 'SLTA':
      return Uint8Array.of(m.type === 'SLTM' ? SLTM_HEADING : SLTA_HEADING, (m.pattern.length & 0x0f) << 4, ...m.pattern);
    case 'COO':
    case 'COA':
      return Uint8Array.of(HEADINGS[m.type], m.fsn & 0x7f);
    case 'CBD':
    case 'CBA':
      return Uint8Array.of(HEADINGS[m.type], m.code & 0xff);
    case 'TFP':
    case 'TFA':
      return Uint8Array.of(HEADINGS[m.type], ...encodePointCode(v, m.destination));
    case 'TRA':
      return Uint8Array.of(HEADINGS.TRA);
  }
}

/** Decodes what follows the label; `si` is 0 (SNM) or 1 (SLT). Unknown headings give undefined. */
export function decodeManagement(v: Mtp3Variant, si: number, b: Uint8Array): Mtp3Management | undefined {
  if (b.length < 1) throw new Ss7DecodeError('mtp3', 'MESSAGE_TOO_SHORT', 0, 'management message without heading');
  const need = (n: number) => {
    if (b.length < n)
      throw new Ss7DecodeError('mtp3', 'MESSAGE_TOO_SHORT', b.length, `heading 0x${b[0].toString(16)} needs ${n} octets, got ${b.length}`);
  };
  if (si === 1) {
    if (b[0] !== SLTM_HEADING && b[0] !== SLTA_HEADING) return undefined;
    need(2);
    const len = b[1] >> 4;
    need(2 + len);
    return { type: b[0] === SLTM_HEADING ? 'SLTM' : 'SLTA', pattern: b.slice(2, 2 + len) };
  }
  const type = BY_HEADING.get(b[0]);
  switch (type) {
    case 'COO':
    case 'COA':
      need(2);
      return { type, fsn: b[1] & 0x7f };
    case 'CBD':
    case 'CBA':
      need(2);
      return { type, code: b[1] };
    case 'TFP':
    case 'TFA':
      return { type, destination: decodePointCode(v, b, 1) };
    case 'TRA':
      return { type };
    default:
      return undefined;
  }
}
