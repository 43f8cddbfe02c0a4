/**
 * Campaigns over GSM/LTE modem trunks: the production AtModem, ModemSpanSignalling,
 * TrunkGroup, seats and OutboundCampaign against simulated modules (three AT dialects)
 * on the mock serial binding, in free-running virtual time.
 */
import { silentLogger } from '../src/core/logger';
import { DEFAULT_SETTINGS } from '../src/campaign/campaign-settings';
import { ContactList } from '../src/campaign/contact-list';
import { AttemptRecord, OutboundCampaign } from '../src/campaign/outbound-campaign';
import { progressivePacer } from '../src/pacing/fixed-ratio';
import { AnswerGroup } from '../src/seats/answer-group';
import { Seat } from '../src/seats/seat';
import { SeatDistributor } from '../src/seats/seat-distributor';
import { CalleePopulation } from '../simulator/callee-population';
import { runSimulatedCalls } from '../simulator/call-run';
import { buildGsmRig, GsmRig } from '../simulator/modem/gsm-rig';
import { SimulatedMediaBridge } from '../simulator/ports/simulated-media-bridge';
import { SimulatedVoicePlayer } from '../simulator/ports/simulated-voice-player';

function waitVirtual(r: GsmRig, ms: number): Promise<void> {
  const until = r.clock.now() + ms;
  return new Promise((resolve) => {
    const check = () => (r.clock.now() >= until ? resolve() : r.clock.setTimer(100, check));
    check();
  });
}

function campaignOn(r: GsmRig, numbers: string[], seatCount: number) {
  const { clock } = r;
  const seats = Array.from(
    { length: seatCount },
    (_, i) => new Seat(`a${i + 1}`, { kind: 'simulated', id: `a${i + 1}` }, { clock, maxWrapSec: 1 }),
  );
  seats.forEach((s) => s.login());
  const distributor = new SeatDistributor({
    clock,
    group: new AnswerGroup('g', seats, 'round-robin'),
    bridge: new SimulatedMediaBridge(),
    playAbandonMessage: () => Promise.resolve(),
  });
  const contacts = new ContactList({ retryRules: {}, coolDownSec: 0 });
  for (const n of numbers) contacts.add(n);
  const settings = { ...DEFAULT_SETTINGS, name: 'gsm', mode: 'paced' as const, retryRules: {}, ringSec: 30, withholdCallerId: true };
  const campaign = new OutboundCampaign(settings, {
    clock,
    dialer: r.group,
    contacts,
    voice: new SimulatedVoicePlayer({ clock, durationSec: () => 2 }),
    distributor,
    pacer: progressivePacer(),
  });
  const records: AttemptRecord[] = [];
  campaign.onEvent((e) => {
    if (e.type === 'attempt-ended') records.push(e.record);
  });
  const finished = new Promise<void>((resolve) => campaign.onEvent(() => campaign.state === 'finished' && resolve()));
  return { campaign, records, finished, seats };
}

describe('campaigns over GSM/LTE modem trunks', () => {
  it('sim calls --signalling gsm keeps the JSON contract: every call resolved with its outcome, no channel leaked', async () => {
    const s = await runSimulatedCalls({ signalling: 'gsm', spans: 1, modems: 6, calls: 300, seed: 11, logger: silentLogger });
    expect(s.attempts).toBe(300);
    expect(Object.values(s.outcomes).reduce((a, b) => a + b, 0)).toBe(300);
    expect(s.outcomes.other).toBe(0);
    expect(s.leaked_channels).toBe(0);
    // Causes line up with outcomes (24.008 causes are Q.850's).
    expect(s.causes['17']).toBe(s.outcomes.busy);
    expect(s.causes['1']).toBe(s.outcomes.unallocated);
    expect(s.causes['34']).toBe(s.outcomes.congestion);
    expect(s.causes['20']).toBe(s.outcomes.absent);
    expect(s.outcomes.answered).toBeGreaterThan(100);
  });

  it('outcomes right, caller ID withheld, per-SIM caps held, and a module unplugged mid-campaign is taken out with its call ended and nothing leaked', async () => {
    const population = new CalleePopulation({ seed: 5 });
    const r = await buildGsmRig({ spans: 1, modems: 3, seed: 5, population, logger: silentLogger, dailyCallCap: 6, ringTimeoutSec: 30 });
    const answer = Array.from({ length: 10 }, (_, i) => `1380000${String(i).padStart(4, '0')}`);
    const busy = Array.from({ length: 4 }, (_, i) => `1390000${String(i).padStart(4, '0')}`);
    const vacant = Array.from({ length: 4 }, (_, i) => `1500000${String(i).padStart(4, '0')}`);
    for (const n of answer) population.override(n, { kind: 'answer', ringMs: 3000, talkMs: 20000 });
    for (const n of busy) population.override(n, 'busy');
    for (const n of vacant) population.override(n, 'unallocated');
    const { campaign, records, finished, seats } = campaignOn(r, [...answer, ...busy, ...vacant], 3);
    campaign.start();

    // Mid-campaign: module 2 is unplugged while it carries a call.
    await new Promise<void>((resolve) => {
      const check = () => (r.devices[1].inCall ? resolve() : r.clock.setTimer(50, check));
      check();
    });
    r.injectFault('PORT_VANISHES', { modem: 2 });
    // 18 contacts, 3 modules capped at 6 calls a day, one of them unplugged: the day's
    // capacity runs out before the list does, and the campaign waits for tomorrow.
    await Promise.race([finished, waitVirtual(r, 30 * 60_000)]);
    expect(campaign.state).toBe('running');
    expect(r.group.idleChannels()).toBe(0);
    await campaign.stop();

    const dialled = r.devices.map((d) => d.dialled.length);
    expect(dialled[0]).toBe(6);
    expect(dialled[2]).toBe(6);
    expect(dialled[1]).toBeLessThan(6);
    expect(records).toHaveLength(dialled.reduce((a, b) => a + b, 0));
    expect(r.devices.flatMap((d) => d.withheld).every((w) => w)).toBe(true);

    const byNumber = new Map(records.map((x) => [x.number, x]));
    for (const n of busy) if (byNumber.has(n)) expect(byNumber.get(n)).toMatchObject({ outcome: 'busy', cause: 17 });
    for (const n of vacant) if (byNumber.has(n)) expect(byNumber.get(n)).toMatchObject({ outcome: 'unallocated', cause: 1 });
    const faulted = records.filter((x) => x.cause === 41 || x.cause === 38);
    expect(faulted.length).toBeGreaterThanOrEqual(1); // the unplugged module's call, ended as a fault
    expect(r.signalling.callsToday(2).calls).toBeLessThan(6);

    await waitVirtual(r, 5000);
    expect(r.group.leakedChannels()).toEqual([]);
    expect(r.group.spans[0].channel(2)!.state).toBe('out-of-service');
    expect(seats.every((s) => s.state === 'ready')).toBe(true);
    await r.close();
  });
});
