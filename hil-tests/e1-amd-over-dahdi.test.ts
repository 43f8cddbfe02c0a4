/**
 * The AMD campaign of e1-amd-campaign.test.ts with every B-channel on the
 * userspace DAHDI: the controller hears the callee through the production
 * DahdiTrunkAudio (DAHDI channel reads, the lender), the exchange plays through
 * the far span's channels, and the audio moves on DAHDI's 8 kHz clock.
 */
import { systemClock } from '../src/core/clock';
import { silentLogger } from '../src/core/logger';
import { CalleePopulation } from '../simulator/callee-population';
import { buildPriRig } from '../simulator/pri/pri-rig';
import { CALLEES, expectVerdicts, runCampaign, SEED } from '../test-support/campaign/e1-amd-scenario';
import { describeWithFakeDahdi } from '../test-support/dahdi/jest-preload';

describeWithFakeDahdi('AMD on PRI B-channels over the userspace DAHDI', __filename, () => {
  it('drops machines, fax and announcements before any seat; persons reach seats', async () => {
    const population = new CalleePopulation({ seed: SEED });
    for (const [n, b] of Object.entries(CALLEES)) population.override(n, b);
    const rig = await buildPriRig({
      spans: 1,
      seed: SEED,
      population,
      logger: silentLogger,
      transport: 'dahdi',
      audio: { earlyMediaMs: 8000, analysis: {} },
    });
    try {
      const { records, connected } = await runCampaign(rig.group, systemClock, (p) => p);
      expectVerdicts(records, connected);
      expect(rig.group.leakedChannels()).toEqual([]);
    } finally {
      await rig.close();
    }
  }, 60_000);
});
