import { Ss7DecodeError } from '../ss7-errors';
import { decodeIsup, encodeIsup, ISUP_MESSAGES, IsupMessageName } from './isup-messages';
import {
  decodeCause,
  decodePartyNumber,
  encodeCalledNumber,
  encodeCallingNumber,
  encodeCause,
  decodeRangeAndStatus,
  decodeSubsequentNumber,
  encodeRangeAndStatus,
  encodeSubsequentNumber,
  endsWithSt,
} from './isup-params';

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/#.*$/gm, '').replace(/\s+/g, ''), 'hex'));

/** An IAM as a China exchange sends it (after the routing label), annotated octet by octet. */
const IAM_FIXTURE = `
  1f 00        # CIC 31 (12 bits, low octet first)
  01           # message type IAM
  00           # nature of connection indicators: no satellite, no continuity check
  60 01        # forward call indicators: ISUP all the way, not required; ISDN access
  0a           # calling party category: ordinary subscriber (China 0x0a)
  00           # transmission medium requirement: speech
  02           # pointer to called party number (2 octets on)
  0a           # pointer to optional part (10 octets on)
  08           # called party number, 8 octets:
     83        #   odd number of digits, nature of address 3 (national significant)
     10        #   numbering plan 1 (ISDN/telephony)
     31 18 32 54 76 08   # digits 1 3 8 1 2 3 4 5 6 7 8, low nibble first, 0 filler
  0a 08        # optional: calling party number (0x0a), 8 octets:
     03        #   even, national
     13        #   plan ISDN, presentation allowed, network provided
     70 55 21 43 65 87   # digits 0 7 5 5 1 2 3 4 5 6 7 8
  00           # end of optional parameters
`;

