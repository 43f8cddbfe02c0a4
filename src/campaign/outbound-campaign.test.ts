import { SimulatedAgents } from '../../simulator/virtual-trunk/simulated-agent';
import { buildVirtualTrunks, runFor, testScenario } from '../../simulator/virtual-trunk/virtual-rig';
import { Rng } from '../../simulator/random';
import { VirtualClock } from '../core/clock';
import { Dialer, DialRequest } from '../controller/trunk-group';
import { progressivePacer } from '../pacing/fixed-ratio';
import { AnswerGroup } from '../seats/answer-group';
import { SimulatedMediaBridge } from '../../simulator/ports/simulated-media-bridge';
import { Seat } from '../seats/seat';
import { SeatDistributor } from '../seats/seat-distributor';
import { Blacklist } from './blacklist';
import { CampaignSettings, DEFAULT_SETTINGS } from './campaign-settings';
import { ContactList } from './contact-list';
import { AttemptRecord, OutboundCampaign } from './outbound-campaign';
import { SimulatedVoicePlayer } from '../../simulator/ports/simulated-voice-player';

/** A dialer that remembers every number it was asked to dial and the peak of calls at once. */
class RecordingDialer implements Dialer {
  readonly numbers: string[] = [];
  constructor(private readonly inner: Dialer) {}
  dial(req: DialRequest) {
    this.numbers.push(req.number);
    return this.inner.dial(req);
  }
  idleChannels() {
    return this.inner.idleChannels();
  }
}

function rig(
  opts: {
    scenario?: Record<string, unknown>;
    seats?: number;
    settings?: Partial<CampaignSettings>;
    clock?: VirtualClock;
    blacklist?: Blacklist;
  } = {},
) {
  const scenario = testScenario(opts.scenario);
  const trunks = buildVirtualTrunks(scenario, 7, opts.clock);
  const { clock, network } = trunks;
  const seats = Array.from({ length: opts.seats ?? 2 }, (_, i) => new Seat(`a${i + 1}`, { kind: 'simulated', id: `a${i + 1}` }, { clock }));
  seats.forEach((s) => s.login());
  const voice = new SimulatedVoicePlayer({
    clock,
    durationSec: () => 4,
    keysFor: (leg) => ({ keys: String(leg.channel % 10), afterMs: 3000 }),
  });
  const distributor = new SeatDistributor({
    clock,
    group: new AnswerGroup('g', seats, 'round-robin'),
    bridge: new SimulatedMediaBridge(),
    playAbandonMessage: (call) =>
      voice
        .play({ callId: call.id, span: call.span, channel: call.channel }, { file: 'sorry.wav', plays: 1 }, call.ended)
        .then(() => undefined),
  });
  new SimulatedAgents({ clock, network, distributor, wrapSec: scenario.wrapSec, machineAgentSec: scenario.machineAgentSec, seed: 7 });
  const settings: CampaignSettings = { ...DEFAULT_SETTINGS, name: 't', mode: 'paced', retryRules: {}, ...opts.settings };
  const contacts = new ContactList({ retryRules: settings.retryRules, coolDownSec: settings.coolDownSec });
  const dialer = new RecordingDialer(trunks.group);
  const campaign = new OutboundCampaign(settings, {
    clock,
    dialer,
    contacts,
    voice,
    distributor,
    pacer: settings.mode === 'paced' ? progressivePacer() : undefined,
    blacklist: opts.blacklist,
  });
  const records: AttemptRecord[] = [];
  campaign.onEvent((e) => {
    if (e.type === 'attempt-ended') records.push(e.record);
  });
  return { ...trunks, seats, distributor, campaign, contacts, dialer, records, voice };
}

