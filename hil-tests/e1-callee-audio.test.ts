import { DtmfReceiver } from '../drivers/spandsp/dtmf';
import { TrunkAudio } from '../drivers/ports/channel-audio-port';
import { CallEvent } from '../src/core/call-events';
import { Clock, VirtualClock } from '../src/core/clock';
import { silentLogger } from '../src/core/logger';
import { Q850 } from '../src/core/q850';
import { CallProgressAnalyser, ProgressClass } from '../src/dsp/call-progress';
import { decodeAlaw } from '../src/dsp/g711';
import { CHINA_TONE_PLAN } from '../src/dsp/tone-plan';
import { TrunkGroup } from '../src/controller/trunk-group';
import { CalleeBehaviour, CalleePopulation } from '../simulator/callee-population';
import { buildPriRig } from '../simulator/pri/pri-rig';
import { buildR2Rig } from '../simulator/r2/r2-rig';
import { runVirtual } from '../simulator/r2/virtual-time';

/**
 * The simulated exchanges play each callee's audio on E1 bearer channels (PRI
 * B-channels, China No.1 timeslots), heard here through the controller's side of
 * the rig's TrunkAudio: ringback or colour ring-back while it rings, the keys the
 * callee's script presses after the answer, failures' announcements in early media.
 */
interface Heard {
  keys: { key: string; atMs: number }[];
  progress: { cls: ProgressClass; atMs: number }[];
  answeredAt?: number;
  events: CallEvent['type'][];
}

/** Listens to every call's bearer from its first event: DTMF (spandsp) and call-progress classes. */
function listen(group: TrunkGroup, audio: TrunkAudio, clock: Clock): Heard {
  const heard: Heard = { keys: [], progress: [], events: [] };
  for (const span of group.spans) {
    span.observeCalls((ev) => {
      heard.events.push(ev.type);
      if (ev.type === 'answered') heard.answeredAt = clock.now();
      if (ev.type !== 'dialing') return;
      const port = audio.open(ev.span, ev.channel)!;
      const rx = new DtmfReceiver();
      const analyser = new CallProgressAnalyser({ plan: CHINA_TONE_PLAN });
      analyser.setMode('progress');
      const pcm = new Int16Array(160);
      port.onBlock((frame) => {
        decodeAlaw(frame, pcm);
        for (const key of rx.feed(pcm)) heard.keys.push({ key, atMs: clock.now() });
        for (const p of analyser.push(pcm)) heard.progress.push({ cls: p.cls, atMs: clock.now() });
      });
      const off = span.observeCalls((e) => {
        if (e.type !== 'released' || e.callId !== ev.callId) return;
        off();
        rx.close();
        void port.close();
      });
    });
  }
  return heard;
}

const SCRIPTED: CalleeBehaviour = {
  kind: 'answer',
  ringMs: 3000,
  talkMs: 3500,
  by: 'human',
  ringback: 'tone',
  keys: [
    { keys: '1', afterMs: 1200 },
    { keys: '23', afterMs: 2500 },
  ],
};

/** Checks what a scripted callee's call sounded like at the controller. */
function expectScriptedCall(heard: Heard): void {
  expect(heard.progress.map((p) => p.cls)).toContain('ringback');
  const ringback = heard.progress.find((p) => p.cls === 'ringback')!;
  expect(ringback.atMs).toBeLessThan(heard.answeredAt!);
  expect(heard.keys.map((k) => k.key).join('')).toBe('123');
  // Each key lands when the script says: the gap between presses to within a frame or
  // two, the first key to within the answer's signalling delay (R2 line bits, Q.931) plus detection.
  const first = heard.keys[0].atMs - heard.answeredAt!;
  const gap = heard.keys[1].atMs - heard.keys[0].atMs;
  expect(first).toBeGreaterThan(1200 - 300);
  expect(first).toBeLessThan(1200 + 500);
  expect(gap).toBeGreaterThan(1300 - 100);
  expect(gap).toBeLessThan(1300 + 200);
}

