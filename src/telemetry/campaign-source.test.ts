/**
 * Seats, campaign progress and pacing as telemetry sees them, from a real paced
 * campaign with real seats and distributor over the virtual trunks, in virtual time.
 */
import { SimulatedAgents } from '../../simulator/virtual-trunk/simulated-agent';
import { buildVirtualTrunks, runFor, testScenario } from '../../simulator/virtual-trunk/virtual-rig';
import { VirtualClock } from '../core/clock';
import { ContactList } from '../campaign/contact-list';
import { CampaignSettings, DEFAULT_SETTINGS } from '../campaign/campaign-settings';
import { AttemptRecord, OutboundCampaign } from '../campaign/outbound-campaign';
import { SimulatedVoicePlayer } from '../../simulator/ports/simulated-voice-player';
import { progressivePacer } from '../pacing/fixed-ratio';
import { AnswerGroup } from '../seats/answer-group';
import { SimulatedMediaBridge } from '../../simulator/ports/simulated-media-bridge';
import { Seat } from '../seats/seat';
import { SeatDistributor } from '../seats/seat-distributor';
import { CampaignOperationsSource } from './campaign-source';
import { OccupancyMeter } from './occupancy-meter';

function callCenter() {
  const scenario = testScenario({ lines: 4, talk_sec: { dist: 'fixed', value: 30 }, wrap_sec: { dist: 'fixed', value: 5 } });
  const { clock, network, group } = buildVirtualTrunks(scenario, 3);
  const seats = ['a1', 'a2', 'sup'].map((id) => new Seat(id, { kind: 'simulated', id }, { clock }));
  seats.forEach((s) => s.login());
  const voice = new SimulatedVoicePlayer({ clock, durationSec: () => 4, keysFor: () => undefined });
  const distributor = new SeatDistributor({
    clock,
    group: new AnswerGroup('g', seats, 'round-robin'),
    bridge: new SimulatedMediaBridge(),
    playAbandonMessage: (call) =>
      voice
        .play({ callId: call.id, span: call.span, channel: call.channel }, { file: 'sorry.wav', plays: 1 }, call.ended)
        .then(() => undefined),
  });
  new SimulatedAgents({ clock, network, distributor, wrapSec: scenario.wrapSec, machineAgentSec: scenario.machineAgentSec, seed: 3 });
  const settings: CampaignSettings = { ...DEFAULT_SETTINGS, name: 'spring', mode: 'paced', retryRules: {} };
  const contacts = new ContactList({ retryRules: settings.retryRules, coolDownSec: settings.coolDownSec });
  for (let i = 0; i < 6; i++) contacts.add(`1380013800${i}`);
  const campaign = new OutboundCampaign(settings, { clock, dialer: group, contacts, voice, distributor, pacer: progressivePacer() });
  const records: AttemptRecord[] = [];
  campaign.onEvent((e) => e.type === 'attempt-ended' && records.push(e.record));
  const source = new CampaignOperationsSource(distributor, [{ campaign, contacts }], clock);
  return { clock, seats, distributor, campaign, contacts, records, source };
}

