/**
 * China No.7: calls per second through the controller over ISUP and TUP (wall
 * time, and virtual time; in-memory signalling link on TS16), MTP2 alignment time (virtual time,
 * normal and emergency proving), recovery after a link failure (realignment and
 * group reset), changeover to a second link, and leaked circuits over a long run
 * with link faults injected.
 */
import { FreeRunningClock } from '../simulator/analog/free-running-clock';
import { runSimulatedCalls } from '../simulator/call-run';
import { CalleePopulation } from '../simulator/callee-population';
import { buildNo7Rig } from '../simulator/ss7/no7-rig';
import { No7Rig } from '../simulator/ss7/no7-rig';
import { MemoryDChannelLink } from '../simulator/ports/memory-dchannel';
import { systemClock } from '../src/core/clock';
import { silentLogger } from '../src/core/logger';
import { Mtp2HdlcLink } from '../src/signalling/ss7/mtp2/mtp2-hdlc-link';
import { Mtp3Node } from '../src/signalling/ss7/mtp3/mtp3-node';
import { CHINA_MTP3, NI_NATIONAL, SI } from '../src/signalling/ss7/mtp3/routing-label';
import { Mtp2Wire } from '../simulator/ss7/mtp2-wire';
import { BenchContext, BenchSection } from './bench-table';

const CALLS = Number(process.env.NO7_BENCH_CALLS ?? 3000);
const FAULT_CALLS = Number(process.env.NO7_BENCH_FAULT_CALLS ?? 10_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(cond: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('no7 bench: condition not met');
    await sleep(2);
  }
}

const VIRTUAL_CALLS = Number(process.env.NO7_BENCH_VIRTUAL_CALLS ?? 5000);

/**
 * The same controller and No.7 stacks in virtual time (a FreeRunningClock: time jumps to
 * the next timer whenever nothing else is waiting): calls per virtual second is what the
 * 60 circuits carry with these holding times; calls per wall second is how fast the
 * controller and both stacks do the work when no timer has to wait.
 */
async function virtualCallRates(ctx?: BenchContext): Promise<BenchSection> {
  const rows: (string | number)[][] = [];
  const figures: Record<string, unknown> = {};
  for (const kind of ['ss7-isup', 'ss7-tup'] as const) {
    ctx?.step(`${kind}: ${VIRTUAL_CALLS} calls in virtual time`);
    const clock = new FreeRunningClock(0);
    clock.start();
    const population = new CalleePopulation({ seed: 7, ringSec: { dist: 'fixed', value: 0.05 }, talkSec: { dist: 'fixed', value: 0.2 } });
    const rig = await buildNo7Rig({ kind, spans: 2, seed: 7, population, logger: silentLogger, noAnswerMs: 300, clock });
    let next = 0;
    let done = 0;
    let answered = 0;
    const v0 = clock.now();
    const w0 = performance.now();
    // One worker per circuit: each places its next call as soon as its last one ends.
    const worker = async () => {
      while (next < VIRTUAL_CALLS) {
        const i = next++;
        const r = await rig.group.dial({ number: `138${String(i).padStart(8, '0')}` });
        if (r.call) {
          answered++;
          await r.call.ended;
        }
        done++;
      }
    };
    await Promise.all(Array.from({ length: rig.group.totalChannels() }, worker));
    const virtualSec = (clock.now() - v0) / 1000;
    const wallSec = (performance.now() - w0) / 1000;
    const leaked = rig.group.spans.reduce((n, s) => n + s.channels.filter((c) => c.state !== 'idle').length, 0);
    await rig.close();
    clock.stop();
    const row = {
      calls: done,
      answered,
      virtual_sec: Number(virtualSec.toFixed(2)),
      calls_per_virtual_sec: Math.round(done / virtualSec),
      wall_sec: Number(wallSec.toFixed(3)),
      calls_per_wall_sec: Math.round(done / wallSec),
      leaked,
    };
    rows.push([kind, done, answered, row.calls_per_virtual_sec, row.calls_per_wall_sec, leaked]);
    figures[kind] = row;
  }
  return {
    title: 'No.7 calls through the controller in virtual time (2 E1, 60 circuits, one caller per circuit)',
    columns: ['user part', 'calls', 'answered', 'calls / virtual s', 'calls / wall s', 'leaked'],
    rows,
    figures,
    notes: [
      'callees ring 50 ms and talk 200 ms; the ISUP exchange clears unanswered calls after 300 ms (TUP: SST, counted as absent)',
      'virtual calls/s is bounded by circuits x holding time; wall calls/s is the CPU cost of the controller and both stacks',
    ],
  };
}

