/**
 * The DAHDI driver's contract: what drivers/dahdi must do on any DAHDI, run
 * against the simulated DAHDI always and against boards when TRUNKPILOT_HIL=dahdi.
 */
import { DahdiChannel } from '../drivers/dahdi/dahdi-channel';
import { describeWithFakeDahdi, until } from '../test-support/dahdi/jest-preload';
import { SimulatedDahdi } from '../simulator/dahdi/simulated-dahdi';
import { DahdiTestbed, HARDWARE_HINT, HardwareTestbed, hardwareRequested, SimulatorTestbed } from './dahdi-testbed';

/** A block whose every byte depends on the channel and the sequence number. */
function block(ch: number, seq: number): Uint8Array {
  const b = new Uint8Array(160);
  for (let i = 0; i < 160; i++) b[i] = (ch * 31 + seq * 7 + i * 13) & 0xff;
  return b;
}

function fcs16(data: Uint8Array): number {
  let fcs = 0xffff;
  for (const byte of data) {
    fcs ^= byte;
    for (let b = 0; b < 8; b++) fcs = fcs & 1 ? (fcs >>> 1) ^ 0x8408 : fcs >>> 1;
  }
  return ~fcs & 0xffff;
}

function contract(makeBed: () => DahdiTestbed): void {
  let bed: DahdiTestbed;
  const open: DahdiChannel[] = [];
  beforeEach(() => {
    bed = makeBed();
  });
  afterEach(() => {
    for (const c of open.splice(0)) c.close();
    bed.close();
  });
  const openChan = (n: number) => {
    const c = DahdiChannel.open(n);
    open.push(c);
    return c;
  };

  test('HDLC frames round-trip whole on the D-channel, with a valid FCS in their last 2 bytes', async () => {
    const [[a, b]] = bed.cables(1);
    const left = openChan(a.dchannel);
    const right = openChan(b.dchannel);
    const atRight: Uint8Array[] = [];
    const atLeft: Uint8Array[] = [];
    right.onData((f) => atRight.push(f));
    left.onData((f) => atLeft.push(f));
    const frames = [3, 4, 40, 260].map((len) => Uint8Array.from({ length: len }, (_, i) => (i * 11 + len) & 0xff));
    for (const f of frames) left.writeFrame(f);
    right.writeFrame(frames[2]);
    await until(() => atRight.length === frames.length && atLeft.length === 1, 'frames');
    atRight.forEach((got, i) => {
      const sent = frames[i];
      expect(got.length).toBe(sent.length);
      expect(Array.from(got.subarray(0, -2))).toEqual(Array.from(sent.subarray(0, -2)));
      const fcs = fcs16(got.subarray(0, -2));
      expect([got[got.length - 2], got[got.length - 1]]).toEqual([fcs & 0xff, fcs >> 8]);
    });
    expect(Array.from(atLeft[0].subarray(0, -2))).toEqual(Array.from(frames[2].subarray(0, -2)));
  });

  test('audio passes both ways without loss in 20 ms blocks on 4 spans (120 channels)', async () => {
    const cables = bed.cables(2);
    const pairs: [DahdiChannel, DahdiChannel][] = [];
    for (const [a, b] of cables) a.bearers.forEach((ch, i) => pairs.push([openChan(ch), openChan(b.bearers[i])]));
    const channels = pairs.flat();
    expect(channels).toHaveLength(120);
    const received = new Map<DahdiChannel, Uint8Array[]>(channels.map((c) => [c, []]));
    for (const c of channels) c.onData((d) => received.get(c)!.push(d));
    const peerOf = new Map<DahdiChannel, DahdiChannel>(
      pairs.flatMap(([x, y]) => [
        [x, y],
        [y, x],
      ]),
    );
    const BLOCKS = 50; // one second of audio
    for (let seq = 0; seq < BLOCKS; seq++) {
      for (const c of channels) expect(c.writeAudio(block(c.channo, seq))).toBe(160);
      await bed.advanceAudio(20);
      await until(() => channels.every((c) => received.get(c)!.length === seq + 1), `block ${seq} on all channels`);
    }
    for (const c of channels) {
      const from = peerOf.get(c)!.channo;
      const got = received.get(c)!;
      got.forEach((blk, seq) => expect(Buffer.from(blk).equals(Buffer.from(block(from, seq)))).toBe(true));
    }
  });
}

if (hardwareRequested()) {
  describe('DAHDI driver contract on boards', () => contract(() => new HardwareTestbed()));
} else {
  describe.skip(`DAHDI driver contract on boards (${HARDWARE_HINT})`, () => {
    test('contract suite', () => undefined);
  });
  describeWithFakeDahdi('DAHDI driver contract on the simulated DAHDI', __filename, () => {
    contract(() => new SimulatorTestbed(SimulatedDahdi.attach()));
  });
}