describe('ISUP codec (Q.763 tables)', () => {
  test('IAM: fixed, variable and optional parts decode from the annotated wire bytes', () => {
    const m = decodeIsup(hex(IAM_FIXTURE));
    expect(m.type).toBe('IAM');
    expect(m.cic).toBe(31);
    expect(m.params.callingPartyCategory).toEqual(Uint8Array.of(0x0a));
    expect(decodePartyNumber(m.params.calledPartyNumber!, 'called')).toEqual({
      digits: '13812345678',
      nature: 'national',
      restricted: false,
    });
    expect(decodePartyNumber(m.params.callingPartyNumber!, 'calling').digits).toBe('075512345678');
  });

  test('encoding gives the same octets back', () => {
    const wire = hex(IAM_FIXTURE);
    expect(Buffer.from(encodeIsup(decodeIsup(wire))).toString('hex')).toBe(Buffer.from(wire).toString('hex'));
  });

  test.each(Object.keys(ISUP_MESSAGES) as IsupMessageName[])('%s round-trips through the table', (type) => {
    const def = ISUP_MESSAGES[type];
    const params: Record<string, Uint8Array> = {};
    for (const [name, len] of def.fixed) params[name] = Uint8Array.from({ length: len }, (_, i) => i + 1);
    for (const name of def.variable)
      params[name] =
        name === 'causeIndicators'
          ? encodeCause(16)
          : name === 'rangeAndStatus'
            ? encodeRangeAndStatus(4, [true, false, true, false])
            : encodeCalledNumber({ digits: '123', nature: 'national' });
    if (def.optional) params.callingPartyNumber = encodeCallingNumber({ digits: '075512345678', nature: 'national' });
    const m = decodeIsup(encodeIsup({ type, cic: 0xabc, params }));
    expect(m).toEqual({ type, cic: 0xabc, params });
  });

  test('China-only messages carry their codes: CCL 0xFC, MPM 0xFD, OPR 0xFE', () => {
    expect(encodeIsup({ type: 'CCL', cic: 1, params: {} })[2]).toBe(0xfc);
    expect(encodeIsup({ type: 'MPM', cic: 1, params: { chargeInformation: Uint8Array.of(0, 3) } }).subarray(2, 5)).toEqual(
      Uint8Array.of(0xfd, 0, 3),
    );
    expect(encodeIsup({ type: 'OPR', cic: 1, params: {} })[2]).toBe(0xfe);
  });

  test('SAM: the subsequent number with ST, annotated (Q.763 3.51); odd and even counts', () => {
    // 8000 then ST: five signals, so odd; digits low nibble first, ST (0xF) in the last nibble, filler 0 above it.
    const SAM = `
      1f 00     # CIC 31
      02        # message type SAM
      02        # pointer to the subsequent number
      00        # no optional part
      04        # subsequent number, 4 octets:
         80     #   odd number of address signals
         08 00  #   digits 8 0 0 0
         0f     #   ST (end of pulsing), filler
    `;
    const m = decodeIsup(hex(SAM));
    expect(m).toEqual({ type: 'SAM', cic: 31, params: { subsequentNumber: hex('80 0800 0f') } });
    expect(decodeSubsequentNumber(m.params.subsequentNumber!)).toBe('8000');
    expect(endsWithSt(m.params.subsequentNumber!, 'subsequent')).toBe(true);
    expect(Buffer.from(encodeIsup({ type: 'SAM', cic: 31, params: { subsequentNumber: encodeSubsequentNumber('8000', true) } }))).toEqual(
      Buffer.from(hex(SAM)),
    );
    // 138 then ST: four signals, even; ST fills the high nibble of the last octet.
    expect(encodeSubsequentNumber('138', true)).toEqual(hex('00 31 f8'));
    expect(encodeSubsequentNumber('138', false)).toEqual(hex('80 31 08'));
    expect(endsWithSt(hex('80 31 08'), 'subsequent')).toBe(false);
    expect(decodeSubsequentNumber(hex('00 31 f8'))).toBe('138');
    // A called number with ST at the end (overlap: the last address message).
    expect(endsWithSt(hex('03 10 31 f8'), 'called')).toBe(true); // even: 1 3 8 ST
    expect(endsWithSt(hex('83 10 31 f8'), 'called')).toBe(false); // odd: 1 3 8, the high nibble is filler
  });

  test('CPG: event information, annotated (Q.763 3.21)', () => {
    const CPG = `
      05 00     # CIC 5
      2c        # message type CPG
      01        # event information: alerting (1), presentation allowed
      00        # no optional part
    `;
    expect(decodeIsup(hex(CPG))).toEqual({ type: 'CPG', cic: 5, params: { eventInformation: Uint8Array.of(1) } });
    expect(Buffer.from(encodeIsup({ type: 'CPG', cic: 5, params: { eventInformation: Uint8Array.of(1) } }))).toEqual(Buffer.from(hex(CPG)));
  });

  test('cause, range and status', () => {
    expect(encodeCause(17)).toEqual(Uint8Array.of(0x81, 0x91));
    expect(decodeCause(Uint8Array.of(0x84, 0x90))).toBe(16);
    expect(decodeRangeAndStatus(encodeRangeAndStatus(10, [true, false, false, false, false, false, false, false, false, true]))).toEqual({
      count: 10,
      status: [true, false, false, false, false, false, false, false, false, true],
    });
  });

  test.each([
    ['', 'MESSAGE_TOO_SHORT'],
    ['0100 77', 'UNKNOWN_MESSAGE'],
    ['0100 01 00 6001 0a 00 40 00', 'POINTER_OUT_OF_RANGE'],
    ['0100 01 00 6001 0a 00 02 00 30 0310', 'PARAMETER_TOO_LONG'],
    ['0100 0c 02 04 02 8190 0a 01 05', 'PARAMETER_MISSING'],
    ['0100 17 01', 'POINTER_OUT_OF_RANGE'],
  ])('malformed %s gives a typed %s error', (wire, reason) => {
    let err: unknown;
    try {
      decodeIsup(hex(wire));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(Ss7DecodeError);
    expect((err as Ss7DecodeError).reason).toBe(reason);
  });
});