async function callRates(ctx?: BenchContext): Promise<BenchSection> {
  const rows: (string | number)[][] = [];
  const figures: Record<string, unknown> = {};
  for (const signalling of ['ss7-isup', 'ss7-tup']) {
    ctx?.step(`${signalling}: ${CALLS} calls`);
    const s = await runSimulatedCalls({
      signalling,
      spans: 2,
      calls: CALLS,
      seed: 7,
      logger: silentLogger,
      noAnswerMs: 300,
      population: { talkSec: { dist: 'fixed', value: 0.2 }, ringSec: { dist: 'fixed', value: 0.05 } },
    });
    rows.push([signalling, s.attempts, s.outcomes.answered, s.calls_per_sec, s.leaked_channels]);
    figures[signalling] = s;
  }
  return {
    title: 'No.7 calls through the controller (2 E1, 60 circuits, wall time)',
    columns: ['user part', 'calls', 'answered', 'calls/s', 'leaked'],
    rows,
    figures,
    notes: ['callees ring 50 ms and talk 200 ms; the exchange clears unanswered calls after 300 ms'],
  };
}

function alignment(): BenchSection {
  const rows: (string | number)[][] = [];
  const figures: Record<string, number> = {};
  for (const [label, emergency] of [
    ['normal proving (T4n 8.5 s)', false],
    ['emergency proving (T4e 0.5 s)', true],
  ] as const) {
    for (const mode of ['mtp2', 'dchan'] as const) {
      const w = new Mtp2Wire(mode, { emergency });
      w.a.start(0);
      w.b.start(0);
      while (!(w.a.inService && w.b.inService) && w.now < 60_000) w.run(1);
      rows.push([label, mode, w.now]);
      figures[`${mode}/${emergency ? 'emergency' : 'normal'}_ms`] = w.now;
    }
  }
  return {
    title: 'MTP2 alignment time (virtual time, both ends start together)',
    columns: ['proving', 'DAHDI mode', 'ms to in service'],
    rows,
    figures,
  };
}

