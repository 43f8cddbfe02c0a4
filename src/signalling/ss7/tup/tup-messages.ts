import { Mtp3Variant } from '../mtp3/routing-label';
import { Ss7DecodeError } from '../ss7-errors';

/**
 * China TUP messages (GF 001-9001 as summarised in the spec file): heading octet
 * H1 << 4 | H0 after a label whose CIC is 12 bits with its 4 low bits in the SLS
 * position. The table says each message's heading and the shape of its body.
 */
type Body = 'none' | 'iam' | 'iai' | 'sam' | 'sao' | 'grq' | 'gsm' | 'acm' | 'range' | 'range-status' | 'raw';

export const TUP_MESSAGES = {
  IAM: [0x11, 'iam'],
  IAI: [0x21, 'iai'],
  SAM: [0x31, 'sam'],
  SAO: [0x41, 'sao'],
  GSM: [0x12, 'gsm'],
  COT: [0x32, 'none'],
  CCF: [0x42, 'none'],
  GRQ: [0x13, 'grq'],
  ACM: [0x14, 'acm'],
  CHG: [0x24, 'raw'],
  SEC: [0x15, 'none'],
  CGC: [0x25, 'none'],
  NNC: [0x35, 'none'],
  ADI: [0x45, 'none'],
  CFL: [0x55, 'none'],
  SSB: [0x65, 'none'],
  UNN: [0x75, 'none'],
  LOS: [0x85, 'none'],
  SST: [0x95, 'none'],
  ACB: [0xa5, 'none'],
  DPN: [0xb5, 'none'],
  EUM: [0xf5, 'raw'],
  ANU: [0x06, 'none'],
  ANC: [0x16, 'none'],
  ANN: [0x26, 'none'],
  CBK: [0x36, 'none'],
  CLF: [0x46, 'none'],
  RAN: [0x56, 'none'],
  FOT: [0x66, 'none'],
  CCL: [0x76, 'none'],
  RLG: [0x17, 'none'],
  BLO: [0x27, 'none'],
  BLA: [0x37, 'none'],
  UBL: [0x47, 'none'],
  UBA: [0x57, 'none'],
  CCR: [0x67, 'none'],
  RSC: [0x77, 'none'],
  MGB: [0x18, 'range-status'],
  MBA: [0x28, 'range-status'],
  MGU: [0x38, 'range-status'],
  MUA: [0x48, 'range-status'],
  HGB: [0x58, 'range-status'],
  HBA: [0x68, 'range-status'],
  HGU: [0x78, 'range-status'],
  HUA: [0x88, 'range-status'],
  GRS: [0x98, 'range'],
  GRA: [0xa8, 'range-status'],
  SGB: [0xb8, 'range-status'],
  SBA: [0xc8, 'range-status'],
  SGU: [0xd8, 'range-status'],
  SUA: [0xe8, 'range-status'],
  ACC: [0x1a, 'raw'],
  MPM: [0x2c, 'raw'],
  OPR: [0x1d, 'none'],
  SLB: [0x1e, 'none'],
  STB: [0x2e, 'none'],
  MAL: [0x1f, 'none'],
} as const satisfies Record<string, readonly [number, Body]>;

export type TupMessageName = keyof typeof TUP_MESSAGES;
const BY_HEADING = new Map(Object.entries(TUP_MESSAGES).map(([k, [h]]) => [h as number, k as TupMessageName]));

/** Calling line identity (IAI, GSM): nature of address 2 bits, presentation restricted, incomplete, digits. */
export interface TupCli {
  digits: string;
  /** 0 local subscriber, 2 national significant, 3 international. */
  nature: number;
  restricted: boolean;
}

