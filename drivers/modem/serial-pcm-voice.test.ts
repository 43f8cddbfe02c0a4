import { MockSerialWire } from '../../simulator/modem/mock-serial-wire';
import { BindingSerialLine } from '../serial/binding-serial-line';
import { SerialPcmVoicePort } from './serial-pcm-voice';

async function io(rounds = 6): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r));
}

describe('SerialPcmVoicePort', () => {
  it('reassembles 320-byte s16le frames from any chunking, and writes frames as s16le', async () => {
    const wire = new MockSerialWire();
    const dev = wire.device('/dev/ttyUSB8');
    const port = new SerialPcmVoicePort(await BindingSerialLine.open(wire.binding, dev.path));
    const frames: Int16Array[] = [];
    port.onFrame((f) => frames.push(f));
    const stream = Buffer.alloc(320 * 3);
    for (let i = 0; i < 480; i++) stream.writeInt16LE(i * 10 - 2400, i * 2);
    // 7-byte chunks: frames and samples split across chunk boundaries.
    for (let off = 0; off < stream.length; off += 7) dev.write(stream.subarray(off, off + 7));
    dev.write(Buffer.alloc(100)); // a partial frame stays pending, not delivered
    await io(40);
    expect(frames).toHaveLength(3);
    expect(frames[0][0]).toBe(-2400);
    expect(frames[2][159]).toBe(479 * 10 - 2400);

    const sent: number[] = [];
    dev.on((b) => sent.push(...b));
    await port.writeFrame(Int16Array.from({ length: 160 }, (_, i) => -i));
    await io();
    expect(sent).toHaveLength(320);
    expect(Buffer.from(sent).readInt16LE(2)).toBe(-1);
    await port.close();
  });
});