describe('CampaignOperationsSource', () => {
  it('follows seats, progress and pacing through a campaign, and lets a supervisor listen in and force seats', async () => {
    const c = callCenter();
    const actions = c.source.actions();
    // The supervisor's own seat takes no calls.
    expect(actions.forceSeat!('sup', 'busy')).toEqual({ seat: 'sup', state: 'paused' });
    c.campaign.start();
    expect(c.source.campaigns()).toEqual([
      {
        campaign: 'spring',
        state: 'running',
        total: 6,
        dialled: expect.any(Number),
        answered: 0,
        answeredByPerson: 0,
        abandoned: 0,
        remaining: 6,
      },
    ]);

    await runFor(c.clock, 10_000);
    const seats = c.source.seats();
    expect(seats.map((s) => [s.seat, s.state, s.campaign])).toEqual([
      ['a1', 'talking', 'spring'],
      ['a2', 'talking', 'spring'],
      ['sup', 'paused', 'spring'],
    ]);
    expect(seats[0].callId).toMatch(/^s\dc\d+-\d+$/);
    expect(c.source.pacing()[0]).toMatchObject({ campaign: 'spring', abandonment: 0 });

    await actions.listen!('sup', 'a1');
    const participants = c.distributor.liveCall('a1')!.conference.participants();
    expect(participants).toContainEqual({ endpoint: { kind: 'simulated', id: 'sup' }, mode: 'listen' });
    await expect(Promise.resolve().then(() => actions.barge!('sup', 'nobody'))).rejects.toThrow("seat: no seat 'nobody'");
    expect(() => actions.forceSeat!('ghost', 'ready')).toThrow("no seat 'ghost'");

    await runFor(c.clock, 10 * 60_000);
    expect(c.campaign.state).toBe('finished');
    const answered = c.records.filter((r) => r.answeredAt !== undefined).length;
    expect(c.source.campaigns()).toEqual([
      {
        campaign: 'spring',
        state: 'finished',
        total: 6,
        dialled: c.records.length,
        answered,
        answeredByPerson: c.records.filter((r) => r.outcome === 'connected' || r.outcome === 'abandoned').length,
        abandoned: 0,
        remaining: 0,
      },
    ]);
    expect(answered).toBe(6);
    const pacing = c.source.pacing()[0];
    expect(pacing.callsInProgress).toBe(0);
    // Two working seats and a paused one, over calls of 30 s talk + 5 s wrap each.
    expect(pacing.occupancy).toBeGreaterThan(0.1);
    expect(pacing.occupancy).toBeLessThan(0.67);
  });
});

describe('OccupancyMeter', () => {
  it('is time in talking or wrap-up over time logged in, across the window', () => {
    const clock = new VirtualClock(0);
    const seat = new Seat('a', { kind: 'simulated', id: 'a' }, { clock });
    const idle = new Seat('b', { kind: 'simulated', id: 'b' }, { clock });
    const meter = new OccupancyMeter([seat, idle], clock, 1_000_000);
    seat.login();
    clock.advanceTo(10_000);
    seat.reserve('c1');
    seat.connect();
    clock.advanceTo(40_000);
    seat.callEnded();
    clock.advanceTo(50_000);
    seat.wrapDone();
    clock.advanceTo(100_000);
    // 40 s busy out of 100 s logged in; seat b never logged in and does not count.
    expect(meter.occupancy()).toBeCloseTo(0.4, 6);
    idle.login();
    clock.advanceTo(200_000);
    expect(meter.occupancy()).toBeCloseTo(40 / 300, 6);
  });

  it('pauses a campaign on a supervisor command (no new dials, calls in progress go on) and resumes it', async () => {
    const c = callCenter();
    const actions = c.source.actions();
    c.campaign.start();
    await runFor(c.clock, 2_000);
    expect(actions.pauseCampaign!('spring')).toEqual({ campaign: 'spring', state: 'paused' });
    const dialledAtPause = c.records.length + c.campaign.activeCalls();
    await runFor(c.clock, 5 * 60_000);
    // Nothing new was dialled while paused, and the calls that were up have ended.
    expect(c.records.length).toBe(dialledAtPause);
    expect(c.campaign.activeCalls()).toBe(0);
    expect(c.source.campaigns()[0]).toMatchObject({ state: 'paused', remaining: 6 - dialledAtPause });
    expect(() => actions.pauseCampaign!('autumn')).toThrow("no campaign 'autumn'");

    expect(actions.resumeCampaign!('spring')).toEqual({ campaign: 'spring', state: 'running' });
    await runFor(c.clock, 10 * 60_000);
    expect(c.campaign.state).toBe('finished');
    expect(c.records.length).toBe(6);
    expect(() => actions.resumeCampaign!('spring')).toThrow(/cannot resume a campaign that is finished/);
  });
});
