import { join } from 'path';
import { DtmfReceiver } from '../../../drivers/spandsp/dtmf';
import { describeWithFakeDahdi } from '../../../test-support/dahdi/jest-preload';
import { SimulatedDahdi } from '../../../simulator/dahdi/simulated-dahdi';
import { CadencedTone } from '../../../simulator/audio/signals';
import { systemClock } from '../../core/clock';
import { Q850 } from '../../core/q850';
import { decodeAlaw, encodeAlaw } from '../../dsp/g711';
import { CHINA_TONE_PLAN } from '../../dsp/tone-plan';
import { loadProfiles } from '../../provisioning/board-profile';
import { boardProfilesDir } from '../../provisioning/paths';
import { loadSite } from '../../provisioning/site-config';
import { openSiteTrunks, SiteTrunks } from '../../site/site-trunks';

async function until(pred: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

describeWithFakeDahdi('a provisioned FXO site opened on DAHDI (simulated)', __filename, () => {
  let sim: SimulatedDahdi;
  let trunks: SiteTrunks | undefined;

  beforeEach(() => {
    sim = SimulatedDahdi.attach();
  });
  afterEach(async () => {
    await trunks?.close();
    sim.stopClock();
    sim.reset();
  });

  test('ports 1-4 become the pstn-lines group; a dialled call seizes, dials DTMF, and a battery loss ends it without a leak', async () => {
    sim.addSpan('fxo', { ports: 12 }); // the A1200P: channels 1-12, ports 1-4 on exchange lines
    const loaded = loadSite(join(boardProfilesDir(), 'sites', 'fxo.yaml'), loadProfiles());
    trunks = await openSiteTrunks(loaded);
    const group = trunks.group('pstn-lines');
    expect(group.totalChannels()).toBe(4);
    expect(await group.whenReady(2000)).toBe(true);
    sim.startClock(systemClock, 20);

    const dialling = group.dial({ number: '075512345678', ringTimeoutSec: 30 });
    await until(() => [1, 2, 3, 4].some((c) => sim.channelState(c).offhook), 'a line off-hook');
    const channo = [1, 2, 3, 4].find((c) => sim.channelState(c).offhook)!;
    const dialTone = new CadencedTone(CHINA_TONE_PLAN.tones.dial);
    const rx = new DtmfReceiver();
    const pcm = new Int16Array(160);
    let digits = '';
    await until(
      () => {
        const f = new Float32Array(160);
        if (!digits) dialTone.mixInto(f);
        sim.farWriteAudio(channo, encodeAlaw(f));
        const sent = sim.farReadAudio(channo, 1600);
        for (let i = 0; i + 160 <= sent.length; i += 160) digits += rx.feed(decodeAlaw(sent.subarray(i, i + 160), pcm));
        return digits.length >= 12;
      },
      'the dialled digits',
      8000,
    );
    rx.close();
    expect(digits).toBe('075512345678');

    sim.farBattery(channo, false);
    const result = await dialling;
    expect(result).toMatchObject({ cause: Q850.NETWORK_OUT_OF_ORDER, channel: channo });
    const span = trunks.spans[0];
    expect(span.channel(channo)!.state).toBe('out-of-service');
    expect(group.leakedChannels()).toEqual([]);
    expect(group.idleChannels()).toBe(3);
  }, 30_000);
});