async function recovery(ctx?: BenchContext): Promise<BenchSection> {
  ctx?.step('link failure and recovery');
  const rows: (string | number)[][] = [];
  const figures: Record<string, number> = {};
  // One link: LOS, then the line comes back: realignment (emergency), link test, TRA, GRS/GRA.
  const rig = await buildNo7Rig({
    kind: 'ss7-isup',
    spans: 1,
    seed: 1,
    population: new CalleePopulation({ seed: 1 }),
    logger: silentLogger,
  });
  rig.injectFault('LINK_FAILURE');
  await until(() => !rig.group.spans[0].linkUp);
  const t0 = Date.now();
  rig.injectFault('LINK_FAILURE', { clear: true });
  await until(() => rig.group.idleChannels() === 30);
  rows.push(['single link: line restored -> 30 circuits idle', Date.now() - t0]);
  figures.single_link_recovery_ms = Date.now() - t0;
  await rig.close();

  // Two links: one fails under traffic; the other takes its traffic (changeover).
  const cables = [new MemoryDChannelLink(), new MemoryDChannelLink()];
  const link = (end: 'a' | 'b', i: number) =>
    new Mtp2HdlcLink({ name: `${end}${i}`, transport: cables[i][end], clock: systemClock, mode: 'mtp2', timers: { T4n: 400 } });
  const ours = new Mtp3Node({
    variant: CHINA_MTP3,
    ni: NI_NATIONAL,
    opc: 1,
    adjacent: 2,
    links: [link('a', 0), link('a', 1)],
    clock: systemClock,
    timers: { changeover: 100 },
  });
  const far = new Mtp3Node({
    variant: CHINA_MTP3,
    ni: NI_NATIONAL,
    opc: 2,
    adjacent: 1,
    links: [link('b', 0), link('b', 1)],
    clock: systemClock,
    timers: { changeover: 100 },
  });
  let received = 0;
  far.onEvent((e) => {
    if (e.type === 'user') received++;
  });
  ours.start();
  far.start();
  await until(() => ours.linkStates().every((l) => l.mtp3 === 'available') && far.up);
  let sent = 0;
  const pump = setInterval(() => {
    for (let i = 0; i < 16; i++) if (ours.send(SI.ISUP, 2, sent % 16, Uint8Array.of(sent & 0xff, 0, 1))) sent++;
  }, 2);
  await sleep(200);
  cables[0].cut('LOS');
  const cutAt = performance.now();
  const before = received;
  await until(() => ours.linkStates()[0].mtp3 === 'down');
  const detectMs = performance.now() - cutAt;
  // Changeover done: COA received, what link 0 held and the far end had not accepted sent on link 1.
  await until(() => ours.counters.changeoversCompleted === 1);
  const changeoverMs = performance.now() - cutAt;
  // Traffic of link 0's SLSs flowing again: the next MSU sent after the changeover reaches the far end.
  const mark = sent;
  await until(() => received > mark);
  const resumedMs = performance.now() - cutAt;
  await sleep(500);
  clearInterval(pump);
  await until(() => received >= sent - 0, 5_000).catch(() => undefined);
  const lost = sent - received;
  const ms = (x: number) => Number(x.toFixed(1));
  rows.push(['two links: failure detected (LOS alarm)', ms(detectMs)]);
  rows.push(['two links: changeover complete (COO/COA, buffer resent)', ms(changeoverMs)]);
  rows.push(['two links: traffic flowing again on the other link', ms(resumedMs)]);
  rows.push(['two links: MSUs lost across the changeover', lost]);
  rows.push(['two links: MSUs sent again (not accepted on the failed link)', ours.counters.rerouted]);
  rows.push(['two links: time-controlled changeovers (no COA in T2)', ours.counters.timeControlledChangeovers]);
  figures.changeover_detect_ms = ms(detectMs);
  figures.changeover_complete_ms = ms(changeoverMs);
  figures.changeover_traffic_resumed_ms = ms(resumedMs);
  figures.changeover_rerouted_msus = ours.counters.rerouted;
  figures.changeover_time_controlled = ours.counters.timeControlledChangeovers;
  figures.changeover_lost_msus = lost;
  figures.changeover_msus_during = received - before;
  ours.close();
  far.close();
  return { title: 'No.7 link failure and recovery (wall time, in memory)', columns: ['what', 'ms / count'], rows, figures };
}

async function faults(ctx?: BenchContext): Promise<BenchSection> {
  ctx?.step(`ss7-isup: ${FAULT_CALLS} calls with link faults`);
  let cuts = 0;
  let timer: NodeJS.Timeout | undefined;
  const s = await runSimulatedCalls({
    // 30 calls in flight: what one span can carry while the other's link is down (more would only count 'no free channel').
    signalling: 'ss7-isup',
    spans: 2,
    calls: FAULT_CALLS,
    concurrency: 30,
    seed: 11,
    logger: silentLogger,
    noAnswerMs: 300,
    population: { talkSec: { dist: 'fixed', value: 0.2 }, ringSec: { dist: 'fixed', value: 0.05 } },
    onRig: async (rig) => {
      // Every 3 s span 2's signalling link drops for 300 ms, calls in flight and all.
      timer = setInterval(() => {
        cuts++;
        (rig as No7Rig).injectFault('LINK_FAILURE', { span: 2 });
        setTimeout(() => (rig as No7Rig).injectFault('LINK_FAILURE', { span: 2, clear: true }), 300);
      }, 3000);
    },
  });
  clearInterval(timer);
  return {
    title: `No.7 ISUP, ${FAULT_CALLS} calls with the link of span 2 cut every 3 s`,
    columns: ['calls', 'link cuts', 'answered', 'cut off / other', 'leaked circuits', 'calls/s'],
    rows: [[s.attempts, cuts, s.outcomes.answered, s.outcomes.other, s.leaked_channels, s.calls_per_sec]],
    figures: { ...s, link_cuts: cuts },
  };
}

export async function run(ctx?: BenchContext): Promise<BenchSection[]> {
  return [await callRates(ctx), await virtualCallRates(ctx), alignment(), await recovery(ctx), await faults(ctx)];
}
