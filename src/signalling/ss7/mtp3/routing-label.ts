import { InputError } from '../../../core/errors';
import { Ss7DecodeError } from '../ss7-errors';

/**
 * Point-code formats and routing labels per network, as data. China: 24-bit point
 * codes (main area 8, sub-area 8, point 8, written `main-sub-point`) and a 7-octet
 * label (DPC 3, OPC 3, SLS in the low nibble of octet 7). ITU: 14-bit point codes
 * and a 4-octet label (DPC 14, OPC 14, SLS 4 bits, little-endian).
 */
export interface Mtp3Variant {
  readonly name: 'china' | 'itu';
  readonly pointCodeBits: 24 | 14;
  readonly labelOctets: 7 | 4;
  /** Octets a point code takes inside TFP/TFA. */
  readonly pointCodeOctets: 3 | 2;
}

export const CHINA_MTP3: Mtp3Variant = { name: 'china', pointCodeBits: 24, labelOctets: 7, pointCodeOctets: 3 };
export const ITU_MTP3: Mtp3Variant = { name: 'itu', pointCodeBits: 14, labelOctets: 4, pointCodeOctets: 2 };
export const MTP3_VARIANTS: Record<Mtp3Variant['name'], Mtp3Variant> = { china: CHINA_MTP3, itu: ITU_MTP3 };

export interface RoutingLabel {
  dpc: number;
  opc: number;
  sls: number;
}

/** Service indicators (Q.704 14.2.1). */
export const SI = { SNM: 0, SLT: 1, TUP: 4, ISUP: 5 } as const;
/** Network indicator: national (binary 10), as China uses. */
export const NI_NATIONAL = 2;
export const NI_INTERNATIONAL = 0;

export function sio(si: number, ni: number): number {
  return ((ni & 3) << 6) | (si & 0x0f);
}

export function encodeLabel(v: Mtp3Variant, l: RoutingLabel): Uint8Array {
  if (v.labelOctets === 4) {
    const word = ((l.dpc & 0x3fff) | ((l.opc & 0x3fff) << 14) | ((l.sls & 0xf) << 28)) >>> 0;
    return Uint8Array.of(word & 0xff, (word >>> 8) & 0xff, (word >>> 16) & 0xff, word >>> 24);
  }
  return Uint8Array.of(
    l.dpc & 0xff,
    (l.dpc >> 8) & 0xff,
    (l.dpc >> 16) & 0xff,
    l.opc & 0xff,
    (l.opc >> 8) & 0xff,
    (l.opc >> 16) & 0xff,
    l.sls & 0x0f,
  );
}

/** Decodes the label at the start of a SIF. */
export function decodeLabel(v: Mtp3Variant, sif: Uint8Array): RoutingLabel {
  if (sif.length < v.labelOctets)
    throw new Ss7DecodeError('mtp3', 'LABEL_TOO_SHORT', sif.length, `routing label needs ${v.labelOctets} octets, got ${sif.length}`);
  if (v.labelOctets === 4) {
    const word = (sif[0] | (sif[1] << 8) | (sif[2] << 16) | (sif[3] << 24)) >>> 0;
    return { dpc: word & 0x3fff, opc: (word >>> 14) & 0x3fff, sls: word >>> 28 };
  }
  return { dpc: sif[0] | (sif[1] << 8) | (sif[2] << 16), opc: sif[3] | (sif[4] << 8) | (sif[5] << 16), sls: sif[6] & 0x0f };
}

export function encodePointCode(v: Mtp3Variant, pc: number): Uint8Array {
  return v.pointCodeOctets === 3 ? Uint8Array.of(pc & 0xff, (pc >> 8) & 0xff, pc >> 16) : Uint8Array.of(pc & 0xff, (pc >> 8) & 0x3f);
}

export function decodePointCode(v: Mtp3Variant, b: Uint8Array, at: number): number {
  if (b.length < at + v.pointCodeOctets) throw new Ss7DecodeError('mtp3', 'MESSAGE_TOO_SHORT', b.length, 'point code cut short');
  return v.pointCodeOctets === 3 ? b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) : b[at] | ((b[at + 1] & 0x3f) << 8);
}

/**
 * Parses a point code as a site writes it: China `main-sub-point` (each 0-255),
 * ITU `zone-area-point` (3-8-3 bits) or a plain number; `where` names the field.
 */
export function parsePointCode(v: Mtp3Variant, text: string | number, where: string): number {
  const max = 2 ** v.pointCodeBits - 1;
  if (typeof text === 'number' || /^[0-9]+$/.test(text)) {
    const n = Number(text);
    if (!Number.isInteger(n) || n < 0 || n > max) throw new InputError(where, `point code ${text} is outside 0-${max} (${v.name})`);
    return n;
  }
  const parts = text.split('-');
  const widths = v.pointCodeBits === 24 ? [8, 8, 8] : [3, 8, 3];
  if (parts.length !== 3 || parts.some((p) => !/^[0-9]{1,3}$/.test(p))) {
    throw new InputError(
      where,
      `point code '${text}' is not ${v.pointCodeBits === 24 ? 'main-sub-point (e.g. 10-20-30)' : 'zone-area-point (e.g. 1-2-3)'}`,
    );
  }
  let pc = 0;
  parts.forEach((p, i) => {
    const n = Number(p);
    if (n >= 2 ** widths[i]) throw new InputError(where, `point code '${text}': part ${i + 1} must be below ${2 ** widths[i]}`);
    pc = pc * 2 ** widths[i] + n;
  });
  return pc;
}

export function formatPointCode(v: Mtp3Variant, pc: number): string {
  return v.pointCodeBits === 24 ? `${pc >> 16}-${(pc >> 8) & 0xff}-${pc & 0xff}` : `${pc >> 11}-${(pc >> 3) & 0xff}-${pc & 7}`;
}
