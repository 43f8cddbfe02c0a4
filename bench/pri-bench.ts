/**
 * PRI call setups + teardowns per second: two bare libpri instances back to back
 * (the ceiling), and the same traffic through the controller (TrunkGroup.dial,
 * Span, channel state machines, PriSpanSignalling) against the simulated network.
 */
import { PriInstance } from '../drivers/libpri/pri-instance';
import { MemoryDChannelLink } from '../simulator/ports/memory-dchannel';
import { CalleePopulation } from '../simulator/callee-population';
import { buildPriRig } from '../simulator/pri/pri-rig';
import { silentLogger } from '../src/core/logger';
import { E1_BEARERS } from '../src/core/timeslots';
import { BenchContext, BenchSection } from './bench-table';

const CALLS = Number(process.env.PRI_BENCH_CALLS ?? 20_000);

/** Bare libpri: CPE SETUP, NET CONNECT, CPE DISCONNECT, on all 30 channels at once. */
async function rawLibpri(calls: number): Promise<{ callsPerSec: number; ms: number }> {
  const link = new MemoryDChannelLink();
  const cpe = new PriInstance({ role: 'cpe', transport: link.a });
  const net = new PriInstance({ role: 'net', transport: link.b });
  let started = 0;
  let done = 0;
  let t0 = 0;
  return new Promise((resolve) => {
    const place = (channel: number) => {
      if (started >= calls) return;
      started++;
      cpe.setup({ channel, called: '13800138000', calling: '075512345678' });
    };
    cpe.onEvent((ev) => {
      if (ev.type === 'dchan-up') {
        t0 = performance.now();
        for (const ch of E1_BEARERS) place(ch);
      } else if (ev.type === 'answer') cpe.hangup(ev.call, 16);
      else if (ev.type === 'hangup') {
        cpe.hangup(ev.call, 16);
        done++;
        if (done === calls) {
          const ms = performance.now() - t0;
          cpe.close();
          net.close();
          resolve({ callsPerSec: (calls / ms) * 1000, ms });
        } else place(ev.channel!);
      }
    });
    net.onEvent((ev) => {
      if (ev.type === 'ring') net.answer(ev.call, ev.channel!);
      else if (ev.type === 'hangup-req' || ev.type === 'hangup') net.hangup(ev.call, 16);
    });
  });
}

/** The same traffic through the controller's dial API. */
async function throughController(
  calls: number,
  spans: number,
): Promise<{ callsPerSec: number; ms: number; leaked: number; rssMb: number }> {
  const population = new CalleePopulation({
    seed: 1,
    mix: { answer: 1, busy: 0, unallocated: 0, no_answer: 0, congestion: 0, absent: 0 },
    ringSec: { dist: 'fixed', value: 0 },
    talkSec: { dist: 'fixed', value: 3600 },
  });
  const rig = await buildPriRig({ spans, seed: 1, population, logger: silentLogger });
  let next = 0;
  const t0 = performance.now();
  const worker = async () => {
    while (next < calls) {
      next++;
      const r = await rig.group.dial({ number: '13800138000', callerId: '075512345678' });
      if (!r.call) throw new Error(`benchmark call not answered: ${r.outcome}`);
      r.call.hangup();
      await r.call.ended;
    }
  };
  await Promise.all(Array.from({ length: 30 * spans }, worker));
  const ms = performance.now() - t0;
  await new Promise((r) => setTimeout(r, 50));
  const leaked = rig.group.spans.reduce((n, s) => n + (s.channels.length - s.idleCount()), 0);
  await rig.close();
  return { callsPerSec: (calls / ms) * 1000, ms, leaked, rssMb: process.memoryUsage().rss / 2 ** 20 };
}

export async function run(ctx?: BenchContext): Promise<BenchSection[]> {
  ctx?.step(`two bare libpri instances, ${CALLS} calls`);
  const raw = await rawLibpri(CALLS);
  ctx?.step(`controller, 1 span, ${CALLS} calls`);
  const ctl1 = await throughController(CALLS, 1);
  ctx?.step(`controller, 2 spans, ${CALLS} calls`);
  const ctl2 = await throughController(CALLS, 2);
  return [
    {
      title: `PRI call setup + teardown (${CALLS} calls each, EuroISDN E1, in one process)`,
      columns: ['path', 'channels', 'calls/s', 'ms', 'vs bare libpri', 'leaked channels'],
      rows: [
        ['two bare libpri instances', 30, Math.round(raw.callsPerSec), Math.round(raw.ms), '1.00', '-'],
        [
          'controller, 1 span',
          30,
          Math.round(ctl1.callsPerSec),
          Math.round(ctl1.ms),
          (ctl1.callsPerSec / raw.callsPerSec).toFixed(2),
          ctl1.leaked,
        ],
        [
          'controller, 2 spans',
          60,
          Math.round(ctl2.callsPerSec),
          Math.round(ctl2.ms),
          (ctl2.callsPerSec / raw.callsPerSec).toFixed(2),
          ctl2.leaked,
        ],
      ],
      figures: {
        calls: CALLS,
        raw_libpri_calls_per_sec: raw.callsPerSec,
        controller_1span_calls_per_sec: ctl1.callsPerSec,
        controller_2span_calls_per_sec: ctl2.callsPerSec,
        ratio_1span: ctl1.callsPerSec / raw.callsPerSec,
        leaked: ctl1.leaked + ctl2.leaked,
        rss_mb_after: ctl2.rssMb,
      },
      notes: [
        'Each call: SETUP, CONNECT, DISCONNECT, RELEASE, RELEASE COMPLETE over an in-memory D-channel (Q.921 I-frames and RRs included).',
      ],
    },
  ];
}
