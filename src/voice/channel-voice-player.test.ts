import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirtualClock } from '../core/clock';
import { DtmfSender } from '../../drivers/spandsp/dtmf';
import { decodeAlaw, encodeAlaw } from '../dsp/g711';
import { MemoryChannelAudioSource } from '../../simulator/ports/memory-channel-audio';
import { tone, toneBursts, wavFile } from '../../test-support/voice-audio';
import { ChannelVoicePlayer } from './channel-voice-player';
import { PromptLibrary } from './prompt-library';
import { PromptFileError } from './prompt-decoder';

let dir: string;
let prompt: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'player-'));
  prompt = join(dir, 'promo.wav');
  writeFileSync(prompt, wavFile(tone(1000, 1000, 16000), 16000, 'pcm16'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const leg = { callId: 'c1', span: 1, channel: 3 };

function rig() {
  const clock = new VirtualClock(0);
  const audio = new MemoryChannelAudioSource();
  const player = new ChannelVoicePlayer({ audio, prompts: new PromptLibrary(), clock, gapMs: 500 });
  /** Runs the line for `ms` (20 ms blocks, with the clock). */
  const run = async (ms: number) => {
    for (let t = 0; t < ms; t += 20) {
      audio.tick();
      clock.advance(20);
      await Promise.resolve();
    }
  };
  /** The callee presses `digits` `atMs` into the play (A-law toward the channel). */
  const press = (digits: string) => {
    const tx = new DtmfSender({ levelDbm0: -10, onMs: 80, offMs: 80 });
    tx.send(digits);
    const pcm = new Int16Array(8000);
    const n = tx.generate(pcm);
    tx.close();
    audio.trunk(leg).deliver(encodeAlaw(pcm.subarray(0, n)));
  };
  return { clock, audio, player, run, press };
}

/** Until the player listens on the channel (the prompt is read and decoded off the loop). */
async function settle(audio?: MemoryChannelAudioSource): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (audio && audio.trunk(leg).listening > 0) return;
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('ChannelVoicePlayer on a channel', () => {
  test('plays the prompt twice (with a gap), then waits for keys; the keys end it', async () => {
    const r = rig();
    let hangup!: () => void;
    const done = r.player.play(
      leg,
      { file: prompt, plays: 2, collectKeys: { maxKeys: 2, timeoutSec: 5 } },
      new Promise<void>((res) => (hangup = res)),
    );
    await settle(r.audio);
    const channel = r.audio.trunk(leg);
    await r.run(3000);
    r.press('42');
    await r.run(6000);
    const result = await done;
    expect(result).toMatchObject({ keys: '42', completed: true, keyEnd: 'max-keys' });
    const heard = decodeAlaw(channel.sentBytes());
    const bursts = toneBursts(heard, 1000);
    expect(bursts.length).toBe(2);
    for (const [a, b] of bursts) expect(b - a).toBeGreaterThanOrEqual(980);
    expect(bursts[1][0] - bursts[0][1]).toBeGreaterThanOrEqual(480);
    expect(channel.open).toBe(false);
    hangup();
  });

  test('a key during the prompt stops it (barge-in); the terminator ends the input and is not kept', async () => {
    const r = rig();
    const done = r.player.play(
      leg,
      { file: prompt, plays: 3, collectKeys: { maxKeys: 5, timeoutSec: 5, interKeySec: 3 } },
      new Promise(() => undefined),
    );
    await settle(r.audio);
    const channel = r.audio.trunk(leg);
    await r.run(400);
    r.press('7#');
    await r.run(1000);
    const result = await done;
    expect(result).toMatchObject({ keys: '7', completed: true, keyEnd: 'terminator' });
    const bursts = toneBursts(decodeAlaw(channel.sentBytes()), 1000);
    expect(bursts.length).toBe(1);
    expect(bursts[0][1]).toBeLessThan(800);
  });

  test('no key within the first-key time: the play completes with no keys', async () => {
    const r = rig();
    const done = r.player.play(leg, { file: prompt, plays: 1, collectKeys: { maxKeys: 1, timeoutSec: 2 } }, new Promise(() => undefined));
    await settle(r.audio);
    await r.run(4000);
    const result = await done;
    expect(result).toMatchObject({ keys: '', completed: true, keyEnd: 'first-key-timeout' });
    expect(result.playedMs).toBeGreaterThanOrEqual(2900);
    expect(result.playedMs).toBeLessThan(3200);
  });

  test('the call ending stops the prompt and gives the channel back', async () => {
    const r = rig();
    let hangup!: () => void;
    const done = r.player.play(leg, { file: prompt, plays: 5 }, new Promise<void>((res) => (hangup = res)));
    await settle(r.audio);
    const channel = r.audio.trunk(leg);
    await r.run(600);
    hangup();
    const result = await done;
    expect(result.completed).toBe(false);
    expect(channel.open).toBe(false);
  });

  test('a channel that stops delivering audio (span alarm) ends the play instead of hanging', async () => {
    const r = rig();
    const done = r.player.play(leg, { file: prompt, plays: 1 }, new Promise(() => undefined));
    await settle(r.audio);
    r.clock.advance(5000);
    expect((await done).completed).toBe(false);
  });

  test('a bad prompt file is a typed error naming it, and the channel is given back', async () => {
    const r = rig();
    const bad = join(dir, 'broken.wav');
    writeFileSync(bad, 'RIFF....WAVEjunk');
    await expect(r.player.play(leg, { file: bad, plays: 1 }, new Promise(() => undefined))).rejects.toThrow(PromptFileError);
    expect(r.audio.trunk(leg).open).toBe(true); // a fresh one: the first was closed
    expect([...r.audio.channels.values()].length).toBe(1);
  });
});
