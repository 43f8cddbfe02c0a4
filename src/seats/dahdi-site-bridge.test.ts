/**
 * The media bridge as the controller sets it up on a board: the site's trunks are
 * opened (the FXO line ports hold their DAHDI channels), and the bridge borrows a
 * line's channel from them instead of opening it again (DAHDI would say EBUSY).
 */
import { describeWithFakeDahdi } from '../../test-support/dahdi/jest-preload';
import { amplitudeAt, openFxoSite, toneBlock } from '../../test-support/dahdi/by-ear';
import { SimulatedDahdi } from '../../simulator/dahdi/simulated-dahdi';
import { layoutSite } from '../provisioning/layout';
import { SiteTrunks } from '../site/site-trunks';
import { BridgeChannelError, dahdiMediaBridgeForSite } from '../../drivers/dahdi/dahdi-media-bridge';

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
    // Lines on ports 1-4, seats on ports 5-12.
    const site = await openFxoSite(sim);
    const { loaded, bridge } = site;
    trunks = site.trunks;
    const leg = { callId: 'fxo-1', span: trunks.spans[0].id, channel: 2 };
    const seat = { kind: 'fxs' as const, span: 1, channel: 5 };

    // Without borrowing, the line's channel is busy: a typed error, nothing left joined.
    const unaware = dahdiMediaBridgeForSite(layoutSite(loaded));
    await expect(unaware.bridge(leg, seat)).rejects.toThrow(BridgeChannelError);
    await expect(unaware.bridge(leg, seat)).rejects.toThrow(/DAHDI channel 2: opening failed: .*EBUSY/);
    expect(sim.channelState(5).open).toBe(false);

    const t = trunks;
    const conf = await bridge.bridge(leg, seat);
    for (let i = 0; i < 3; i++) {
      sim.farWriteAudio(2, toneBlock(450));
      sim.farWriteAudio(5, toneBlock(1050));
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