export interface TupMessage {
  type: TupMessageName;
  cic: number;
  /** IAM/IAI/GSM: calling party category (China ordinary 0x0a, local 0x18). */
  category?: number;
  /** IAM/IAI: nature of address of the called number (0 local, 2 national, 3 international). */
  nature?: number;
  /** IAM/IAI/SAM/SAO: address digits. */
  digits?: string;
  /** IAI/GSM: the calling number. */
  cli?: TupCli;
  /** ACM: type (0 ACM, 1 charge, 2 no charge, 3 coinbox) and subscriber free. */
  acm?: { kind: number; subscriberFree: boolean };
  /** GRQ: request bits (category 0x01, CLI 0x02, ...). */
  request?: number;
  /** GRM: range (circuits - 1) and status bits. */
  range?: number;
  status?: boolean[];
  /** Bodies kept as they came (CHG, EUM, ACC, MPM). */
  raw?: Uint8Array;
}

const fail = (reason: Ss7DecodeError['reason'], at: number, detail: string): never => {
  throw new Ss7DecodeError('tup', reason, at, detail);
};

function bcd(digits: string, where: string): number[] {
  if (!/^[0-9]{0,15}$/.test(digits)) fail('DIGITS_INVALID', 0, `${where}: '${digits}' is not 0-15 digits`);
  const out: number[] = [];
  for (let i = 0; i < digits.length; i += 2) out.push(Number(digits[i]) | (Number(digits[i + 1] ?? 0) << 4));
  return out;
}

function unbcd(b: Uint8Array, at: number, count: number, where: string): string {
  if (at + Math.ceil(count / 2) > b.length) fail('MESSAGE_TOO_SHORT', b.length, `${where}: ${count} digits announced, fewer present`);
  let s = '';
  for (let i = 0; i < count; i++) {
    const nib = (b[at + (i >> 1)] >> ((i & 1) * 4)) & 0x0f;
    s +=
      nib <= 9
        ? String(nib)
        : nib === 0x0b
          ? '*'
          : nib === 0x0c
            ? '#'
            : nib === 0x0f
              ? ''
              : fail('DIGITS_INVALID', at + (i >> 1), `${where}: address signal ${nib}`);
  }
  return s;
}

function encodeCli(cli: TupCli): number[] {
  if (cli.digits.length > 15) fail('DIGITS_INVALID', 0, 'CLI longer than 15 digits');
  return [(cli.nature & 3) | (cli.restricted ? 0x04 : 0) | (cli.digits.length << 4), ...bcd(cli.digits, 'CLI')];
}

function decodeCli(b: Uint8Array, at: number): [TupCli, number] {
  if (at >= b.length) fail('MESSAGE_TOO_SHORT', at, 'CLI indicator missing');
  const count = b[at] >> 4;
  return [{ nature: b[at] & 3, restricted: (b[at] & 0x04) !== 0, digits: unbcd(b, at + 1, count, 'CLI') }, at + 1 + Math.ceil(count / 2)];
}

/** Encodes the label (with the CIC) and the message for MTP3. */
export function encodeTup(v: Mtp3Variant, dpc: number, opc: number, m: TupMessage): Uint8Array {
  const [heading, body] = TUP_MESSAGES[m.type] as readonly [number, Body];
  const out: number[] = [];
  if (v.labelOctets === 7)
    out.push(dpc & 0xff, (dpc >> 8) & 0xff, dpc >> 16, opc & 0xff, (opc >> 8) & 0xff, opc >> 16, m.cic & 0xff, (m.cic >> 8) & 0x0f);
  else {
    const word = ((dpc & 0x3fff) | ((opc & 0x3fff) << 14) | ((m.cic & 0xf) << 28)) >>> 0;
    out.push(word & 0xff, (word >>> 8) & 0xff, (word >>> 16) & 0xff, word >>> 24, (m.cic >> 4) & 0xff);
  }
  out.push(heading);
  switch (body) {
    case 'iam':
    case 'iai': {
      const digits = m.digits ?? '';
      out.push((m.category ?? 0x0a) & 0x3f, (m.nature ?? 2) & 3, (digits.length & 0x0f) << 4, ...bcd(digits, 'called number'));
      if (body === 'iai') out.push(m.cli ? 0x10 : 0, ...(m.cli ? encodeCli(m.cli) : []));
      break;
    }
    case 'sam':
      out.push((m.digits ?? '').length & 0x0f, ...bcd(m.digits ?? '', 'subsequent address'));
      break;
    case 'sao':
      out.push(Number((m.digits ?? '0')[0]) & 0x0f);
      break;
    case 'grq':
      out.push(m.request ?? 0);
      break;
    case 'gsm':
      out.push((m.category !== undefined ? 0x01 : 0) | (m.cli ? 0x02 : 0));
      if (m.category !== undefined) out.push(m.category & 0x3f);
      if (m.cli) out.push(...encodeCli(m.cli));
      break;
    case 'acm':
      out.push(((m.acm?.kind ?? 0) & 3) | (m.acm?.subscriberFree ? 0x04 : 0));
      break;
    case 'range':
    case 'range-status': {
      const range = m.range ?? 0;
      out.push(range);
      if (body === 'range-status')
        for (let i = 0; i <= range; i += 8) out.push((m.status ?? []).slice(i, i + 8).reduce((acc, s, j) => acc | (s ? 1 << j : 0), 0));
      break;
    }
    case 'raw':
      out.push(...(m.raw ?? []));
      break;
  }
  return Uint8Array.from(out);
}

