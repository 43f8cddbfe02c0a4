/**
 * The media bridge as the controller sets it up on a board: the site's trunks are
 * opened (the FXO line ports hold their DAHDI channels), and the bridge borrows a
 * line's channel from them instead of opening it again (DAHDI would say EBUSY).
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

describeWithFakeDahdi('media bridge on a provisioned FXO site', __filename, () => {
  let sim: SimulatedDahdi;
  let trunks: SiteTrunks | undefined;
  beforeEach(() => {
    sim = SimulatedDahdi.attach();
  });
  afterEach(async () => {
    await trunks?.close();
    sim.reset();
  });

  test('line 2 of pstn-lines is bridged to seat 1 (port 5) by borrowing the line port SiteTrunks holds', async () => {
    // The A1200P: one span, ports 1-12; lines on ports 1-4, seats on ports 5-12. (The
    // simulator makes a span all FXO or all FXS; conferences do not care which.)
    sim.addSpan('fxo', { ports: 12 });
    const loaded = loadSite(join(boardProfilesDir(), 'sites', 'fxo.yaml'), loadProfiles());
    trunks = await openSiteTrunks(loaded);
    const leg = { callId: 'fxo-1', span: trunks.spans[0].id, channel: 2 };
    const seat = { kind: 'fxs' as const, span: 1, channel: 5 };

    // Without borrowing, the line's channel is busy: a typed error, nothing left joined.
    const unaware = dahdiMediaBridgeForSite(layoutSite(loaded));
    await expect(unaware.bridge(leg, seat)).rejects.toThrow(BridgeChannelError);
    await expect(unaware.bridge(leg, seat)).rejects.toThrow(/DAHDI channel 2: opening failed: .*EBUSY/);
    expect(sim.channelState(5).open).toBe(false);

    const t = trunks;
    const bridge = dahdiMediaBridgeForSite(layoutSite(loaded), { borrow: (n) => t.heldChannel(n) });
    const conf = await bridge.bridge(leg, seat);
    for (let i = 0; i < 3; i++) {
      sim.farWriteAudio(2, tone(450));
      sim.farWriteAudio(5, tone(1050));
      sim.advanceAudio(20);
    }
    expect(amplitudeAt(sim.farReadAudio(5, 16000).subarray(-160), 450)).toBeGreaterThan(2800);
    expect(amplitudeAt(sim.farReadAudio(2, 16000).subarray(-160), 1050)).toBeGreaterThan(2800);

    await conf.close();
    // The line stays open for its signalling, out of the conference; the seat port the bridge opened is closed.
    expect(sim.channelState(2).open).toBe(true);
    expect(t.heldChannel(2)!.conference().confmode).toBe(0);
    expect(sim.channelState(5).open).toBe(false);
  });
});
