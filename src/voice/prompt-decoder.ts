import { readFile, stat } from 'node:fs/promises';
import { MPEGDecoder } from 'mpg123-decoder';
import { InputError } from '../core/errors';
import { alawToLinear, mulawToLinear } from '../dsp/g711';
import { resampleTo8k, TELEPHONE_RATE } from './resample';

/**
 * Decodes a voice prompt to 8 kHz 16-bit linear mono, what a channel plays:
 * WAV (PCM 8/16/24/32-bit, 32-bit float, A-law, mu-law, WAVE_FORMAT_EXTENSIBLE
 * around any of those) and MP3 (mpg123 compiled to WebAssembly, the npm package
 * mpg123-decoder: no native code to build or download). Any sample rate is
 * resampled, any channel count mixed down.
 */
export type PromptProblem = 'unreadable' | 'too-large' | 'not-audio' | 'unsupported-encoding' | 'corrupt' | 'empty';

/** A prompt file that cannot be played: names the file and what is wrong with it. */
export class PromptFileError extends InputError {
  constructor(
    readonly file: string,
    readonly reason: PromptProblem,
    detail: string,
  ) {
    super(file, `voice prompt ${reason}: ${detail}`);
  }
}

export interface DecodedPrompt {
  file: string;
  /** 8 kHz linear samples. */
  samples: Int16Array;
  /** What the file was: for logs. */
  source: { format: 'wav' | 'mp3'; sampleRate: number; channels: number; encoding: string };
}

/** 64 MiB: an hour of 8 kHz 16-bit stereo; a prompt is never near it. */
export const MAX_PROMPT_BYTES = 64 * 1024 * 1024;
/** Ten minutes of decoded audio at most. */
export const MAX_PROMPT_SECONDS = 600;

export async function decodePromptFile(file: string): Promise<DecodedPrompt> {
  let bytes: Buffer;
  try {
    const size = (await stat(file)).size;
    if (size > MAX_PROMPT_BYTES) throw new PromptFileError(file, 'too-large', `${size} bytes (at most ${MAX_PROMPT_BYTES})`);
    bytes = await readFile(file);
  } catch (err) {
    if (err instanceof PromptFileError) throw err;
    throw new PromptFileError(file, 'unreadable', (err as NodeJS.ErrnoException).code ?? String(err));
  }
  return decodePrompt(file, bytes);
}

export async function decodePrompt(file: string, bytes: Uint8Array): Promise<DecodedPrompt> {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length >= 12 && b.toString('ascii', 0, 4) === 'RIFF' && b.toString('ascii', 8, 12) === 'WAVE') return decodeWav(file, b);
  if (/\.wav$/i.test(file)) throw new PromptFileError(file, 'not-audio', 'a .wav file without a RIFF/WAVE header');
  return decodeMp3(file, b);
}

interface WavFormat {
  tag: number;
  channels: number;
  sampleRate: number;
  blockAlign: number;
  bits: number;
}

function decodeWav(file: string, b: Buffer): DecodedPrompt {
  let off = 12;
  let fmt: WavFormat | undefined;
  while (off + 8 <= b.length) {
    const id = b.toString('ascii', off, off + 4);
    const len = b.readUInt32LE(off + 4);
    const body = off + 8;
    if (id === 'fmt ') {
      if (len < 16 || body + 16 > b.length) throw new PromptFileError(file, 'corrupt', `fmt chunk of ${len} bytes`);
      let tag = b.readUInt16LE(body);
      // WAVE_FORMAT_EXTENSIBLE: the real format is the first two bytes of the sub-format GUID.
      if (tag === 0xfffe && len >= 40 && body + 26 <= b.length) tag = b.readUInt16LE(body + 24);
      fmt = {
        tag,
        channels: b.readUInt16LE(body + 2),
        sampleRate: b.readUInt32LE(body + 4),
        blockAlign: b.readUInt16LE(body + 12),
        bits: b.readUInt16LE(body + 14),
      };
    } else if (id === 'data') {
      if (!fmt) throw new PromptFileError(file, 'corrupt', 'the data chunk comes before the fmt chunk');
      // A header written by a recorder that never finished says 0 or 0xFFFFFFFF: the data runs to the end of the file.
      const end = len === 0 || len === 0xffffffff ? b.length : Math.min(b.length, body + len);
      return wavSamples(file, fmt, b.subarray(body, end));
    }
    off = body + len + (len % 2);
  }
  throw new PromptFileError(file, 'corrupt', fmt ? 'no data chunk' : 'no fmt chunk');
}

