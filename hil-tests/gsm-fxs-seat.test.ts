/**
 * A mobile-trunk call put through to an agent's FXS phone, as on a box with a DAHDI seat
 * board and a SIMCom module: the module's AT and PCM ports are pseudo-terminals opened
 * through serialport's native binding, the seat is a channel of the userspace DAHDI.
 * The callee's voice (the simulated module's 440 Hz) must be heard on the phone, the
 * agent's 600 Hz by the callee, and the seat's channel given back when the call is
 * taken off the seat. The module's and the board's 20 ms run in step on a virtual clock
 * (each step waits for the pty's real I/O), so the levels do not depend on the machine's
 * load; the drift between two real clocks is ChannelPcmPort's unit test.
 */
import { AtModem } from '../drivers/modem/at-modem';
import { MODEM_PROFILES } from '../drivers/modem/modem-profiles';
import { SerialPcmVoicePort } from '../drivers/modem/serial-pcm-voice';
import { DahdiChannelAudioSource } from '../drivers/dahdi/dahdi-channel-audio';
import { DahdiChannelLender } from '../drivers/dahdi/dahdi-channel-lender';
import { BindingSerialLineOpener } from '../drivers/serial/binding-serial-line';
import { VirtualClock } from '../src/core/clock';
import { Span } from '../src/controller/span';
import { decodeAlaw, encodeAlaw } from '../src/dsp/g711';
import { PcmTrunkMediaBridge } from '../src/seats/pcm-trunk-media-bridge';
import { ModemSpanSignalling } from '../src/signalling/gsm/modem-span-signalling';
import { CalleePopulation } from '../simulator/callee-population';
import { SimulatedDahdi } from '../simulator/dahdi/simulated-dahdi';
import { PseudoTerminalDevice } from '../simulator/modem/pseudo-terminal';
import { SimulatedModem } from '../simulator/modem/simulated-modem';
import { describeWithFakeDahdi } from '../test-support/dahdi/jest-preload';
import { goertzelRms } from '../test-support/voice-audio';

const clock = new VirtualClock(Date.UTC(2026, 0, 5, 9));
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Moves virtual time in 10 ms steps, letting the ptys' real I/O through between them. */
async function waitFor(what: string, probe: () => boolean, ms = 10_000): Promise<void> {
  const start = Date.now();
  while (!probe()) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    clock.advance(10);
    await pause(2);
  }
}

/** Real time until `probe` holds (bytes crossing a pty), virtual time standing still. */
async function settle(what: string, probe: () => boolean, ms = 2000): Promise<void> {
  const start = Date.now();
  while (!probe()) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await pause(1);
  }
}

const block = (hz: number, peak: number, n: number): Uint8Array =>
  encodeAlaw(Int16Array.from({ length: 160 }, (_, i) => Math.round(peak * Math.sin((2 * Math.PI * hz * (n * 160 + i)) / 8000))));

describeWithFakeDahdi('a GSM module call bridged to a DAHDI FXS seat', __filename, () => {
  test('the callee is heard on the phone and the agent by the callee; the seat channel is given back', async () => {
    const sim = SimulatedDahdi.attach();
    const atPty = PseudoTerminalDevice.open('ttyUSB6');
    const voicePty = PseudoTerminalDevice.open('ttyUSB8');
    const population = new CalleePopulation({ seed: 5 });
    new SimulatedModem(atPty, {
      model: 'simcom-sim7600',
      clock,
      population,
      voice: voicePty,
      setupMs: 20,
      alertMs: 50,
      bootMs: 100,
    });
    const opener = new BindingSerialLineOpener();
    const modem = new AtModem({
      path: atPty.path,
      profile: MODEM_PROFILES['simcom-sim7600'],
      opener,
      clock,
      commandTimeoutMs: 1000,
    });
    const voice = new SerialPcmVoicePort(await opener.open(voicePty.path));
    const signalling = new ModemSpanSignalling([modem], { clock, voicePorts: [voice] });
    const span = new Span(1, signalling, { clock });
    const calleeHeard: number[] = [];
    const offCallee = voicePty.on((bytes) => {
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      for (let i = 0; i + 1 < bytes.length; i += 2) calleeHeard.push(view.getInt16(i, true));
    });
    try {
      const phones = sim.addSpan('fxs', { ports: 2 });
      const phone = phones.channels[0];
      const lender = new DahdiChannelLender();
      const resolver = {
        trunkChannel: () => {
          throw new Error('no board trunks here');
        },
        seatChannel: (seat: { channel: number }) => phones.channels[seat.channel - 1],
      };
      const bridge = new PcmTrunkMediaBridge({
        isPcmSpan: (n) => n === 1,
        trunkPort: (leg) => signalling.voicePort(leg.channel),
        seatAudio: new DahdiChannelAudioSource(resolver, lender),
        otherwise: { bridge: () => Promise.reject(new Error('not a modem call')) },
      });
      modem.start();
      await waitFor('the module in service', () => span.idleCount() === 1);
      population.override('13800138000', { kind: 'answer', ringMs: 100, talkMs: 60000 });
      const call = span.placeCall(span.channel(1)!, { number: '13800138000' });
      await waitFor('the callee answering', () => call.state === 'answered');

      const conference = await bridge.bridge({ callId: call.id, span: 1, channel: 1 }, { kind: 'fxs', span: phones.spanno, channel: 1 });
      expect(lender.openChannels()).toEqual([phone]);
      // Two seconds of call, 20 ms at a time: the module sends a frame (it reaches the bridge
      // over the pty), then the board moves a block each way; the agent speaks all along.
      let framesIn = 0;
      const offFrames = voice.onFrame(() => framesIn++);
      const phoneHeard: Uint8Array[] = [];
      for (let n = 0; n < 100; n++) {
        const before = framesIn;
        clock.advance(20);
        await settle('the module frame at the bridge', () => framesIn > before);
        sim.farWriteAudio(phone, block(600, 9000, n));
        sim.advanceAudio(20);
        phoneHeard.push(sim.farReadAudio(phone, 1600));
        await pause(1);
      }
      offFrames();
      const atPhone = decodeAlaw(Uint8Array.from(phoneHeard.flatMap((b) => [...b])));
      // The callee's 440 Hz tone (8000 peak, rms 5657) at the phone, every block of it; the agent's own voice not echoed back.
      expect(atPhone.length).toBeGreaterThan(8000);
      expect(goertzelRms(atPhone.subarray(1600), 440)).toBeGreaterThan(5300);
      expect(goertzelRms(atPhone.subarray(1600), 600)).toBeLessThan(300);
      // The agent's 600 Hz (9000 peak, rms 6364) at the callee.
      const atCallee = Int16Array.from(calleeHeard);
      expect(atCallee.length).toBeGreaterThan(8000);
      expect(goertzelRms(atCallee.subarray(1600), 600)).toBeGreaterThan(6000);
      expect(goertzelRms(atCallee.subarray(1600), 440)).toBeLessThan(300);

      await conference.close();
      expect(lender.openChannels()).toEqual([]);
      let ended = false;
      void call.ended.then(() => (ended = true));
      call.hangup();
      await waitFor('the call ended', () => ended);
      expect(span.leakedChannels()).toEqual([]);
    } finally {
      offCallee();
      await signalling.close();
      await voice.close();
      await atPty.close();
      await voicePty.close();
      sim.reset();
    }
  }, 20_000);
});
