import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Mp3Encoder } from '@breezystack/lamejs';
import { systemClock } from '../src/core/clock';
import { silentLogger } from '../src/core/logger';
import { DEFAULT_SETTINGS } from '../src/campaign/campaign-settings';
import { CampaignStore } from '../src/campaign/campaign-store';
import { ContactList } from '../src/campaign/contact-list';
import { AttemptRecord, OutboundCampaign } from '../src/campaign/outbound-campaign';
import { PersistentContacts } from '../src/campaign/persistent-contacts';
import { decodeAlaw } from '../src/dsp/g711';
import { resultsCsv } from '../src/runtime/campaign-export';
import { AnswerGroup } from '../src/seats/answer-group';
import { Seat } from '../src/seats/seat';
import { SeatDistributor } from '../src/seats/seat-distributor';
import { CallPrompts } from '../src/voice/call-prompts';
import { ChannelVoicePlayer } from '../src/voice/channel-voice-player';
import { PromptLibrary } from '../src/voice/prompt-library';
import { trunkAudioChannels } from '../src/voice/trunk-audio-channels';
import { CalleeBehaviour, CalleePopulation } from '../simulator/callee-population';
import { SimulatedMediaBridge } from '../simulator/ports/simulated-media-bridge';
import { buildPriRig, PriRig } from '../simulator/pri/pri-rig';
import { describeWithFakeDahdi } from '../test-support/dahdi/jest-preload';
import { tone, toneBursts, wavFile } from '../test-support/voice-audio';

/**
 * Broadcast (IVR outbound) on PRI spans of the userspace DAHDI: the production
 * player writes the prompt on each call's B-channel through drivers/dahdi, the
 * simulated exchange's callee hears it (checked by ear: tone bursts in what the
 * exchange received) and presses keys as its script says, which spandsp finds on
 * the same channel; the keys end up in the results CSV. The abandon message of
 * the 2 s rule is heard on the trunk the same way.
 */
const answers = (keys?: { keys: string; afterMs: number }): CalleeBehaviour => ({
  kind: 'answer',
  ringMs: 300,
  talkMs: 15_000,
  by: 'silence',
  ringback: 'tone',
  ...(keys ? { keys: [keys] } : {}),
});

