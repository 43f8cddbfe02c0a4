import { VirtualClock } from '../src/core/clock';
import { silentLogger } from '../src/core/logger';
import { buildPriRig } from '../simulator/pri/pri-rig';
import { buildR2Rig } from '../simulator/r2/r2-rig';
import { runVirtual } from '../simulator/r2/virtual-time';
import { expectVerdicts, runCampaign, SCENARIO_AUDIO, scenarioPopulation, SEED } from '../test-support/campaign/e1-amd-scenario';

describe('AMD and call progress on E1 trunks in a campaign', () => {
  it('China No.1: machines, fax and announcements dropped before any seat; persons (colour ring-back too) reach seats', async () => {
    const clock = new VirtualClock(0);
    const rig = await buildR2Rig({
      spans: 1,
      seed: SEED,
      population: scenarioPopulation(),
      logger: silentLogger,
      clock,
      ringTimeoutSec: 40,
      audio: SCENARIO_AUDIO,
    });
    await runVirtual(clock, rig.group.whenReady(1000));
    const { records, connected } = await runCampaign(rig.group, clock, (p) => runVirtual(clock, p, 10 * 60_000));
    expectVerdicts(records, connected);
    clock.advance(3000);
    expect(rig.group.leakedChannels()).toEqual([]);
    await rig.close();
  });

  it('PRI: the same campaign, answers by CONNECT, verdicts from the B-channel', async () => {
    // Virtual time as for China No.1: libpri's timers follow the clock too.
    const clock = new VirtualClock(0);
    const rig = await buildPriRig({
      spans: 1,
      seed: SEED,
      population: scenarioPopulation(),
      logger: silentLogger,
      clock,
      audio: SCENARIO_AUDIO,
    });
    try {
      const drive = <T>(p: Promise<T>) => runVirtual(clock, p, 10 * 60_000, () => rig.framesInFlight());
      await drive(rig.group.whenReady(15_000));
      const { records, connected } = await runCampaign(rig.group, clock, drive);
      expectVerdicts(records, connected);
      await drive(new Promise<void>((r) => clock.setTimer(3000, r)));
      expect(rig.group.leakedChannels()).toEqual([]);
    } finally {
      await rig.close();
    }
  });
});
