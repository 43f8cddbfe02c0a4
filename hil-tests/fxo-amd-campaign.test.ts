import { silentLogger } from '../src/core/logger';
import { TrunkCall } from '../src/controller/trunk-call';
import { AnswerKind } from '../src/campaign/answer-classifier';
import { DEFAULT_SETTINGS } from '../src/campaign/campaign-settings';
import { ContactList } from '../src/campaign/contact-list';
import { LineAnswerClassifier } from '../src/campaign/line-answer-classifier';
import { AttemptRecord, OutboundCampaign } from '../src/campaign/outbound-campaign';
import { SimulatedVoicePlayer } from '../simulator/ports/simulated-voice-player';
import { progressivePacer } from '../src/pacing/fixed-ratio';
import { AnswerGroup } from '../src/seats/answer-group';
import { SimulatedMediaBridge } from '../simulator/ports/simulated-media-bridge';
import { Seat } from '../src/seats/seat';
import { SeatDistributor } from '../src/seats/seat-distributor';
import { CalleePopulation } from '../simulator/callee-population';
import { buildFxoRig, FxoRig } from '../simulator/analog/fxo-rig';

/** Virtual time passes (the rig's clock runs free) until `ms` later. */
function waitVirtual(r: FxoRig, ms: number): Promise<void> {
  const until = r.clock.now() + ms;
  return new Promise((resolve) => {
    const check = () => (r.clock.now() >= until ? resolve() : r.clock.setTimer(100, check));
    check();
  });
}

async function fxoRig(lines: number) {
  const population = new CalleePopulation({ seed: 21 });
  const r = await buildFxoRig({
    spans: 1,
    seed: 21,
    population,
    logger: silentLogger,
    linesPerSpan: lines,
    ringTimeoutSec: 30,
    line: { musicShare: 0 },
  });
  const classifier = new LineAnswerClassifier({ clock: r.clock });
  return { r, population, classifier };
}

describe('FXO answering-machine detection in a campaign', () => {
  it('paced campaign over analog lines: machines end as machine without a seat, people reach one', async () => {
    const { r, population, classifier } = await fxoRig(4);
    const { clock } = r;
    const machines = ['13900000001', '13900000002', '13900000003'];
    const people = ['13800000001', '13800000002', '13800000003'];
    for (const n of machines) population.override(n, { kind: 'answer', ringMs: 2000, talkMs: 6000, by: 'machine' });
    for (const n of people) population.override(n, { kind: 'answer', ringMs: 2000, talkMs: 4000, by: 'human' });

    const seats = ['a1', 'a2'].map((id) => new Seat(id, { kind: 'simulated', id }, { clock, maxWrapSec: 1 }));
    seats.forEach((s) => s.login());
    const voice = new SimulatedVoicePlayer({ clock, durationSec: () => 2 });
    const distributor = new SeatDistributor({
      clock,
      group: new AnswerGroup('g', seats, 'round-robin'),
      bridge: new SimulatedMediaBridge(),
      playAbandonMessage: () => Promise.resolve(),
    });
    const connected: string[] = [];
    distributor.onEvent((e) => {
      if (e.type === 'connected') connected.push(e.call.number);
    });
    const settings = { ...DEFAULT_SETTINGS, name: 'fxo-amd', mode: 'paced' as const, retryRules: {} };
    const contacts = new ContactList({ retryRules: {}, coolDownSec: 0 });
    for (const n of [...machines, ...people]) contacts.add(n);
    const campaign = new OutboundCampaign(settings, {
      clock,
      dialer: r.group,
      contacts,
      voice,
      distributor,
      pacer: progressivePacer(),
      classifier,
    });
    const records: AttemptRecord[] = [];
    const kinds = new Map<string, AnswerKind>();
    campaign.onEvent((e) => {
      if (e.type === 'attempt-ended') records.push(e.record);
      if (e.type === 'answered') kinds.set(e.call.number, e.kind);
    });
    const finished = new Promise<void>((resolve) => campaign.onEvent(() => campaign.state === 'finished' && resolve()));
    campaign.start();
    // Bounded in virtual time: a campaign stuck on a call fails here, not at jest's timeout.
    await Promise.race([finished, waitVirtual(r, 10 * 60_000)]);
    expect(campaign.state).toBe('finished');

    const outcome = new Map(records.map((x) => [x.number, x]));
    for (const n of machines) {
      expect(outcome.get(n)).toMatchObject({ outcome: 'machine' });
      expect(outcome.get(n)!.seatId).toBeUndefined();
    }
    for (const n of people) expect(outcome.get(n)).toMatchObject({ outcome: 'connected', seatId: expect.stringMatching(/^a[12]$/) });
    expect(connected.sort()).toEqual([...people].sort());
    expect(records).toHaveLength(6);
    await waitVirtual(r, 3000);
    expect(r.group.leakedChannels()).toEqual([]);
    expect(seats.map((s) => s.state)).toEqual(['ready', 'ready']);
    await r.close();
  });

  it('a call whose verdict never comes is taken for a person once the AMD analysis time is over', async () => {
    const { r, classifier } = await fxoRig(1);
    // A call the line never analyses (no report will ever name its token).
    const call = new TrunkCall('orphan', 'outbound', 1, 1, '13800000009', undefined, { id: 9999 }, r.clock, () => undefined);
    // Answered on a line that promises a verdict within its AMD analysis time, as an FXO line does.
    call.markAnswered(r.signalling[0].lines[0].amdMaxAnalysisMs);
    const asked = r.clock.now();
    const kind = await classifier.classify(call);
    const waited = r.clock.now() - asked;
    expect(kind).toBe('human');
    expect(waited).toBeGreaterThanOrEqual(r.signalling[0].lines[0].amdMaxAnalysisMs);
    expect(waited).toBeLessThan(r.signalling[0].lines[0].amdMaxAnalysisMs + 1000);
    await r.close();
  });
});
