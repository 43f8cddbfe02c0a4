/**
 * Prompts and recordings on a GSM module's call (its PCM serial port), with the module
 * simulated on the mock serial binding in virtual time: what the callee hears of a
 * broadcast prompt, and a stereo recording with the callee and the agent.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AtModem } from '../../drivers/modem/at-modem';
import { MODEM_PROFILES } from '../../drivers/modem/modem-profiles';
import { SerialPcmVoicePort } from '../../drivers/modem/serial-pcm-voice';
import { encodeAlaw } from '../dsp/g711';
import { Span } from '../controller/span';
import { TrunkCall } from '../controller/trunk-call';
import { ModemSpanSignalling } from '../signalling/gsm/modem-span-signalling';
import { MockModemRig } from '../../simulator/modem/modem-rig';
import { MemoryChannelAudioSource } from '../../simulator/ports/memory-channel-audio';
import { goertzelRms, tone, wavFile } from '../../test-support/voice-audio';
import { CallRecorder } from './call-recorder';
import { ChannelVoicePlayer } from './channel-voice-player';
import { pcmTrunkChannels } from './pcm-trunk-channels';
import { ChannelAudioSource } from '../../drivers/ports/channel-audio-port';
import { PromptLibrary } from './prompt-library';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gsm-voice-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A SIMCom module on a call answered by a callee who talks (440 Hz) for ten minutes. */
async function answeredModemCall() {
  const rig = new MockModemRig();
  const voiceDevice = rig.wire.device('/dev/ttyUSB8');
  rig.modem('/dev/ttyUSB6', 'simcom-sim7600', { voice: voiceDevice });
  const modem = new AtModem({ path: '/dev/ttyUSB6', profile: MODEM_PROFILES['simcom-sim7600'], opener: rig.opener, clock: rig.clock });
  const voice = new SerialPcmVoicePort(await rig.opener.open('/dev/ttyUSB8'));
  const signalling = new ModemSpanSignalling([modem], { clock: rig.clock, voicePorts: [voice] });
  const span = new Span(1, signalling, { clock: rig.clock });
  modem.start();
  expect(await rig.until(() => span.idleCount() === 1)).toBe(true);
  rig.population.override('13800138000', { kind: 'answer', ringMs: 500, talkMs: 600000 });
  const call: TrunkCall = span.placeCall(span.channel(1)!, { number: '13800138000' });
  expect(await rig.until(() => call.state === 'answered', 5000)).toBe(true);
  const calleeHeard: number[] = [];
  voiceDevice.on((bytes) => {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i + 1 < bytes.length; i += 2) calleeHeard.push(view.getInt16(i, true));
  });
  const board = new MemoryChannelAudioSource();
  const audio = pcmTrunkChannels({ isPcmSpan: (s) => s === 1, trunkPort: (leg) => signalling.voicePort(leg.channel), otherwise: board });
  const leg = { callId: call.id, span: 1, channel: 1 };
  const close = async () => {
    call.hangup();
    await rig.run(500);
    await signalling.close();
    await voice.close();
  };
  return { rig, call, leg, audio, board, calleeHeard, close };
}

test('a broadcast prompt on a module call is heard by the callee, in full and in step with the module', async () => {
  const prompt = join(dir, 'promo.wav');
  writeFileSync(prompt, wavFile(tone(1000, 1500, 16000), 16000, 'pcm16'));
  const m = await answeredModemCall();
  // The player starts listening once it has read and decoded the prompt (off the loop, in real time).
  let listening = 0;
  const audio: ChannelAudioSource = {
    trunk: (leg) => {
      const port = m.audio.trunk(leg);
      return {
        name: port.name,
        law: port.law,
        onBlock: (listener) => {
          listening++;
          return port.onBlock(listener);
        },
        writeBlock: (block) => port.writeBlock(block),
        close: () => port.close(),
      };
    },
    seat: (endpoint) => m.audio.seat(endpoint),
  };
  const player = new ChannelVoicePlayer({ audio, prompts: new PromptLibrary(), clock: m.rig.clock, gapMs: 0 });
  let result: Awaited<ReturnType<ChannelVoicePlayer['play']>> | undefined;
  void player.play(m.leg, { file: prompt, plays: 1 }, m.call.ended).then((r) => (result = r));
  for (const start = Date.now(); listening === 0 && Date.now() - start < 10_000;) await new Promise((r) => setTimeout(r, 5));
  expect(listening).toBe(1);
  expect(await m.rig.until(() => result !== undefined, 5000, 20)).toBe(true);
  expect(result!.completed).toBe(true);
  expect(result!.playedMs).toBeGreaterThanOrEqual(1500);
  expect(result!.playedMs).toBeLessThanOrEqual(1600);
  const heard = Int16Array.from(m.calleeHeard);
  // 1.5 s of 1000 Hz at 8000 peak (rms 5657), through A-law; nothing else.
  expect(heard.length).toBeGreaterThanOrEqual(1.5 * 8000);
  const loud = heard.filter((_, i) => i < 12000);
  expect(goertzelRms(loud.subarray(800, 11000), 1000)).toBeGreaterThan(5000);
  expect(goertzelRms(loud.subarray(800, 11000), 440)).toBeLessThan(200);
  await m.close();
});

test('a stereo recording of a module call holds the callee on the left and the agent on the right', async () => {
  const m = await answeredModemCall();
  const recorder = new CallRecorder({ audio: m.audio, dir, clock: m.rig.clock });
  const seat = { kind: 'fxs' as const, span: 9, channel: 1 };
  const rec = await recorder.start(m.leg, seat, { campaign: 'c', number: '13800138000', seatId: 'seat1', layout: 'stereo' });
  const agent = m.board.seat(seat);
  const agentVoice = Int16Array.from(tone(600, 2000, 8000, 9000), (x) => Math.round(x * 32768));
  for (let t = 0; t < 100; t++) {
    agent.deliver(encodeAlaw(agentVoice.subarray(t * 160, t * 160 + 160)));
    agent.tick();
    await m.rig.run(20, 20);
  }
  const { seconds } = await rec.stop();
  expect(seconds).toBeGreaterThanOrEqual(1.9);
  expect(seconds).toBeLessThanOrEqual(2.1);
  const b = readFileSync(rec.path);
  expect(b.readUInt16LE(22)).toBe(2);
  const data = new Int16Array(b.buffer.slice(b.byteOffset + 44));
  const left = data.filter((_, i) => i % 2 === 0).subarray(800, 14000);
  const right = data.filter((_, i) => i % 2 === 1).subarray(800, 14000);
  expect(goertzelRms(left, 440)).toBeGreaterThan(5000); // the simulated callee: 440 Hz at 8000 peak
  expect(goertzelRms(left, 600)).toBeLessThan(200);
  expect(goertzelRms(right, 600)).toBeGreaterThan(5800); // the agent: 600 Hz at 9000 peak
  expect(goertzelRms(right, 440)).toBeLessThan(200);
  await m.close();
});