/** Decodes a TUP SIF (label included). */
export function decodeTup(v: Mtp3Variant, sif: Uint8Array): TupMessage {
  const headingAt = v.labelOctets === 7 ? 8 : 5;
  if (sif.length <= headingAt)
    fail('MESSAGE_TOO_SHORT', sif.length, `TUP message of ${sif.length} octets (label and heading need ${headingAt + 1})`);
  const cic = v.labelOctets === 7 ? sif[6] | ((sif[7] & 0x0f) << 8) : (sif[3] >> 4) | (sif[4] << 4);
  const type = BY_HEADING.get(sif[headingAt]) ?? fail('UNKNOWN_MESSAGE', headingAt, `unknown TUP heading 0x${sif[headingAt].toString(16)}`);
  const m: TupMessage = { type, cic };
  const b = sif;
  let at = headingAt + 1;
  const need = (n: number) => {
    if (at + n > b.length) fail('MESSAGE_TOO_SHORT', b.length, `${type} cut short at octet ${at}`);
  };
  switch (TUP_MESSAGES[type][1] as Body) {
    case 'iam':
    case 'iai': {
      need(3);
      m.category = b[at] & 0x3f;
      m.nature = b[at + 1] & 3;
      const count = b[at + 2] >> 4;
      m.digits = unbcd(b, at + 3, count, 'called number');
      at += 3 + Math.ceil(count / 2);
      if (type === 'IAI') {
        need(1);
        const first = b[at++];
        // Fields before the CLI (network capability, CUG, additional info) have no length of their own here.
        if (first & 0x0f)
          fail('PARAMETER_INVALID', at - 1, `IAI first indicators 0x${first.toString(16)}: fields before the CLI are not supported`);
        if (first & 0x10) [m.cli] = decodeCli(b, at);
      }
      break;
    }
    case 'sam':
      need(1);
      m.digits = unbcd(b, at + 1, b[at] & 0x0f, 'subsequent address');
      break;
    case 'sao':
      need(1);
      m.digits = unbcd(b, at, 1, 'subsequent address');
      break;
    case 'grq':
      need(1);
      m.request = b[at];
      break;
    case 'gsm': {
      need(1);
      const ind = b[at++];
      if (ind & 0x01) {
        need(1);
        m.category = b[at++] & 0x3f;
      }
      if (ind & 0x02) [m.cli] = decodeCli(b, at);
      break;
    }
    case 'acm':
      need(1);
      m.acm = { kind: b[at] & 3, subscriberFree: (b[at] & 0x04) !== 0 };
      break;
    case 'range':
    case 'range-status': {
      need(1);
      m.range = b[at];
      if (m.range > 31) fail('PARAMETER_INVALID', at, `range ${m.range} (at most 31)`);
      if (TUP_MESSAGES[type][1] === 'range-status') {
        const n = m.range + 1;
        at++;
        need(Math.ceil(n / 8));
        m.status = Array.from({ length: n }, (_, i) => (b[at + (i >> 3)] & (1 << (i & 7))) !== 0);
      }
      break;
    }
    case 'raw':
      m.raw = b.slice(at);
      break;
    default:
      break;
  }
  return m;
}
