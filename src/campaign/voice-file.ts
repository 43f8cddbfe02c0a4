import { open } from 'node:fs/promises';
import { InputError } from '../core/errors';

/**
 * Checks a campaign's voice file before it is used and works out how long it
 * plays (a broadcast call's time limit is length x plays + key time). WAV: RIFF
 * header, PCM / A-law / mu-law, duration from the data chunk. MP3: first MPEG
 * audio frame after any ID3v2 tag; duration from a Xing/Info frame count when
 * present, else from the bit rate (constant bit rate).
 */
export interface VoiceFileInfo {
  format: 'wav' | 'mp3';
  durationSec: number;
  sampleRate: number;
  channels: number;
}

const HEAD_BYTES = 64 * 1024;

export async function inspectVoiceFile(path: string): Promise<VoiceFileInfo> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    throw new InputError(path, `cannot open the voice file: ${(err as Error).message}`);
  }
  try {
    const size = (await handle.stat()).size;
    const head = Buffer.alloc(Math.min(size, HEAD_BYTES));
    await handle.read(head, 0, head.length, 0);
    if (head.length >= 12 && head.toString('ascii', 0, 4) === 'RIFF' && head.toString('ascii', 8, 12) === 'WAVE')
      return parseWav(head, size, path);
    if (/\.wav$/i.test(path)) throw new InputError(path, 'is not a RIFF/WAVE file');
    return parseMp3(head, size, path);
  } finally {
    await handle.close();
  }
}

function parseWav(b: Buffer, size: number, path: string): VoiceFileInfo {
  let off = 12;
  let fmt: { format: number; channels: number; sampleRate: number; byteRate: number } | undefined;
  while (off + 8 <= b.length) {
    const id = b.toString('ascii', off, off + 4);
    const len = b.readUInt32LE(off + 4);
    if (id === 'fmt ') {
      if (off + 24 > b.length) break;
      fmt = {
        format: b.readUInt16LE(off + 8),
        channels: b.readUInt16LE(off + 10),
        sampleRate: b.readUInt32LE(off + 12),
        byteRate: b.readUInt32LE(off + 16),
      };
    } else if (id === 'data') {
      if (!fmt) throw new InputError(path, 'WAV data chunk comes before its fmt chunk');
      if (![1, 6, 7].includes(fmt.format)) throw new InputError(path, `WAV encoding ${fmt.format} is not PCM, A-law or mu-law`);
      if (!fmt.byteRate) throw new InputError(path, 'WAV fmt chunk has a byte rate of 0');
      const dataBytes = Math.min(len, size - off - 8);
      return { format: 'wav', durationSec: dataBytes / fmt.byteRate, sampleRate: fmt.sampleRate, channels: fmt.channels };
    }
    off += 8 + len + (len % 2);
  }
  throw new InputError(path, 'WAV file has no data chunk');
}

const BITRATES_V1_L3 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const BITRATES_V2_L3 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
const SAMPLE_RATES: Record<number, number[]> = { 3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000] };

function parseMp3(b: Buffer, size: number, path: string): VoiceFileInfo {
  let off = 0;
  if (b.length >= 10 && b.toString('ascii', 0, 3) === 'ID3') {
    // ID3v2: 28-bit sync-safe size after a 10-byte header.
    off = 10 + (((b[6] & 0x7f) << 21) | ((b[7] & 0x7f) << 14) | ((b[8] & 0x7f) << 7) | (b[9] & 0x7f));
  }
  for (; off + 4 <= b.length; off++) {
    if (b[off] !== 0xff || (b[off + 1] & 0xe0) !== 0xe0) continue;
    const version = (b[off + 1] >> 3) & 3; // 3 = MPEG1, 2 = MPEG2, 0 = MPEG2.5
    const layer = (b[off + 1] >> 1) & 3; // 1 = Layer III
    const bitrateIndex = b[off + 2] >> 4;
    const rateIndex = (b[off + 2] >> 2) & 3;
    if (version === 1 || layer !== 1 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) continue;
    const kbps = (version === 3 ? BITRATES_V1_L3 : BITRATES_V2_L3)[bitrateIndex];
    const sampleRate = SAMPLE_RATES[version][rateIndex];
    const channels = b[off + 3] >> 6 === 3 ? 1 : 2;
    const samplesPerFrame = version === 3 ? 1152 : 576;
    // A Xing/Info header in the first frame gives the frame count (VBR files).
    const sideInfo = version === 3 ? (channels === 1 ? 17 : 32) : channels === 1 ? 9 : 17;
    const xing = off + 4 + sideInfo;
    if (xing + 12 <= b.length) {
      const tag = b.toString('ascii', xing, xing + 4);
      if ((tag === 'Xing' || tag === 'Info') && b.readUInt32BE(xing + 4) & 1) {
        const frames = b.readUInt32BE(xing + 8);
        return { format: 'mp3', durationSec: (frames * samplesPerFrame) / sampleRate, sampleRate, channels };
      }
    }
    return { format: 'mp3', durationSec: ((size - off) * 8) / (kbps * 1000), sampleRate, channels };
  }
  throw new InputError(path, 'is neither a WAV file nor an MP3 file (no MPEG audio frame found)');
}
