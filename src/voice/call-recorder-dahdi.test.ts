/**
 * Recording a bridged call on the userspace DAHDI, as on a board: the trunk
 * channel and the agent's FXS port are in one DAHDI conference (the media bridge),
 * and the recorder reads each party's own channel from the same lender. The file
 * must hold the customer on the left and the agent on the right at the levels they
 * spoke, for as long as the call ran, and the conference must carry on unchanged.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../core/clock';
import { decodeAlaw, encodeAlaw } from '../dsp/g711';
import { DahdiChannelLender } from '../../drivers/dahdi/dahdi-channel-lender';
import { DahdiChannelAudioSource } from '../../drivers/dahdi/dahdi-channel-audio';
import { DahdiMediaBridge } from '../../drivers/dahdi/dahdi-media-bridge';
import { SimulatedDahdi } from '../../simulator/dahdi/simulated-dahdi';
import { describeWithFakeDahdi } from '../../test-support/dahdi/jest-preload';
import { goertzelRms } from '../../test-support/voice-audio';
import { CallRecorder } from './call-recorder';

/** Block `n` of a continuous sine (20 ms, A-law). */
const block = (hz: number, peak: number, n: number): Uint8Array =>
  encodeAlaw(Int16Array.from({ length: 160 }, (_, i) => Math.round(peak * Math.sin((2 * Math.PI * hz * (n * 160 + i)) / 8000))));

describeWithFakeDahdi('call recording over a DAHDI conference', __filename, () => {
  test('stereo file: customer left, agent right, at their levels and the call length; the bridge carries on', async () => {
    const sim = SimulatedDahdi.attach();
    const dir = mkdtempSync(join(tmpdir(), 'rec-dahdi-'));
    try {
      const e1 = sim.addSpan('e1-ccs');
      const phones = sim.addSpan('fxs', { ports: 2 });
      const resolver = {
        trunkChannel: (leg: { channel: number }) => e1.channels[leg.channel - 1],
        seatChannel: (seat: { channel: number }) => phones.channels[seat.channel - 1],
      };
      const lender = new DahdiChannelLender();
      const bridge = new DahdiMediaBridge({ resolver, channels: lender });
      const recorder = new CallRecorder({ audio: new DahdiChannelAudioSource(resolver, lender), dir, clock: systemClock });
      const leg = { callId: 'c1', span: 1, channel: 3 };
      const seat = { kind: 'fxs' as const, span: phones.spanno, channel: 1 };
      const conference = await bridge.bridge(leg, seat);
      const rec = await recorder.start(leg, seat, { campaign: 'c', number: '13800000000', seatId: 'seat1', layout: 'stereo' });
      const trunkChan = e1.channels[2];
      const phoneChan = phones.channels[0];
      const customerHeard: Uint8Array[] = [];
      for (let n = 0; n < 150; n++) {
        sim.farWriteAudio(trunkChan, block(1000, 4000, n));
        sim.farWriteAudio(phoneChan, block(600, 12000, n));
        sim.advanceAudio(20);
        customerHeard.push(sim.farReadAudio(trunkChan, 1600));
        await new Promise((r) => setImmediate(r));
      }
      await new Promise((r) => setTimeout(r, 50));
      const { seconds } = await rec.stop();
      await conference.close();
      expect(seconds).toBeGreaterThanOrEqual(2.9);
      expect(seconds).toBeLessThanOrEqual(3.0);
      const b = readFileSync(rec.path);
      expect(b.readUInt16LE(22)).toBe(2);
      const data = new Int16Array(b.buffer.slice(b.byteOffset + 44));
      const left = data.filter((_, i) => i % 2 === 0).subarray(800, 22000);
      const right = data.filter((_, i) => i % 2 === 1).subarray(800, 22000);
      expect(goertzelRms(left, 1000)).toBeGreaterThan(2700);
      expect(goertzelRms(left, 1000)).toBeLessThan(2950);
      expect(goertzelRms(left, 600)).toBeLessThan(100);
      expect(goertzelRms(right, 600)).toBeGreaterThan(8200);
      expect(goertzelRms(right, 600)).toBeLessThan(8750);
      expect(goertzelRms(right, 1000)).toBeLessThan(100);
      // The customer heard the agent through the conference all along.
      const heard = decodeAlaw(Uint8Array.from(customerHeard.flatMap((f) => [...f])));
      expect(goertzelRms(heard.subarray(1600), 600)).toBeGreaterThan(8000);
      // Every channel given back: the lender holds nothing.
      expect(lender.openChannels()).toEqual([]);
    } finally {
      sim.reset();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