describe('callee audio on simulated E1 bearer channels', () => {
  it('PRI: ringback, then the keys the callee script presses, heard on the B-channel', async () => {
    // Virtual time as on China No.1: libpri's timers follow the rig's clock too.
    const clock = new VirtualClock(0);
    const population = new CalleePopulation({ seed: 3 });
    const rig = await buildPriRig({ spans: 1, seed: 3, population, logger: silentLogger, audio: {}, clock });
    const drive = <T>(p: Promise<T>) => runVirtual(clock, p, 3_600_000, () => rig.framesInFlight());
    try {
      await drive(rig.group.whenReady(15_000));
      const heard = listen(rig.group, rig.trunkAudio!, clock);
      population.override('13800000001', SCRIPTED);
      const res = await drive(rig.group.dial({ number: '13800000001' }));
      expect(res.outcome).toBe('answered');
      await drive(res.call!.ended);
      expectScriptedCall(heard);
    } finally {
      await rig.close();
    }
  });

  it('China No.1: ringback once the MF register is over, then the scripted keys', async () => {
    const clock = new VirtualClock(0);
    const population = new CalleePopulation({ seed: 4 });
    const rig = await buildR2Rig({ spans: 1, seed: 4, population, logger: silentLogger, clock, audio: {} });
    await runVirtual(clock, rig.group.whenReady(1000));
    const heard = listen(rig.group, rig.trunkAudio!, clock);
    population.override('13800000002', SCRIPTED);
    const res = await runVirtual(clock, rig.group.dial({ number: '13800000002' }));
    expect(res.outcome).toBe('answered');
    await runVirtual(clock, res.call!.ended);
    expectScriptedCall(heard);
    await rig.close();
  });

  it('China No.1: colour ring-back is music, never a tone or a voice', async () => {
    const clock = new VirtualClock(0);
    const population = new CalleePopulation({ seed: 4 });
    const rig = await buildR2Rig({ spans: 1, seed: 4, population, logger: silentLogger, clock, audio: {}, ringTimeoutSec: 30 });
    await runVirtual(clock, rig.group.whenReady(1000));
    const heard = listen(rig.group, rig.trunkAudio!, clock);
    population.override('13800000003', { kind: 'answer', ringMs: 10_000, talkMs: 3000, ringback: 'music', by: 'human' });
    const res = await runVirtual(clock, rig.group.dial({ number: '13800000003' }));
    res.call?.hangup();
    if (res.call) await runVirtual(clock, res.call.ended);
    const beforeAnswer = heard.progress.filter((p) => p.atMs < heard.answeredAt!).map((p) => p.cls);
    expect(beforeAnswer).toContain('music');
    expect(beforeAnswer).not.toContain('ringback');
    expect(beforeAnswer).not.toContain('voice');
    await rig.close();
  });

  it('PRI: a switched-off number is announced in early media (PROGRESS, in-band), then cleared with cause 20', async () => {
    const clock = new VirtualClock(0);
    const population = new CalleePopulation({ seed: 5 });
    const rig = await buildPriRig({ spans: 1, seed: 5, population, logger: silentLogger, audio: { earlyMediaMs: 6000 }, clock });
    const drive = <T>(p: Promise<T>) => runVirtual(clock, p, 3_600_000, () => rig.framesInFlight());
    try {
      await drive(rig.group.whenReady(15_000));
      const heard = listen(rig.group, rig.trunkAudio!, clock);
      population.override('13800000004', 'absent');
      const res = await drive(rig.group.dial({ number: '13800000004' }));
      expect(res).toMatchObject({ outcome: 'absent', cause: Q850.SUBSCRIBER_ABSENT });
      expect(heard.events).toContain('progress');
      expect(heard.progress.map((p) => p.cls)).toContain('announcement');
    } finally {
      await rig.close();
    }
  });
});
