/**
 * Fuzzing as bounded tests, while calls run: random and mutated D-channel frames
 * into the controller's libpri, and CAS bit flapping on an R2 span. Whatever the
 * junk does to the calls it hits, every dial must resolve and no channel may leak;
 * on PRI the log stays bounded and the span carries a clean call afterwards (this
 * found libpri re-establishing layer 2 without reporting it: PriSpanSignalling's probe).
 */
import { CalleePopulation } from '../simulator/callee-population';
import { buildR2Rig } from '../simulator/r2/r2-rig';
import { Rng } from '../simulator/random';
import { createLogger, LogRecord } from '../src/core/logger';
import { until as wallUntil, virtualPriRig } from './pri-harness';

jest.setTimeout(120_000);

function mutate(frame: Uint8Array, rng: Rng): Uint8Array {
  const r = rng.next();
  const out = Uint8Array.from(frame);
  if (r < 0.4) {
    for (let k = 0; k < 1 + Math.floor(rng.next() * 3); k++) out[Math.floor(rng.next() * out.length)] ^= 1 << Math.floor(rng.next() * 8);
    return out;
  }
  if (r < 0.6) return out.subarray(0, Math.max(1, Math.floor(rng.next() * out.length)));
  if (r < 0.8)
    return Uint8Array.from([...out, ...Array.from({ length: 1 + Math.floor(rng.next() * 30) }, () => Math.floor(rng.next() * 256))]);
  return Uint8Array.from({ length: 1 + Math.floor(rng.next() * 60) }, () => Math.floor(rng.next() * 256));
}

// In virtual time (libpri's timers too): the fuzz, the calls and libpri's recovery are one
// reproducible run, and take a fraction of the ~7 s they took on the wall clock.
it('PRI: 20,000 random and mutated frames into the D-channel while 120 calls run', async () => {
  const records: LogRecord[] = [];
  const logger = createLogger({ level: 'warn', sink: (r) => records.push(r) });
  const { rig, clock, run, sleep, until } = await virtualPriRig({ logger });
  await run(async () => {
    try {
      const span = rig.spans[0];
      const rng = new Rng('dchannel-fuzz');
      // A corpus of the network's real frames, to mutate.
      const corpus: Uint8Array[] = [];
      span.cable.netEnd.tap((dir, frame) => dir === 'tx' && corpus.length < 400 && corpus.push(Uint8Array.from(frame)));
      const l2: string[] = [];
      span.cpe.pri.onEvent((ev) => (ev.type === 'dchan-up' || ev.type === 'dchan-down') && l2.push(`${ev.type}@${sent}`));
      let sent = 0;
      let fuzzing = true;
      const fuzz = () => {
        for (let i = 0; i < 40 && sent < 20_000; i++, sent++) {
          const base = corpus.length ? corpus[Math.floor(rng.next() * corpus.length)] : Uint8Array.of(0x02, 0x01, 0x03);
          span.cable.netEnd.send(mutate(base, rng));
        }
        if (fuzzing) clock.setTimer(2, fuzz);
      };
      clock.setTimer(2, fuzz);
      const numbers = Array.from({ length: 120 }, (_, i) => `1390000${String(i).padStart(4, '0')}`);
      let next = 0;
      const outcomes: string[] = [];
      const worker = async () => {
        while (next < numbers.length) {
          const r = await rig.group.dial({ number: numbers[next++] });
          if (r.call) await r.call.ended;
          outcomes.push(r.outcome);
        }
      };
      await Promise.all(Array.from({ length: 10 }, worker));
      await until(() => sent >= 20_000, 60_000);
      fuzzing = false;
      const after: [string, Uint8Array][] = [];
      span.cable.netEnd.tap((dir, frame) => after.push([dir, Uint8Array.from(frame)]));
      expect(outcomes.length).toBe(120);
      // Whatever the junk tore down, the span comes back whole.
      await until(() => span.span.idleCount() === span.span.channels.length, 30_000).catch((err) => {
        throw new Error(
          `${(err as Error).message}: net link ${span.network.signalling.linkUp} l2 events ${l2.slice(-10).join(' ')} faults ${span.cpe.pri.faults} errors ${records
            .filter((r) => r.level === 'error')
            .map((r) => r.msg + String(r.fields.error))
            .slice(0, 3)
            .join('|')} frames after: ${after
            .map((f) => Buffer.from(f[1]).toString('hex') + f[0])
            .slice(-12)
            .join(' ')} ${JSON.stringify(span.span.counts())} link ${span.cpe.linkUp} held ${rig.heldLibpriCalls()} ${span.span.channels
            .filter((c) => c.state !== 'idle')
            .map((c) => `${c.number}:${c.state}`)
            .join(' ')}`,
        );
      });
      // Layer 2 may still be re-establishing from the last junk frames (T200/T203 run out after
      // the fuzz stops): the clean call is placed once the link has stayed up for 2 s.
      const settled = async () => {
        await until(() => span.cpe.linkUp && span.span.idleCount() === span.span.channels.length, 30_000);
        const downs = l2.length;
        await sleep(2000);
        return l2.length === downs && span.cpe.linkUp;
      };
      for (let i = 0; i < 5 && !(await settled()); i++);
      rig.population.override('13800000001', { kind: 'answer', ringMs: 20, talkMs: 20 });
      const clean = await rig.group.dial({ number: '13800000001' });
      expect(clean.outcome).toBe('answered');
      await clean.call!.ended;
      await until(() => span.span.idleCount() === span.span.channels.length, 10_000);
      // libpri's complaints are rate-limited: a few lines per kind, not one per frame.
      // ... and the junk did reach libpri.
      expect(records.filter((r) => r.msg.startsWith('libpri: ')).length).toBeGreaterThan(0);
      expect(records.filter((r) => r.msg.startsWith('libpri: ')).length).toBeLessThan(2000);
    } finally {
      await rig.close();
    }
  });
});

it('R2: CAS bits flapping on every channel while 40 calls run', async () => {
  const population = new CalleePopulation({ seed: 4, ringSec: { dist: 'fixed', value: 0.2 }, talkSec: { dist: 'fixed', value: 0.3 } });
  const rig = await buildR2Rig({
    spans: 1,
    seed: 4,
    population,
    logger: createLogger({ level: 'error', sink: () => undefined }),
    noAnswerMs: 1000,
  });
  try {
    const channels = rig.group.spans[0].channels.map((c) => c.number);
    const rng = new Rng('cas-flap');
    let hits = 0;
    const flap = setInterval(() => {
      for (let i = 0; i < 3; i++, hits++)
        rig.injectFault('CAS_HIT', { span: 1, channel: channels[Math.floor(rng.next() * channels.length)] });
    }, 5);
    const numbers = Array.from({ length: 40 }, (_, i) => `1380000${String(i).padStart(4, '0')}`);
    let next = 0;
    let resolved = 0;
    const worker = async () => {
      while (next < numbers.length) {
        const r = await rig.group.dial({ number: numbers[next++] });
        if (r.call) {
          const guard = setTimeout(() => r.call!.hangup(), 10_000);
          await r.call.ended;
          clearTimeout(guard);
        }
        resolved++;
      }
    };
    await Promise.all(Array.from({ length: 10 }, worker));
    clearInterval(flap);
    expect(resolved).toBe(40);
    expect(hits).toBeGreaterThan(100);
    const span = rig.group.spans[0];
    await wallUntil(() => span.idleCount() === span.channels.length, 30_000);
    // Not asserted yet (issue 18, reported): after such a storm the next call on a hit
    // channel can fail with cause 41, the simulated exchange's end of it left out of step.
  } finally {
    await rig.close();
  }
});
