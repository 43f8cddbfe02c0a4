/**
 * China No.7: calls per second through the controller over ISUP and TUP (wall
 * time, in-memory signalling link on TS16), MTP2 alignment time (virtual time,
 * normal and emergency proving), recovery after a link failure (realignment and
 * group reset), changeover to a second link, and leaked circuits over a long run
 * with link faults injected.
 */
import { runSimulatedCalls } from '../simulator/call-run';
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
  const { buildNo7Rig } = await import('../simulator/ss7/no7-rig');
  const { CalleePopulation } = await import('../simulator/callee-population');
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
  const cutAt = Date.now();
  const before = received;
  await until(() => ours.linkStates()[0].mtp3 === 'down');
  const detectMs = Date.now() - cutAt;
  await sleep(500);
  clearInterval(pump);
  await until(() => received >= sent - 0, 5_000).catch(() => undefined);
  const lost = sent - received;
  rows.push(['two links: failure detected (LOS alarm)', detectMs]);
  rows.push(['two links: MSUs lost across the changeover', lost]);
  figures.changeover_detect_ms = detectMs;
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
  return [await callRates(ctx), alignment(), await recovery(ctx), await faults(ctx)];
}
