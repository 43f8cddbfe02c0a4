/**
 * Voice on a GSM trunk: a SIMCom module's PCM serial port (320-byte frames of 8 kHz s16le)
 * bridged to seats by the software media bridge, both ways, with a listening supervisor.
 */
import { AtModem } from '../drivers/modem/at-modem';
import { MODEM_PROFILES } from '../drivers/modem/modem-profiles';
import { SerialPcmVoicePort } from '../drivers/modem/serial-pcm-voice';
import { PCM_FRAME_SAMPLES } from '../drivers/ports/pcm-voice-port';
import { Span } from '../src/controller/span';
import { SoftwareMediaBridge } from '../src/seats/software-media-bridge';
import { ModemSpanSignalling } from '../src/signalling/gsm/modem-span-signalling';
import { MockModemRig } from '../simulator/modem/modem-rig';
import { MemoryPcmPort } from '../simulator/ports/memory-pcm-port';

const peak = (frames: Int16Array[]) => frames.reduce((m, f) => Math.max(m, ...Array.from(f, Math.abs)), 0);

it('the callee is heard at the seat and the supervisor, the seat is heard by the callee, the supervisor by no one', async () => {
  const rig = new MockModemRig();
  const voiceDevice = rig.wire.device('/dev/ttyUSB8');
  const device = rig.modem('/dev/ttyUSB6', 'simcom-sim7600', { voice: voiceDevice });
  const modem = new AtModem({ path: '/dev/ttyUSB6', profile: MODEM_PROFILES['simcom-sim7600'], opener: rig.opener, clock: rig.clock });
  const voice = new SerialPcmVoicePort(await rig.opener.open('/dev/ttyUSB8'));
  const signalling = new ModemSpanSignalling([modem], { clock: rig.clock, voicePorts: [voice] });
  const span = new Span(1, signalling, { clock: rig.clock });
  modem.start();
  expect(await rig.until(() => span.idleCount() === 1)).toBe(true);

  rig.population.override('13800138000', { kind: 'answer', ringMs: 500, talkMs: 600000 });
  const call = span.placeCall(span.channel(1)!, { number: '13800138000' });
  expect(await rig.until(() => call.state === 'answered', 5000)).toBe(true);

  const seat = new MemoryPcmPort('seat a1');
  const supervisor = new MemoryPcmPort('supervisor s1');
  const ports = new Map([
    ['sim:a1', seat],
    ['sim:s1', supervisor],
  ]);
  const bridge = new SoftwareMediaBridge({
    trunk: (leg) => signalling.voicePort(leg.channel),
    seat: (e) => (e.kind === 'simulated' ? ports.get(`sim:${e.id}`) : undefined),
  });
  const conf = await bridge.bridge({ callId: call.id, span: 1, channel: 1 }, { kind: 'simulated', id: 'a1' });
  await conf.join({ kind: 'simulated', id: 's1' }, 'listen');

  // One second of call: the module streams 50 frames; the seat says something in each.
  const agentVoice = new Int16Array(PCM_FRAME_SAMPLES).fill(3000);
  const supervisorCough = new Int16Array(PCM_FRAME_SAMPLES).fill(-20000);
  for (let i = 0; i < 50; i++) {
    seat.say(agentVoice);
    supervisor.say(supervisorCough);
    await rig.run(20, 20);
  }
  expect(seat.heard.length).toBeGreaterThanOrEqual(45);
  expect(peak(seat.heard)).toBeGreaterThan(7000); // the callee's 440 Hz at 8000 peak
  expect(supervisor.heard.length).toBe(seat.heard.length);
  // The supervisor hears the callee and the agent mixed.
  expect(peak(supervisor.heard)).toBeGreaterThan(peak(seat.heard));
  // The callee hears the agent and never the listening supervisor.
  expect(device.voiceReceivedBytes).toBeGreaterThanOrEqual(45 * 320);
  expect(device.voiceReceivedPeak).toBe(3000);

  await conf.close();
  const heardBefore = seat.heard.length;
  await rig.run(200);
  expect(seat.heard.length).toBe(heardBefore);
  call.hangup();
  await rig.run(500);
  await signalling.close();
  await voice.close();
});
