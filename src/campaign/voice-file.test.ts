import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../core/errors';
import { inspectVoiceFile } from './voice-file';

const dir = mkdtempSync(join(tmpdir(), 'tp-voice-'));

function wav(seconds: number, format = 6, rate = 8000): Buffer {
  const data = Buffer.alloc(rate * seconds);
  const h = Buffer.alloc(44);
  h.write('RIFF', 0);
  h.writeUInt32LE(36 + data.length, 4);
  h.write('WAVE', 8);
  h.write('fmt ', 12);
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(format, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(rate, 24);
  h.writeUInt32LE(rate, 28);
  h.writeUInt16LE(1, 32);
  h.writeUInt16LE(8, 34);
  h.write('data', 36);
  h.writeUInt32LE(data.length, 40);
  return Buffer.concat([h, data]);
}

/** A constant-bit-rate MPEG-1 Layer III stream: 128 kbit/s, 44.1 kHz, mono, behind an ID3v2 tag. */
function mp3(seconds: number): Buffer {
  const id3 = Buffer.from([0x49, 0x44, 0x33, 3, 0, 0, 0, 0, 0, 20, ...Array(20).fill(0)]);
  const frameLen = Math.floor((144 * 128000) / 44100);
  const frames = Math.round((seconds * 128000) / 8 / frameLen);
  const frame = Buffer.alloc(frameLen);
  frame[0] = 0xff;
  frame[1] = 0xfb;
  frame[2] = 0x90;
  frame[3] = 0xc0;
  return Buffer.concat([id3, ...Array(frames).fill(frame)]);
}

describe('inspectVoiceFile', () => {
  test('an A-law WAV: duration from the data chunk', async () => {
    const f = join(dir, 'promo.wav');
    writeFileSync(f, wav(3));
    expect(await inspectVoiceFile(f)).toEqual({ format: 'wav', durationSec: 3, sampleRate: 8000, channels: 1 });
  });

  test('a CBR MP3 after an ID3 tag: duration from the bit rate', async () => {
    const f = join(dir, 'promo.mp3');
    writeFileSync(f, mp3(5));
    const info = await inspectVoiceFile(f);
    expect(info).toMatchObject({ format: 'mp3', sampleRate: 44100, channels: 1 });
    expect(info.durationSec).toBeCloseTo(5, 0);
  });

  test('files that are not voice are refused with the file named', async () => {
    const bad = join(dir, 'notes.mp3');
    writeFileSync(bad, 'this is text, not audio');
    await expect(inspectVoiceFile(bad)).rejects.toThrow(InputError);
    await expect(inspectVoiceFile(bad)).rejects.toThrow(/notes.mp3: is neither a WAV file nor an MP3/);
    const float = join(dir, 'float.wav');
    writeFileSync(float, wav(1, 3));
    await expect(inspectVoiceFile(float)).rejects.toThrow(/encoding 3 is not PCM/);
    await expect(inspectVoiceFile(join(dir, 'missing.wav'))).rejects.toThrow(/cannot open the voice file/);
  });
});