function wavSamples(file: string, f: WavFormat, data: Buffer): DecodedPrompt {
  if (f.channels < 1 || f.channels > 8) throw new PromptFileError(file, 'unsupported-encoding', `${f.channels} channels`);
  if (f.sampleRate < 4000 || f.sampleRate > 192000)
    throw new PromptFileError(file, 'unsupported-encoding', `sample rate ${f.sampleRate} Hz`);
  let read: (at: number) => number;
  let width: number;
  let encoding: string;
  if (f.tag === 1 && f.bits === 8) [width, encoding, read] = [1, 'PCM 8-bit', (at) => (data[at] - 128) / 128];
  else if (f.tag === 1 && f.bits === 16) [width, encoding, read] = [2, 'PCM 16-bit', (at) => data.readInt16LE(at) / 32768];
  else if (f.tag === 1 && f.bits === 24) [width, encoding, read] = [3, 'PCM 24-bit', (at) => data.readIntLE(at, 3) / 8388608];
  else if (f.tag === 1 && f.bits === 32) [width, encoding, read] = [4, 'PCM 32-bit', (at) => data.readInt32LE(at) / 2147483648];
  else if (f.tag === 3 && f.bits === 32) [width, encoding, read] = [4, 'float 32-bit', (at) => data.readFloatLE(at)];
  else if (f.tag === 6 && f.bits === 8) [width, encoding, read] = [1, 'A-law', (at) => alawToLinear(data[at]) / 32768];
  else if (f.tag === 7 && f.bits === 8) [width, encoding, read] = [1, 'mu-law', (at) => mulawToLinear(data[at]) / 32768];
  else
    throw new PromptFileError(
      file,
      'unsupported-encoding',
      `WAV format ${f.tag} with ${f.bits} bits per sample (PCM 8/16/24/32-bit, float, A-law or mu-law can be played)`,
    );
  const frame = width * f.channels;
  const frames = Math.floor(data.length / frame);
  if (frames === 0) throw new PromptFileError(file, 'empty', 'the data chunk holds no audio');
  checkLength(file, frames / f.sampleRate);
  const mono = new Float32Array(frames);
  for (let i = 0; i < frames; i++) {
    let s = 0;
    for (let c = 0; c < f.channels; c++) s += read(i * frame + c * width);
    mono[i] = s / f.channels;
  }
  return {
    file,
    samples: toInt16(resampleTo8k(mono, f.sampleRate)),
    source: { format: 'wav', sampleRate: f.sampleRate, channels: f.channels, encoding },
  };
}

async function decodeMp3(file: string, b: Buffer): Promise<DecodedPrompt> {
  const decoder = new MPEGDecoder();
  await decoder.ready;
  try {
    const out = decoder.decode(new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
    if (out.samplesDecoded === 0 || !out.channelData.length)
      throw new PromptFileError(file, 'not-audio', 'neither a WAV file nor an MP3 file (no MPEG audio frame decoded)');
    checkLength(file, out.samplesDecoded / out.sampleRate);
    const chans = out.channelData;
    const mono = new Float32Array(out.samplesDecoded);
    for (let i = 0; i < mono.length; i++) {
      let s = 0;
      for (const ch of chans) s += ch[i];
      mono[i] = s / chans.length;
    }
    return {
      file,
      samples: toInt16(resampleTo8k(mono, out.sampleRate)),
      source: { format: 'mp3', sampleRate: out.sampleRate, channels: chans.length, encoding: 'MPEG audio' },
    };
  } finally {
    decoder.free();
  }
}

function checkLength(file: string, seconds: number): void {
  if (seconds > MAX_PROMPT_SECONDS)
    throw new PromptFileError(file, 'too-large', `${Math.round(seconds)} s of audio (at most ${MAX_PROMPT_SECONDS} s)`);
}

function toInt16(x: Float32Array): Int16Array {
  const out = new Int16Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = Math.round(x[i] * 32768);
    out[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
  }
  return out;
}

export { TELEPHONE_RATE };
