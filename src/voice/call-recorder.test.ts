import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirtualClock } from '../core/clock';
import { encodeAlaw } from '../dsp/g711';
import { MemoryChannelAudioSource } from '../../simulator/ports/memory-channel-audio';
import { goertzelRms, tone } from '../../test-support/voice-audio';
import { CallRecorder } from './call-recorder';
import { decodePromptFile } from './prompt-decoder';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'rec-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const trunk = { callId: 'c9', span: 1, channel: 5 };
const seat = { kind: 'fxs' as const, span: 3, channel: 2 };
const START = Date.UTC(2026, 11, 6, 19, 1, 2);

/** The customer says 1000 Hz at 4000 peak, the agent 600 Hz at 12000 peak, for `sec` seconds. */
function call(audio: MemoryChannelAudioSource, sec: number) {
  const pcm = (f: number, a: number) => encodeAlaw(Int16Array.from(tone(f, sec * 1000, 8000, a), (v) => Math.round(v * 32768)));
  audio.trunk(trunk).deliver(pcm(1000, 4000));
  audio.seat(seat).deliver(pcm(600, 12000));
}

function wavChannels(file: string): { channels: number; dataBytes: number; samples: Int16Array } {
  const b = readFileSync(file);
  const channels = b.readUInt16LE(22);
  const dataBytes = b.readUInt32LE(40);
  return { channels, dataBytes, samples: new Int16Array(b.buffer.slice(b.byteOffset + 44, b.byteOffset + 44 + dataBytes)) };
}

function channel(x: Int16Array, c: number, of: number): Int16Array {
  return x.filter((_, i) => i % of === c);
}

describe('CallRecorder', () => {
  test('stereo: the customer on the left, the agent on the right, each at its own level, for as long as the call', async () => {
    const clock = new VirtualClock(START);
    const audio = new MemoryChannelAudioSource();
    const rec = new CallRecorder({ audio, dir, clock });
    const r = await rec.start(trunk, seat, { campaign: 'spring sale', number: '13900001111', seatId: 'seat2', layout: 'stereo' });
    expect(r.path).toBe(join(dir, 'spring_sale', '2026-12-06', 'spring_sale_13900001111_seat2_20261206-190102Z.wav'));
    call(audio, 3);
    for (let i = 0; i < 150; i++) audio.tick();
    const { seconds } = await r.stop();
    expect(seconds).toBe(3);
    const w = wavChannels(r.path);
    expect(w.channels).toBe(2);
    expect(w.dataBytes).toBe(3 * 8000 * 4);
    const left = channel(w.samples, 0, 2).subarray(800, 23000);
    const right = channel(w.samples, 1, 2).subarray(800, 23000);
    // 4000 and 12000 peak are 2828 and 8485 RMS; each side holds only its own party.
    expect(goertzelRms(left, 1000)).toBeGreaterThan(2700);
    expect(goertzelRms(left, 1000)).toBeLessThan(2950);
    expect(goertzelRms(left, 600)).toBeLessThan(50);
    expect(goertzelRms(right, 600)).toBeGreaterThan(8200);
    expect(goertzelRms(right, 600)).toBeLessThan(8750);
    expect(goertzelRms(right, 1000)).toBeLessThan(50);
    // The channels are given back.
    expect(audio.trunk(trunk).listening + audio.seat(seat).listening).toBe(0);
    // The file reads back as a prompt would (a valid WAV).
    expect((await decodePromptFile(r.path)).samples.length).toBe(24000);
  });

  test('mixed: both parties in one channel', async () => {
    const audio = new MemoryChannelAudioSource();
    const rec = new CallRecorder({ audio, dir, clock: new VirtualClock(START) });
    const r = await rec.start(trunk, seat, { campaign: 'c', number: '1', seatId: 'seat1', layout: 'mixed' });
    call(audio, 2);
    for (let i = 0; i < 100; i++) audio.tick();
    await r.stop();
    const w = wavChannels(r.path);
    expect(w.channels).toBe(1);
    expect(w.dataBytes).toBe(2 * 8000 * 2);
    expect(goertzelRms(w.samples.subarray(800, 15000), 1000)).toBeGreaterThan(2700);
    expect(goertzelRms(w.samples.subarray(800, 15000), 600)).toBeGreaterThan(8200);
  });

  test('written as it goes: while the call runs the file on disk is valid and at most a second behind', async () => {
    const audio = new MemoryChannelAudioSource();
    const rec = new CallRecorder({ audio, dir, clock: new VirtualClock(START) });
    const r = await rec.start(trunk, seat, { campaign: 'c', number: '1', seatId: 'seat1', layout: 'stereo' });
    call(audio, 5);
    for (let i = 0; i < 175; i++) audio.tick(); // 3.5 s
    await r.written(); // the appends are done off the loop
    const w = wavChannels(r.path);
    expect(w.dataBytes / (8000 * 4)).toBeGreaterThanOrEqual(2.5);
    expect(readFileSync(r.path).length).toBe(44 + w.dataBytes);
    await r.stop();
  });

  test('retention: recordings older than the setting are deleted, newer ones kept', async () => {
    const clock = new VirtualClock(START);
    const rec = new CallRecorder({ audio: new MemoryChannelAudioSource(), dir, clock });
    const old = join(dir, 'old.wav');
    const fresh = join(dir, 'fresh.wav');
    writeFileSync(old, 'x');
    writeFileSync(fresh, 'x');
    utimesSync(old, new Date(START - 31 * 86_400_000), new Date(START - 31 * 86_400_000));
    utimesSync(fresh, new Date(START - 86_400_000), new Date(START - 86_400_000));
    expect(await rec.prune(30)).toBe(1);
    expect([existsSync(old), existsSync(fresh)]).toEqual([false, true]);
  });
});
