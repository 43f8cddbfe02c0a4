import { CHINA_MTP3, ITU_MTP3 } from '../mtp3/routing-label';
import { Ss7DecodeError } from '../ss7-errors';
import { decodeTup, encodeTup, TUP_MESSAGES, TupMessage, TupMessageName } from './tup-messages';

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/#.*$/gm, '').replace(/\s+/g, ''), 'hex'));
const DPC = 0x020202; // 2-2-2
const OPC = 0x010101; // 1-1-1

/** Golden vectors built by hand from the tables in the spec file, annotated octet by octet. */
const GOLDEN: [string, TupMessage, string][] = [
  [
    'IAI with CLI, CIC 31',
    {
      type: 'IAI',
      cic: 31,
      category: 0x0a,
      nature: 2,
      digits: '13812345678',
      cli: { digits: '075512345678', nature: 2, restricted: false },
    },
    `
    02 02 02     # DPC 2-2-2 (24 bits, low octet first)
    01 01 01     # OPC 1-1-1
    1f 00        # CIC 31: 12 bits, low 4 bits (0xf) sit where MTP3 reads the SLS; 4 spare
    21           # heading: H1=2 H0=1, IAI
    0a           # calling party category 10: ordinary subscriber, toll
    02           # message indicators bits A-H: nature of address 2 (national significant)
    b0           # message indicators bits I-L 0; 11 address signals
    31 18 32 54 76 08   # 1 3 8 1 2 3 4 5 6 7 8, first digit in the low nibble, 0 filler
    10           # first indicator octet: CLI included
    c2           # CLI: nature 2 (national), not restricted, complete, 12 digits
    70 55 21 43 65 87   # 0 7 5 5 1 2 3 4 5 6 7 8
  `,
  ],
  [
    'ACM, subscriber free, charge',
    { type: 'ACM', cic: 31, acm: { kind: 1, subscriberFree: true } },
    `
    02 02 02 01 01 01 1f 00
    14           # heading: ACM (H1=1 H0=4)
    05           # type 1 (ADC, charge), subscriber free
  `,
  ],
  [
    'SLB, subscriber local busy',
    { type: 'SLB', cic: 0x123 },
    `
    02 02 02 01 01 01
    23 01        # CIC 0x123: SLS 3
    1e           # heading: SLB (H0=E NUB group)
  `,
  ],
  ['CLF', { type: 'CLF', cic: 5 }, '02 02 02 01 01 01 05 00 46'],
  ['GRS for 30 circuits from CIC 1', { type: 'GRS', cic: 1, range: 29 }, '02 02 02 01 01 01 01 00 98 1d'],
  [
    'GRQ asking for the category and the CLI (what an incoming IAM without CLI is met with)',
    { type: 'GRQ', cic: 4, request: 0x03 },
    `
    02 02 02 01 01 01 04 00
    13           # heading: GRQ (H1=1 H0=3, BSM)
    03           # request indicators: calling party category (bit A), CLI (bit B)
  `,
  ],
  [
    'HGB for CICs 7-10, the first two concerned (hardware failure)',
    { type: 'HGB', cic: 7, range: 3, status: [true, true, false, false] },
    `
    02 02 02 01 01 01 07 00
    58           # heading: HGB (H1=5 H0=8, GRM)
    03           # range: 4 circuits (range + 1)
    03           # status: bit 0 CIC 7, bit 1 CIC 8 blocked
  `,
  ],
  [
    'MGU for 10 circuits from CIC 33: the status runs into a second octet',
    { type: 'MGU', cic: 33, range: 9, status: [true, true, true, true, true, true, true, true, false, true] },
    `
    02 02 02 01 01 01 21 00
    38           # heading: MGU
    09           # range: 10 circuits
    ff 02        # status: CICs 33-40, then CIC 42 (bit 1 of the second octet)
  `,
  ],
  ['MGB, circuits 1 and 3 of 4', { type: 'MGB', cic: 1, range: 3, status: [true, false, true, false] }, '02 02 02 01 01 01 01 00 18 03 05'],
  [
    'GSM with category and CLI',
    { type: 'GSM', cic: 2, category: 0x0a, cli: { digits: '8001', nature: 2, restricted: true } },
    `
    02 02 02 01 01 01 02 00
    12           # heading: GSM
    03           # response indicators: category and CLI included
    0a           # category 10
    46 08 10     # CLI: nature 2, presentation restricted, 4 digits; 8 0 0 1
  `,
  ],
];

describe('China TUP codec', () => {
  test.each(GOLDEN)('%s: encodes to and decodes from the annotated bytes', (_name, msg, wire) => {
    expect(Buffer.from(encodeTup(CHINA_MTP3, DPC, OPC, msg)).toString('hex')).toBe(Buffer.from(hex(wire)).toString('hex'));
    expect(decodeTup(CHINA_MTP3, hex(wire))).toEqual(msg);
  });

  test.each(Object.keys(TUP_MESSAGES) as TupMessageName[])('%s round-trips in the China and ITU labels', (type) => {
    const shape = TUP_MESSAGES[type][1] as string;
    const m: TupMessage = { type, cic: 0x9a7 };
    if (shape === 'iam' || shape === 'iai') Object.assign(m, { category: 0x18, nature: 0, digits: '87654321' });
    if (shape === 'iai') m.cli = { digits: '13900000000', nature: 2, restricted: false };
    if (shape === 'sam') m.digits = '123';
    if (shape === 'sao') m.digits = '7';
    if (shape === 'grq') m.request = 0x03;
    if (shape === 'gsm') Object.assign(m, { category: 0x0a });
    if (shape === 'acm') m.acm = { kind: 2, subscriberFree: false };
    if (shape === 'range') m.range = 7;
    if (shape === 'range-status')
      Object.assign(m, { range: 9, status: [true, false, false, true, false, false, false, false, true, true] });
    if (shape === 'raw') m.raw = Uint8Array.of(1, 2);
    for (const v of [CHINA_MTP3, ITU_MTP3]) {
      const wire = encodeTup(v, v === CHINA_MTP3 ? DPC : 0x1012, v === CHINA_MTP3 ? OPC : 0x0809, m);
      expect(wire[v.labelOctets === 7 ? 8 : 5]).toBe(TUP_MESSAGES[type][0]);
      expect(decodeTup(v, wire)).toEqual(m);
    }
  });

  test.each([
    ['02 02 02 01 01 01 01', 'MESSAGE_TOO_SHORT'],
    ['02 02 02 01 01 01 01 00 99', 'UNKNOWN_MESSAGE'],
    ['02 02 02 01 01 01 01 00 11 0a 02 b0 31', 'MESSAGE_TOO_SHORT'],
    ['02 02 02 01 01 01 01 00 21 0a 02 10 01 01', 'PARAMETER_INVALID'],
    ['02 02 02 01 01 01 01 00 18 40 ff', 'PARAMETER_INVALID'],
    ['02 02 02 01 01 01 01 00 11 0a 02 10 0e', 'DIGITS_INVALID'],
  ])('malformed %s is a typed %s error', (wire, reason) => {
    let err: unknown;
    try {
      decodeTup(CHINA_MTP3, hex(wire));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(Ss7DecodeError);
    expect((err as Ss7DecodeError).reason).toBe(reason);
  });
});
