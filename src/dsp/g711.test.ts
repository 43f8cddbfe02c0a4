import {
  alawToLinear,
  dbm0ToAmplitude,
  decodeAlaw,
  decodeMulaw,
  encodeAlaw,
  encodeMulaw,
  linearToAlaw,
  linearToMulaw,
  mulawToLinear,
  rmsToDbm0,
} from './g711';

describe('G.711 A-law', () => {
  it('decodes the code points G.711 defines at the ends of the scale', () => {
    // 0xD5 and 0x55 are the two smallest magnitudes (+8 / -8); 0xAA / 0x2A the largest.
    expect(alawToLinear(0xd5)).toBe(8);
    expect(alawToLinear(0x55)).toBe(-8);
    expect(alawToLinear(0xaa)).toBe(32256);
    expect(alawToLinear(0x2a)).toBe(-32256);
  });

  it('round-trips every code point through linear', () => {
    for (let code = 0; code < 256; code++) expect(linearToAlaw(alawToLinear(code))).toBe(code);
  });

  it('keeps the quantisation error within half a step across the range', () => {
    for (let s = -32000; s <= 32000; s += 37) {
      const back = alawToLinear(linearToAlaw(s));
      const step = Math.max(16, Math.abs(s) / 16);
      expect(Math.abs(back - s)).toBeLessThanOrEqual(step);
    }
  });

  it('puts the A-law peak at +3.14 dBm0, as G.711 defines the scale', () => {
    // A sine whose peaks reach the largest A-law code (32256 decoded, just under full scale).
    const pcm = new Int16Array(8000).map((_, i) => Math.round(32767 * Math.sin((2 * Math.PI * 1004 * i) / 8000)));
    const back = decodeAlaw(encodeAlaw(pcm));
    const rms = Math.sqrt(back.reduce((s, x) => s + x * x, 0) / back.length);
    expect(rmsToDbm0(rms)).toBeGreaterThan(3.0);
    expect(rmsToDbm0(rms)).toBeLessThan(3.2);
  });

  it('agrees with spandsp on the level of a -10 dBm0 tone (5,118 RMS on the 16-bit scale)', () => {
    expect(dbm0ToAmplitude(-10) / Math.SQRT2).toBeGreaterThan(5050);
    expect(dbm0ToAmplitude(-10) / Math.SQRT2).toBeLessThan(5190);
  });
});

describe('G.711 mu-law', () => {
  it('decodes the ends of the scale as G.711 defines them and round-trips every code', () => {
    expect(mulawToLinear(0xff)).toBe(0);
    expect(mulawToLinear(0x80)).toBe(32124);
    expect(mulawToLinear(0x00)).toBe(-32124);
    for (let code = 0; code < 256; code++) if (code !== 0x7f) expect(linearToMulaw(mulawToLinear(code))).toBe(code);
  });

  it('keeps a tone within its quantisation step', () => {
    const pcm = new Int16Array(800).map((_, i) => Math.round(10000 * Math.sin((2 * Math.PI * 1004 * i) / 8000)));
    const back = decodeMulaw(encodeMulaw(pcm));
    for (let i = 0; i < pcm.length; i++) expect(Math.abs(back[i] - pcm[i])).toBeLessThanOrEqual(Math.max(8, Math.abs(pcm[i]) / 16));
  });
});