describe('OutboundCampaign', () => {
  test('paced (progressive): every number reaches a seat, talks, and the campaign finishes', async () => {
    const r = rig();
    for (let i = 0; i < 6; i++) r.contacts.add(`1380000000${i}`);
    r.campaign.start();
    await runFor(r.clock, 10 * 60_000);
    expect(r.records.map((x) => x.outcome)).toEqual(Array(6).fill('connected'));
    expect(new Set(r.records.map((x) => x.seatId))).toEqual(new Set(['a1', 'a2']));
    expect(r.campaign.state).toBe('finished');
    expect(r.contacts.finishedCount()).toBe(6);
    expect(r.seats.map((s) => s.state)).toEqual(['ready', 'ready']);
  });

  test('numbers not reached go back to the list and are retried after their delay', async () => {
    const r = rig({ scenario: { outcomes: { busy: 1 } }, settings: { retryRules: { busy: { maxAttempts: 3, delaySec: 120 } } } });
    r.contacts.add('13800000001');
    r.campaign.start();
    await runFor(r.clock, 10 * 60_000);
    expect(r.records.map((x) => x.outcome)).toEqual(['busy', 'busy', 'busy']);
    const gaps = r.records.slice(1).map((x, i) => x.dialledAt - r.records[i].dialledAt);
    for (const g of gaps) expect(g).toBeGreaterThanOrEqual(120_000);
    expect(r.campaign.state).toBe('finished');
  });

  test('max concurrency caps the calls in progress', async () => {
    const r = rig({ seats: 4, scenario: { lines: 8 }, settings: { maxConcurrency: 2 } });
    for (let i = 0; i < 8; i++) r.contacts.add(`1380000001${i}`);
    let peak = 0;
    r.campaign.onEvent(() => (peak = Math.max(peak, r.campaign.activeCalls())));
    r.campaign.start();
    for (let t = 0; t < 300; t++) {
      await runFor(r.clock, 1000);
      peak = Math.max(peak, r.campaign.activeCalls());
    }
    expect(peak).toBe(2);
    expect(r.records).toHaveLength(8);
  });

  test('calling hours: nothing is dialled before the window opens (Asia/Shanghai)', async () => {
    // Monday 2026-11-23 08:58 in Shanghai.
    const clock = new VirtualClock(Date.parse('2026-11-23T00:58:00Z'));
    const r = rig({ clock, settings: { callingHours: [{ start: '09:00', end: '18:00', timeZone: 'Asia/Shanghai' }] } });
    r.contacts.add('13800000001');
    r.campaign.start();
    await runFor(clock, 60_000);
    expect(r.campaign.state).toBe('outside-hours');
    expect(r.dialer.numbers).toEqual([]);
    await runFor(clock, 5 * 60_000);
    expect(r.records[0].dialledAt).toBeGreaterThanOrEqual(Date.parse('2026-11-23T01:00:00Z'));
    expect(r.records[0].dialledAt).toBeLessThan(Date.parse('2026-11-23T01:00:02Z'));
  });

  test('preview: the seat is reserved before its customer is dialled and gets that call', async () => {
    const r = rig({ seats: 1, settings: { mode: 'preview', previewSec: 5 } });
    r.contacts.add('13800000001');
    r.campaign.start();
    await runFor(r.clock, 1000);
    expect(r.seats[0].state).toBe('reserved');
    expect(r.dialer.numbers).toEqual([]);
    await runFor(r.clock, 5000);
    expect(r.dialer.numbers).toEqual(['13800000001']);
    await runFor(r.clock, 5 * 60_000);
    expect(r.records[0]).toMatchObject({ outcome: 'connected', seatId: 'a1', waitMs: 0 });
  });

  test('preview: a customer not reached gives the seat back', async () => {
    const r = rig({ seats: 1, scenario: { outcomes: { invalid: 1 } }, settings: { mode: 'preview' } });
    r.contacts.add('13800000001');
    r.campaign.start();
    await runFor(r.clock, 60_000);
    expect(r.records[0].outcome).toBe('unallocated');
    expect(r.seats[0].state).toBe('ready');
  });

  test('broadcast: the file is played N times and the keys pressed are recorded, no seat involved', async () => {
    const r = rig({ seats: 0, settings: { mode: 'broadcast', broadcast: { file: 'promo.mp3', plays: 2, keyTimeoutSec: 5, maxKeys: 1 } } });
    r.contacts.add('13800000001');
    r.contacts.add('13800000002');
    r.campaign.start();
    await runFor(r.clock, 2 * 60_000);
    expect(r.records).toHaveLength(2);
    for (const rec of r.records) {
      expect(rec.outcome).toBe('played');
      expect(rec.keys).toMatch(/^\d$/);
      // answered at 3 s; the first key ends the collection at 3 s after answer.
      expect(rec.endedAt - rec.answeredAt!).toBeLessThan(4000);
    }
  });

  test('broadcast: a prompt that cannot be played ends each call as other with the reason; the campaign finishes, no channel kept', async () => {
    const r = rig({ seats: 0, settings: { mode: 'broadcast', broadcast: { file: 'gone.wav', plays: 1, keyTimeoutSec: 1, maxKeys: 1 } } });
    r.voice.play = async () => {
      throw new Error('gone.wav: voice prompt unreadable: ENOENT');
    };
    r.contacts.add('13800000001');
    r.contacts.add('13800000002');
    r.campaign.start();
    await runFor(r.clock, 2 * 60_000);
    expect(r.records).toHaveLength(2);
    for (const rec of r.records) expect(rec).toMatchObject({ outcome: 'other', causeText: expect.stringMatching(/gone\.wav/) });
    expect(r.campaign.state).toBe('finished');
    expect(r.group.leakedChannels()).toEqual([]);
  });

  test('a test call reaches a seat and leaves the list untouched', async () => {
    const r = rig();
    r.contacts.add('13800000001');
    const rec = r.campaign.testCall('+86 139 1234 5678');
    await runFor(r.clock, 5 * 60_000);
    expect(await rec).toMatchObject({ test: true, number: '13912345678', outcome: 'connected' });
    expect(r.contacts.remaining()).toBe(1);
    expect(r.contacts.finishedCount()).toBe(0);
    await expect(r.campaign.testCall('123')).rejects.toThrow(/test call number/);
  });

  test('property: a blacklisted number is never dialled, whatever the list', async () => {
    const rng = new Rng('blacklist-property');
    for (let trial = 0; trial < 15; trial++) {
      const numbers = Array.from(
        { length: 5 + Math.floor(rng.next() * 20) },
        () => `139${String(Math.floor(rng.next() * 1e8)).padStart(8, '0')}`,
      );
      const banned = numbers.filter(() => rng.next() < 0.4);
      // The blacklist may be written differently from the list (dashes, +86).
      const blacklist = new Blacklist(banned.map((n, i) => (i % 2 ? `+86 ${n}` : `${n.slice(0, 3)}-${n.slice(3)}`)));
      const r = rig({
        seats: 0,
        blacklist,
        scenario: { outcomes: { busy: 1, human: 1 } },
        settings: {
          mode: 'broadcast',
          broadcast: { file: 'a.wav', plays: 1, keyTimeoutSec: 0, maxKeys: 1 },
          retryRules: { busy: { maxAttempts: 2, delaySec: 10 } },
        },
      });
      for (const n of numbers) r.contacts.add(n);
      r.campaign.start();
      await runFor(r.clock, 10 * 60_000);
      const bannedSet = new Set(banned);
      expect(r.dialer.numbers.filter((n) => bannedSet.has(n))).toEqual([]);
      expect(new Set(r.dialer.numbers)).toEqual(new Set(numbers.filter((n) => !bannedSet.has(n))));
    }
  });
});
