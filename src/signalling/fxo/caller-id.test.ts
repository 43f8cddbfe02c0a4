import { InputError } from '../../core/errors';
import { buildMdmfCallerId, buildSdmfCallerId, DtmfCallerIdCollector, parseFskCallerId } from './caller-id';

describe('caller-ID messages (China YDN 069 forms)', () => {
  it('reads MDMF with a number-absent reason and SDMF with a private marker', () => {
    expect(parseFskCallerId(buildMdmfCallerId({ dateTime: '11220900', absence: 'O' }))).toEqual({
      form: 'fsk-mdmf',
      dateTime: '11220900',
      absence: 'O',
    });
    expect(parseFskCallerId(buildSdmfCallerId('11220900', 'P'))).toEqual({
      form: 'fsk-sdmf',
      dateTime: '11220900',
      number: undefined,
      absence: 'P',
    });
  });

  it('names what is wrong with a bad message', () => {
    expect(() => parseFskCallerId(Uint8Array.from([0x80]))).toThrow(InputError);
    expect(() => parseFskCallerId(Uint8Array.from([0x80, 9, 2, 3]))).toThrow(/length byte says 9/);
    expect(() => parseFskCallerId(Uint8Array.from([0x80, 4, 2, 9, 0x31, 0x32]))).toThrow(/parameter 0x2 at byte 0 runs past/);
    expect(() => parseFskCallerId(Uint8Array.from([0x33, 0]))).toThrow(/neither SDMF/);
  });

  it('collects DTMF caller ID framed A...C or D...#, and B as an absence code', () => {
    const c = new DtmfCallerIdCollector();
    const feed = (s: string) => [...s].map((d) => c.push(d)).filter(Boolean);
    expect(feed('5A13912345678C')).toEqual([{ form: 'dtmf', number: '13912345678' }]);
    expect(feed('D075512345678#')).toEqual([{ form: 'dtmf', number: '075512345678' }]);
    expect(feed('B10C')).toEqual([{ form: 'dtmf', absence: '10' }]);
  });
});
