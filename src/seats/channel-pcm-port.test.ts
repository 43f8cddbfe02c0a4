import { decodeAlaw, encodeAlaw } from '../dsp/g711';
import { MemoryChannelAudio } from '../../simulator/ports/memory-channel-audio';
import { goertzelRms } from '../../test-support/voice-audio';
import { CHANNEL_PCM_MAX_BACKLOG, ChannelPcmPort } from './channel-pcm-port';

const tone = (hz: number, peak: number, n: number) =>
  Int16Array.from({ length: 160 }, (_, i) => Math.round(peak * Math.sin((2 * Math.PI * hz * (n * 160 + i)) / 8000)));

describe('a seat channel as a PCM stream', () => {
  test('what the seat says arrives as 20 ms linear frames; what is written reaches the seat', async () => {
    const channel = new MemoryChannelAudio('DAHDI channel 33');
    const port = new ChannelPcmPort(channel);
    const said: Int16Array[] = [];
    port.onFrame((f) => said.push(f));
    for (let n = 0; n < 50; n++) {
      channel.deliver(encodeAlaw(tone(600, 9000, n)));
      await port.writeFrame(tone(440, 8000, n));
      channel.tick();
    }
    expect(said).toHaveLength(50);
    expect(goertzelRms(Int16Array.from(said.flatMap((f) => [...f])), 600)).toBeGreaterThan(6000);
    const heard = decodeAlaw(channel.sentBytes());
    expect(goertzelRms(heard, 440)).toBeGreaterThan(5400);
    expect(port.dropped).toBe(0);
  });

  test('a module clock 10% fast never builds up delay toward the seat: frames are dropped instead', async () => {
    const channel = new MemoryChannelAudio('DAHDI channel 33');
    channel.bufferBlocks = 64; // the board would take more; the port must not let it
    const port = new ChannelPcmPort(channel);
    let queuedMax = 0;
    let frames = 0;
    // 10 seconds of board time; the module sends 11 frames per 10 board blocks.
    for (let tick = 0; tick < 500; tick++) {
      const due = Math.floor(((tick + 1) * 11) / 10) - Math.floor((tick * 11) / 10);
      for (let k = 0; k < due; k++) await port.writeFrame(tone(440, 8000, frames++));
      channel.tick();
      queuedMax = Math.max(queuedMax, port.queued);
    }
    expect(queuedMax).toBeLessThanOrEqual(CHANNEL_PCM_MAX_BACKLOG);
    // Everything the module sent either played or was dropped: about one frame in eleven dropped.
    expect(port.written + port.dropped).toBe(frames);
    expect(port.dropped).toBeGreaterThanOrEqual(45);
    expect(port.dropped).toBeLessThanOrEqual(55);
  });

  test('a module clock slow leaves gaps, not a growing queue; a closed port refuses frames and gives its channel back', async () => {
    const channel = new MemoryChannelAudio('DAHDI channel 33');
    const port = new ChannelPcmPort(channel);
    for (let tick = 0; tick < 100; tick++) {
      if (tick % 10 !== 0) await port.writeFrame(tone(440, 8000, tick));
      channel.tick();
    }
    expect(port.dropped).toBe(0);
    expect(port.queued).toBeLessThanOrEqual(1);
    await port.close();
    expect(channel.open).toBe(false);
    await expect(port.writeFrame(tone(440, 8000, 0))).rejects.toMatchObject({ code: 'CLOSED' });
  });
});
