/**
 * Audio on trunk channels (issue 14): what decoding a prompt costs, what playing it
 * with key capture costs per channel, what recording costs per call, and DTMF
 * talk-off on speech through the player's own key collector (the FXO bench's
 * speech corpus, plus greetings, announcements and music, over the A-law path of
 * an E1 bearer). Channels are memory channels ticked as DAHDI would; CPU is this
 * process's user+system time (process.cpuUsage), so it includes the test harness
 * generating and consuming the audio.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirtualClock } from '../src/core/clock';
import { encodeAlaw, decodeAlaw } from '../src/dsp/g711';
import { ChannelVoicePlayer } from '../src/voice/channel-voice-player';
import { CallRecorder } from '../src/voice/call-recorder';
import { decodePromptFile } from '../src/voice/prompt-decoder';
import { KeyCollector } from '../src/voice/key-collector';
import { PromptLibrary } from '../src/voice/prompt-library';
import { MemoryChannelAudioSource } from '../simulator/ports/memory-channel-audio';
import { renderAnnouncement, renderHumanGreeting, renderMachineGreeting, renderMusic, renderSpeech } from '../simulator/audio/voice';
import { Rng } from '../simulator/random';
import { BenchContext, BenchSection } from './bench-table';

const PROMPT_SEC = 10;

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** A 44.1 kHz 16-bit stereo WAV of synthetic speech. */
function speechWav(rate: number, seconds: number): Buffer {
  const x8 = renderSpeech(new Rng('bench/voice/prompt'), { words: Math.ceil(seconds * 2.7) });
  const n = Math.round(seconds * rate);
  const data = Buffer.alloc(n * 4);
  for (let i = 0; i < n; i++) {
    const v = Math.max(-32768, Math.min(32767, Math.round((x8[Math.floor((i * 8000) / rate) % x8.length] ?? 0) * 32768)));
    data.writeInt16LE(v, i * 4);
    data.writeInt16LE(v, i * 4 + 2);
  }
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + data.length, 4);
  h.write('WAVEfmt ', 8, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(2, 22);
  h.writeUInt32LE(rate, 24);
  h.writeUInt32LE(rate * 4, 28);
  h.writeUInt16LE(4, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(data.length, 40);
  return Buffer.concat([h, data]);
}

/** An MP3 of the same prompt when the encoder (a development dependency) is installed. */
async function speechMp3(seconds: number): Promise<Buffer | undefined> {
  try {
    // Its CommonJS entry is a browser script that exports nothing: its ES module is loaded (a real import()).
    const esmImport = new Function('id', 'return import(id)') as (id: string) => Promise<typeof import('@breezystack/lamejs')>;
    const { Mp3Encoder } = await esmImport('@breezystack/lamejs');
    const x8 = renderSpeech(new Rng('bench/voice/prompt'), { words: Math.ceil(seconds * 2.7) });
    const rate = 22050;
    const pcm = Int16Array.from({ length: seconds * rate }, (_, i) =>
      Math.round((x8[Math.floor((i * 8000) / rate) % x8.length] ?? 0) * 32768),
    );
    const enc = new Mp3Encoder(1, rate, 48);
    return Buffer.concat([Buffer.from(enc.encodeBuffer(pcm)), Buffer.from(enc.flush())]);
  } catch {
    return undefined;
  }
}

async function decodeCost(dir: string): Promise<BenchSection> {
  const rows: (string | number)[][] = [];
  const figures: Record<string, number> = {};
  const files: [string, Buffer | undefined][] = [
    ['WAV 8 kHz 16-bit mono', speechWavMono8k()],
    ['WAV 44.1 kHz 16-bit stereo', speechWav(44100, PROMPT_SEC)],
    ['MP3 22.05 kHz 48 kbit/s mono', await speechMp3(PROMPT_SEC)],
  ];
  for (const [label, bytes] of files) {
    if (!bytes) {
      rows.push([label, 'encoder not installed', '', '']);
      continue;
    }
    const f = join(dir, `${label.replace(/\W+/g, '_')}.${label.startsWith('MP3') ? 'mp3' : 'wav'}`);
    writeFileSync(f, bytes);
    await decodePromptFile(f); // warm up (the MP3 decoder compiles its WebAssembly once)
    const runs = 3;
    const t0 = cpuMs();
    let seconds = 0;
    for (let i = 0; i < runs; i++) seconds = (await decodePromptFile(f)).samples.length / 8000;
    const ms = (cpuMs() - t0) / runs;
    figures[`${label}/ms`] = ms;
    rows.push([label, seconds.toFixed(1), ms.toFixed(1), ((ms / (seconds * 1000)) * 100).toFixed(2)]);
  }
  return {
    title: `Voice prompt decoding to 8 kHz (once per file; cached decoded after)`,
    columns: ['prompt', 'seconds', 'CPU ms per decode', 'CPU % of its length'],
    rows,
    figures,
  };

  function speechWavMono8k(): Buffer {
    const w = speechWav(8000, PROMPT_SEC);
    // Keep the left channel only: a mono 8 kHz file needs no resampling.
    const n = (w.length - 44) / 4;
    const out = Buffer.alloc(44 + n * 2);
    w.copy(out, 0, 0, 44);
    out.writeUInt32LE(36 + n * 2, 4);
    out.writeUInt16LE(1, 22);
    out.writeUInt32LE(16000, 28);
    out.writeUInt16LE(2, 32);
    out.writeUInt32LE(n * 2, 40);
    for (let i = 0; i < n; i++) out.writeInt16LE(w.readInt16LE(44 + i * 4), 44 + i * 2);
    return out;
  }
}

async function playbackCost(dir: string, channels: number): Promise<{ row: (string | number)[]; perChannelPct: number }> {
  const file = join(dir, 'play.wav');
  writeFileSync(file, speechWav(44100, PROMPT_SEC));
  const clock = new VirtualClock(0);
  const audio = new MemoryChannelAudioSource();
  const prompts = new PromptLibrary();
  await prompts.encoded(file, 'alaw');
  const player = new ChannelVoicePlayer({ audio, prompts, clock });
  const plays = Array.from({ length: channels }, (_, i) =>
    player.play(
      { callId: `c${i}`, span: 1, channel: i + 1 },
      { file, plays: 1, collectKeys: { maxKeys: 1, timeoutSec: 1 } },
      new Promise(() => undefined),
    ),
  );
  while ([...audio.channels.values()].filter((c) => c.listening > 0).length < channels) await new Promise((r) => setTimeout(r, 1));
  const t0 = cpuMs();
  let blocks = 0;
  for (let t = 0; t < (PROMPT_SEC + 1.2) * 1000; t += 20) {
    audio.tick();
    clock.advance(20);
    blocks++;
  }
  const ms = cpuMs() - t0;
  await Promise.all(plays);
  const channelSeconds = (channels * blocks * 20) / 1000;
  const pct = (ms / (channelSeconds * 1000)) * 100;
  return { row: [channels, channelSeconds.toFixed(0), ms.toFixed(0), pct.toFixed(3), Math.floor(100 / pct)], perChannelPct: pct };
}

async function recordingCost(dir: string, calls: number): Promise<{ row: (string | number)[]; perChannelPct: number }> {
  const clock = new VirtualClock(Date.UTC(2026, 11, 6));
  const audio = new MemoryChannelAudioSource();
  const rec = new CallRecorder({ audio, dir: join(dir, 'rec'), clock });
  const speech = encodeAlaw(renderSpeech(new Rng('bench/voice/rec'), { words: 30 }));
  const running = [];
  for (let i = 0; i < calls; i++) {
    const leg = { callId: `r${i}`, span: 1, channel: i + 1 };
    const seat = { kind: 'fxs' as const, span: 2, channel: i + 1 };
    running.push(await rec.start(leg, seat, { campaign: 'bench', number: `1390000${i}`, seatId: `seat${i}`, layout: 'stereo' }));
    audio.trunk(leg).deliver(speech);
    audio.seat(seat).deliver(speech);
  }
  const t0 = cpuMs();
  const seconds = 10;
  for (let t = 0; t < seconds * 1000; t += 20) {
    audio.tick();
    if (t % 1000 === 0) await new Promise((r) => setImmediate(r));
  }
  await Promise.all(running.map((r) => r.stop()));
  const ms = cpuMs() - t0;
  const pct = (ms / (calls * seconds * 1000)) * 100;
  return { row: [calls, calls * seconds, ms.toFixed(0), pct.toFixed(3), ((8000 * 4 * 3600) / 1e6).toFixed(0)], perChannelPct: pct };
}

function talkOff(): BenchSection {
  const rng = new Rng('bench/voice/talkoff');
  const corpora: [string, Float32Array][] = [
    ['speech (FXO bench corpus)', renderSpeech(new Rng('bench/talkoff'), { words: 160 })],
    ['speech, 5 more minutes', renderSpeech(rng, { words: 800 })],
    ['greetings (people)', concatAll(Array.from({ length: 40 }, () => renderHumanGreeting(rng)))],
    ['greetings (machines)', concatAll(Array.from({ length: 30 }, () => renderMachineGreeting(rng)))],
    ['network announcements', concatAll(Array.from({ length: 20 }, () => renderAnnouncement(rng)))],
    ['music on hold', renderMusic(rng, 120)],
  ];
  const rows: (string | number)[][] = [];
  const figures: Record<string, number> = {};
  let total = 0;
  let totalSec = 0;
  for (const [label, x] of corpora) {
    const collector = new KeyCollector({ maxKeys: 1000, firstKeyMs: 1e9, interKeyMs: 1e9, terminator: '' });
    const codes = encodeAlaw(x);
    const pcm = new Int16Array(160);
    for (let k = 0; k + 160 <= codes.length; k += 160) collector.feed(decodeAlaw(codes.subarray(k, k + 160), pcm), 20);
    const digits = collector.keys;
    collector.close();
    total += digits.length;
    totalSec += x.length / 8000;
    figures[`${label}/falseDigits`] = digits.length;
    rows.push([label, (x.length / 8000).toFixed(0), digits.length, digits || '-']);
  }
  figures.falseDigits = total;
  figures.seconds = totalSec;
  return {
    title: 'DTMF talk-off on an E1 bearer (the key collector on A-law audio, spandsp dtmf_rx at -40 dBm0)',
    columns: ['corpus', 'seconds', 'false digits', 'digits'],
    rows,
    figures,
    notes: [`${total} false digits in ${(totalSec / 60).toFixed(1)} minutes of audio that is not DTMF`],
  };
}

function concatAll(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export async function run(ctx?: BenchContext): Promise<BenchSection[]> {
  const dir = mkdtempSync(join(tmpdir(), 'voice-bench-'));
  try {
    ctx?.step('decoding prompts');
    const decode = await decodeCost(dir);
    const play: (string | number)[][] = [];
    const playFigures: Record<string, number> = {};
    for (const n of [1, 30]) {
      ctx?.step(`playback with key capture, ${n} channels`);
      const r = await playbackCost(dir, n);
      play.push(r.row);
      playFigures[`${n}ch/cpuPctPerChannel`] = r.perChannelPct;
    }
    const rec: (string | number)[][] = [];
    const recFigures: Record<string, number> = {};
    for (const n of [1, 30]) {
      ctx?.step(`recording, ${n} calls`);
      const r = await recordingCost(dir, n);
      rec.push(r.row);
      recFigures[`${n}calls/cpuPctPerCall`] = r.perChannelPct;
    }
    ctx?.step('DTMF talk-off');
    return [
      decode,
      {
        title: 'Prompt playback with key capture per trunk channel (20 ms blocks, DTMF receiver on every block)',
        columns: ['channels', 'channel-seconds', 'CPU ms', 'CPU % per channel', 'channels per core'],
        rows: play,
        figures: playFigures,
      },
      {
        title: 'Call recording per call (stereo WAV, customer and agent channels, written each second)',
        columns: ['calls', 'call-seconds', 'CPU ms', 'CPU % per call', 'MB per call-hour'],
        rows: rec,
        figures: recFigures,
      },
      talkOff(),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