describeWithFakeDahdi('prompts and keys on PRI B-channels (userspace DAHDI)', __filename, () => {
  let dir: string;
  let rig: PriRig;
  const heard = new Map<string, Uint8Array[]>();
  const population = new CalleePopulation({ seed: 5 });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'broadcast-'));
    // Prompts 1 s long: a 1 kHz tone (WAV, 16 kHz) and an 800 Hz tone (MP3, 22.05 kHz). Played twice: 2.5 s.
    writeFileSync(join(dir, 'promo.wav'), wavFile(tone(1000, 1000, 16000, 8000), 16000, 'pcm16'));
    const enc = new Mp3Encoder(1, 22050, 64);
    const x = Int16Array.from(tone(800, 1000, 22050, 8000), (v) => Math.round(v * 32768));
    writeFileSync(join(dir, 'promo.mp3'), Buffer.concat([Buffer.from(enc.encodeBuffer(x)), Buffer.from(enc.flush())]));
    writeFileSync(join(dir, 'sorry.wav'), wavFile(tone(600, 1500, 8000, 8000), 8000, 'alaw'));
    // After both plays (2.5 s from the answer) one presses 1, one 4 then 2 then '#', one nothing.
    population.override('13900000001', answers({ keys: '1', afterMs: 3200 }));
    population.override('13900000002', answers({ keys: '42#', afterMs: 3200 }));
    population.override('13900000003', answers());
    population.override('13900000011', answers({ keys: '7', afterMs: 3200 }));
    population.override('13900000021', answers());
    rig = await buildPriRig({ spans: 1, seed: 5, population, logger: silentLogger, transport: 'dahdi', audio: {} });
    await rig.group.whenReady(5000);
    rig.spans[0].network.onCallPlayback((p) => {
      const frames: Uint8Array[] = [];
      heard.set(p.number, frames);
      p.playback.onHeard((f) => frames.push(f.slice()));
    });
  }, 60_000);

  afterAll(async () => {
    await rig?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const player = () =>
    new ChannelVoicePlayer({ audio: trunkAudioChannels(rig.trunkAudio!), prompts: new PromptLibrary(), clock: systemClock });

  async function broadcast(file: string, numbers: string[], maxKeys: number) {
    const store = new CampaignStore(':memory:');
    const id = `b-${file}`;
    store.addContacts(
      id,
      numbers.map((number) => ({ number })),
    );
    const contacts = new PersistentContacts(store, id, new ContactList({ retryRules: {}, coolDownSec: 0 }), systemClock.now());
    const campaign = new OutboundCampaign(
      {
        ...DEFAULT_SETTINGS,
        name: id,
        mode: 'broadcast',
        retryRules: {},
        ringSec: 20,
        broadcast: { file: join(dir, file), plays: 2, keyTimeoutSec: 3, maxKeys, interKeySec: 2 },
      },
      { clock: systemClock, dialer: rig.group, contacts, voice: player() },
    );
    const records: AttemptRecord[] = [];
    campaign.onEvent((e) => {
      if (e.type !== 'attempt-ended') return;
      records.push(e.record);
      contacts.details(e.record);
    });
    const finished = new Promise<void>((resolve) => campaign.onEvent(() => campaign.state === 'finished' && resolve()));
    campaign.start();
    await finished;
    await store.durable();
    const csv = resultsCsv(store.allContacts(id), store.attempts(id));
    store.close();
    return { records: new Map(records.map((r) => [r.number, r])), csv };
  }

  function burstsHeard(number: string, freq: number): [number, number][] {
    const frames = heard.get(number) ?? [];
    const all = new Uint8Array(frames.length * 160);
    frames.forEach((f, i) => all.set(f.subarray(0, 160), i * 160));
    return toneBursts(decodeAlaw(all), freq, 1500);
  }

  test('a WAV prompt is heard twice by each callee, and the keys each pressed are stored', async () => {
    const { records, csv } = await broadcast('promo.wav', ['13900000001', '13900000002', '13900000003'], 3);
    expect(records.get('13900000001')).toMatchObject({ outcome: 'played', keys: '1' });
    expect(records.get('13900000002')).toMatchObject({ outcome: 'played', keys: '42' });
    expect(records.get('13900000003')).toMatchObject({ outcome: 'played', keys: '' });
    for (const n of ['13900000001', '13900000002', '13900000003']) {
      const bursts = burstsHeard(n, 1000);
      expect(bursts).toHaveLength(2);
      for (const [a, b] of bursts) expect(b - a).toBeGreaterThanOrEqual(940);
    }
    const rows = csv.trim().split('\n');
    expect(rows[0]).toContain(',keys,');
    expect(rows.find((r) => r.startsWith('13900000001,'))).toMatch(/^13900000001,played,\d*,1,,1,/);
    expect(rows.find((r) => r.startsWith('13900000002,'))).toMatch(/^13900000002,played,\d*,1,,42,/);
  }, 60_000);

  test('an MP3 prompt works the same', async () => {
    const { records } = await broadcast('promo.mp3', ['13900000011'], 1);
    expect(records.get('13900000011')).toMatchObject({ outcome: 'played', keys: '7' });
    const bursts = burstsHeard('13900000011', 800);
    expect(bursts).toHaveLength(2);
    for (const [a, b] of bursts) expect(b - a).toBeGreaterThanOrEqual(900);
    expect(rig.group.leakedChannels()).toEqual([]);
  }, 60_000);

  test('a call no agent takes within 2 s hears the abandon message on the trunk, then is released', async () => {
    const seat = new Seat('s1', { kind: 'simulated', id: 's1' }, { clock: systemClock }); // never logged in
    const prompts = new CallPrompts(player(), { abandonMessage: join(dir, 'sorry.wav') });
    const distributor = new SeatDistributor({
      clock: systemClock,
      group: new AnswerGroup('g', [seat], 'round-robin'),
      bridge: new SimulatedMediaBridge(),
      abandonAfterSec: 2,
      playAbandonMessage: (call) => prompts.abandon({ callId: call.id, span: call.span, channel: call.channel }, call.ended),
    });
    const dialled = await rig.group.dial({ number: '13900000021', ringTimeoutSec: 10 });
    expect(dialled.outcome).toBe('answered');
    const routed = await distributor.route(dialled.call!);
    expect(routed.kind).toBe('abandoned');
    await dialled.call!.ended;
    const bursts = burstsHeard('13900000021', 600);
    expect(bursts).toHaveLength(1);
    expect(bursts[0][1] - bursts[0][0]).toBeGreaterThanOrEqual(1400);
    // The message started once the 2 s were up.
    expect(bursts[0][0]).toBeGreaterThanOrEqual(1900);
  }, 60_000);
});
