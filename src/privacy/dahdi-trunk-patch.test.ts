/**
 * A privacy call's two trunk legs patched on the board: both channels in one DAHDI
 * conference, each far end hears the other (checked by ear, on the userspace DAHDI),
 * and closing the patch takes both out; a channel already patched is refused.
 */
import { join } from 'path';
import { describeWithFakeDahdi } from '../../test-support/dahdi/jest-preload';
import { SimulatedDahdi } from '../../simulator/dahdi/simulated-dahdi';
import { decodeAlaw, encodeAlaw } from '../dsp/g711';
import { loadProfiles } from '../provisioning/board-profile';
import { layoutSite } from '../provisioning/layout';
import { boardProfilesDir } from '../provisioning/paths';
import { loadSite } from '../provisioning/site-config';
import { openSiteTrunks, SiteTrunks } from '../site/site-trunks';
import { BridgeChannelError, dahdiMediaBridgeForSite } from '../../drivers/dahdi/dahdi-media-bridge';
import { DahdiTrunkPatch } from '../../drivers/dahdi/dahdi-trunk-patch';

const tone = (hz: number) =>
  encodeAlaw(Int16Array.from({ length: 160 }, (_, i) => Math.round(4000 * Math.sin((2 * Math.PI * hz * i) / 8000))));
const amplitudeAt = (alaw: Uint8Array, hz: number) => {
  const pcm = decodeAlaw(alaw);
  let re = 0;
  let im = 0;
  pcm.forEach((x, i) => {
    re += x * Math.cos((2 * Math.PI * hz * i) / 8000);
    im -= x * Math.sin((2 * Math.PI * hz * i) / 8000);
  });
  return (2 * Math.hypot(re, im)) / pcm.length;
};

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
    sim.addSpan('fxo', { ports: 12 });
    const loaded = loadSite(join(boardProfilesDir(), 'sites', 'fxo.yaml'), loadProfiles());
    trunks = await openSiteTrunks(loaded);
    const t = trunks;
    const span = t.spans[0].id;
    const bridge = dahdiMediaBridgeForSite(layoutSite(loaded), { borrow: (n) => t.heldChannel(n) });
    const patch = new DahdiTrunkPatch(bridge);
    const link = await patch.patch({ callId: 'a', span, channel: 1 }, { callId: 'b', span, channel: 3 });

    // A leg already patched cannot join another patch; the other leg, already joined, is taken out again.
    await expect(patch.patch({ callId: 'c', span, channel: 2 }, { callId: 'd', span, channel: 3 })).rejects.toThrow(BridgeChannelError);
    expect(t.heldChannel(2)!.conference().confmode).toBe(0);

    for (let i = 0; i < 3; i++) {
      sim.farWriteAudio(1, tone(450));
      sim.farWriteAudio(3, tone(1050));
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
