/**
 * A privacy call's two trunk legs patched on the board: both channels in one DAHDI
 * conference, each far end hears the other (checked by ear, on the userspace DAHDI),
 * and closing the patch takes both out; a channel already patched is refused.
 */
import { describeWithFakeDahdi } from '../../test-support/dahdi/jest-preload';
import { amplitudeAt, openFxoSite, toneBlock } from '../../test-support/dahdi/by-ear';
import { SimulatedDahdi } from '../../simulator/dahdi/simulated-dahdi';
import { SiteTrunks } from '../site/site-trunks';
import { BridgeChannelError } from '../../drivers/dahdi/dahdi-media-bridge';
import { DahdiTrunkPatch } from '../../drivers/dahdi/dahdi-trunk-patch';

describeWithFakeDahdi('trunk patch on the board', __filename, () => {
  let sim: SimulatedDahdi;
  let trunks: SiteTrunks | undefined;
  beforeEach(() => {
    sim = SimulatedDahdi.attach();
  });
  afterEach(async () => {
    await trunks?.close();
    sim.reset();
  });

  test('lines 1 and 3 hear each other while patched, and neither is in a conference after', async () => {
    const site = await openFxoSite(sim);
    const { bridge } = site;
    const t = (trunks = site.trunks);
    const span = t.spans[0].id;
    const patch = new DahdiTrunkPatch(bridge);
    const link = await patch.patch({ callId: 'a', span, channel: 1 }, { callId: 'b', span, channel: 3 });

    // A leg already patched cannot join another patch; the other leg, already joined, is taken out again.
    await expect(patch.patch({ callId: 'c', span, channel: 2 }, { callId: 'd', span, channel: 3 })).rejects.toThrow(BridgeChannelError);
    expect(t.heldChannel(2)!.conference().confmode).toBe(0);

    for (let i = 0; i < 3; i++) {
      sim.farWriteAudio(1, toneBlock(450));
      sim.farWriteAudio(3, toneBlock(1050));
      sim.advanceAudio(20);
    }
    expect(amplitudeAt(sim.farReadAudio(3, 16000).subarray(-160), 450)).toBeGreaterThan(2800);
    expect(amplitudeAt(sim.farReadAudio(1, 16000).subarray(-160), 1050)).toBeGreaterThan(2800);
    // Line 2, not in the patch, hears nothing of it.
    expect(amplitudeAt(sim.farReadAudio(2, 16000).subarray(-160), 450)).toBeLessThan(100);

    await link.close();
    await link.close();
    expect(t.heldChannel(1)!.conference().confmode).toBe(0);
    expect(t.heldChannel(3)!.conference().confmode).toBe(0);
    expect(bridge.claimedChannels()).toEqual([]);
  });
});
