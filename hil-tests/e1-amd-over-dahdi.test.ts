/**
 * The AMD campaign of e1-amd-campaign.test.ts with every B-channel on the
 * userspace DAHDI: the controller hears the callee through the production
 * DahdiTrunkAudio (DAHDI channel reads, the lender), the exchange plays through
 * the far span's channels, and the audio moves on DAHDI's 8 kHz clock.
 */
import { runPriCampaignOnDahdi } from '../test-support/campaign/e1-amd-scenario';
import { describeWithFakeDahdi } from '../test-support/dahdi/jest-preload';

describeWithFakeDahdi('AMD on PRI B-channels over the userspace DAHDI', __filename, () => {
  it('drops machines, fax and announcements before any seat; persons reach seats', async () => {
    await runPriCampaignOnDahdi();
  }, 60_000);
});
