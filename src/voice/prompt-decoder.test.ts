import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Mp3Encoder } from '@breezystack/lamejs';
import { goertzelRms, tone, wavFile, WavEncoding } from '../../test-support/voice-audio';
import { decodePromptFile, PromptFileError } from './prompt-decoder';
import { PromptLibrary } from './prompt-library';

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'prompts-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rms = (x: Int16Array) => Math.sqrt(x.reduce((s, v) => s + v * v, 0) / x.length);

describe('voice prompts decode to 8 kHz linear at the level they were recorded', () => {
  const cases: [WavEncoding, number, number][] = [
    ['pcm16', 8000, 1],
    ['pcm16', 44100, 2],
    ['pcm8', 11025, 1],
    ['alaw', 8000, 1],
    ['mulaw', 8000, 1],
    ['float32', 48000, 1],
    ['pcm16', 16000, 1],
  ];
  test.each(cases)('WAV %s at %d Hz, %d channel(s)', async (enc, rate, channels) => {
    const f = join(dir, `t-${enc}-${rate}-${channels}.wav`);
    writeFileSync(f, wavFile(tone(1000, 1000, rate), rate, enc, channels));
    const p = await decodePromptFile(f);
    expect(p.samples.length).toBeGreaterThan(7900);
    expect(p.samples.length).toBeLessThan(8100);
    // 8000 peak = 5657 RMS; the laws and 8-bit PCM quantise, resampling keeps the level.
    expect(goertzelRms(p.samples.subarray(400, 7600), 1000)).toBeGreaterThan(5200);
    expect(goertzelRms(p.samples.subarray(400, 7600), 1000)).toBeLessThan(6100);
  });

  test('a 44.1 kHz prompt loses what is above the telephone band instead of folding it in', async () => {
    const f = join(dir, 'hiss.wav');
    writeFileSync(f, wavFile(tone(6000, 1000, 44100), 44100, 'pcm16'));
    const p = await decodePromptFile(f);
    // Folded back, 6 kHz would land on 2 kHz at full level; the low-pass leaves almost nothing.
    expect(rms(p.samples.subarray(400, 7600))).toBeLessThan(60);
  });

  test('an MP3 prompt (22.05 kHz) decodes at its length and level', async () => {
    const enc = new Mp3Encoder(1, 22050, 64);
    const x = Int16Array.from(tone(800, 2000, 22050), (v) => Math.round(v * 32768));
    const f = join(dir, 'prompt.mp3');
    writeFileSync(f, Buffer.concat([Buffer.from(enc.encodeBuffer(x)), Buffer.from(enc.flush())]));
    const p = await decodePromptFile(f);
    expect(p.source).toMatchObject({ format: 'mp3', sampleRate: 22050 });
    expect(p.samples.length / 8000).toBeGreaterThan(1.95);
    expect(p.samples.length / 8000).toBeLessThan(2.2);
    expect(goertzelRms(p.samples.subarray(2000, 14000), 800)).toBeGreaterThan(5000);
  });

  test('bad files are refused with a typed error naming the file', async () => {
    const notAudio = join(dir, 'notes.mp3');
    writeFileSync(notAudio, 'these are my notes, not audio at all '.repeat(40));
    await expect(decodePromptFile(notAudio)).rejects.toThrow(PromptFileError);
    await expect(decodePromptFile(notAudio)).rejects.toThrow(/notes\.mp3: voice prompt not-audio/);
    const adpcm = join(dir, 'adpcm.wav');
    const w = wavFile(tone(1000, 100), 8000, 'pcm16');
    w.writeUInt16LE(2, 20); // MS ADPCM
    writeFileSync(adpcm, w);
    await expect(decodePromptFile(adpcm)).rejects.toMatchObject({ reason: 'unsupported-encoding', file: adpcm });
    const cut = join(dir, 'cut.wav');
    writeFileSync(cut, wavFile(tone(1000, 100), 8000, 'pcm16').subarray(0, 30));
    await expect(decodePromptFile(cut)).rejects.toMatchObject({ reason: 'corrupt' });
    await expect(decodePromptFile(join(dir, 'missing.wav'))).rejects.toMatchObject({ reason: 'unreadable' });
  });

  test('the library decodes a prompt once, and again when the file changes', async () => {
    const f = join(dir, 'cached.wav');
    writeFileSync(f, wavFile(tone(1000, 500), 8000, 'pcm16'));
    const lib = new PromptLibrary();
    const [a, b] = await Promise.all([lib.encoded(f, 'alaw'), lib.encoded(f, 'alaw')]);
    expect(a).toBe(b);
    expect(lib.decodes).toBe(1);
    writeFileSync(f, wavFile(tone(1000, 700), 8000, 'pcm16'));
    expect((await lib.encoded(f, 'alaw')).length).toBe(5600);
    expect(lib.decodes).toBe(2);
  });
});
