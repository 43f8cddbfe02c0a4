/**
 * `npm run bench -- soak`: SOAK_CALLS calls (default 10^5) per signalling kind while
 * the rig's whole fault catalogue fires at random (each kind every SOAK_FAULT_EVERY_MS,
 * default 3 s, conditions lasting 1 s). Goals: 0 leaked channels, every number
 * resolved, RSS growth under 20 MB from the end of the warm-up (the first 10% of
 * calls) to the last call's result, and 0 stuck seats: answered calls go to 10 seats with
 * simulated agents (simulator/soak-seats.ts), so faults hit calls that are on seats.
 * SOAK_KINDS picks kinds (default every simulated one). PRI (libpri's timers fed from the
 * rig's clock), r2-cn, ss7-isup and ss7-tup run in virtual time driven as fast as frames allow,
 * so their 10^5 calls take minutes instead of hours (2026-12-06, 2 shared cores: r2-cn about
 * 4 min, ss7-isup/ss7-tup under 30 s). fxo runs on its own free-running clock; its cost is the
 * simulated line's audio (music and noise synthesis, about half its CPU), about 85 calls/s.
 *
 * Memory is read with settledMemory() (settled-memory.ts: two collections, V8's page
 * release waited for, glibc trimmed) at every tenth of the calls, the rig still live
 * at each: the end reading used to be taken after the rig was closed (which would
 * free a leak held by the spans) and right after gc(), before V8 had returned the
 * freed pages, which read up to 25 MB high at random. Growth includes the simulated
 * callees' record of each number dialled (about 4 MB at 10^5 numbers). In a short run
 * the warm-up can end before V8 has grown its young generation to full size (32
 * MB, seen between 2,000 and 4,000 calls), which then shows as RSS growth once: judge
 * short runs by the JS heap and malloc figures beside it.
 */
import { silentLogger } from '../src/core/logger';
import { runSoak } from '../simulator/soak-run';
import { BenchContext, BenchSection } from './bench-table';
import { MemoryReading, settledMemory } from './settled-memory';

const CALLS = Number(process.env.SOAK_CALLS ?? 100_000);
const KINDS = (process.env.SOAK_KINDS ?? 'pri,r2-cn,fxo,ss7-isup,ss7-tup,gsm').split(',');
const EVERY = Number(process.env.SOAK_FAULT_EVERY_MS ?? 3000);

export async function run(ctx?: BenchContext): Promise<BenchSection[]> {
  const rows: (string | number)[][] = [];
  const figures: Record<string, unknown> = { calls: CALLS, faultEveryMs: EVERY };
  for (const kind of KINDS) {
    ctx?.step(`${kind}, ${CALLS} calls`);
    const tenth = Math.max(1, Math.floor(CALLS / 10));
    /** From the end of the warm-up (the first tenth) to the last call, the rig live at each. */
    const readings: (MemoryReading & { calls: number })[] = [];
    const t0 = Date.now();
    const r = await runSoak({
      signalling: kind,
      calls: CALLS,
      seed: 1,
      faults: true,
      faultEveryMs: EVERY,
      faultForMs: 1000,
      logger: silentLogger,
      onProgress: (done) => {
        if (done % tenth === 0 || done === CALLS) readings.push({ calls: done, ...settledMemory() });
        if (done % 1000 === 0) ctx?.step(`${kind}, ${done}/${CALLS} calls, ${Math.round((Date.now() - t0) / 1000)} s`);
      },
    });
    const warm = readings[0];
    const end = readings[readings.length - 1];
    const warmRss = warm?.rssMb ?? NaN;
    const endRss = end?.rssMb ?? NaN;
    // What the JS heap really holds: RSS also counts heap pages V8 keeps reserved.
    const heapUsed = end?.heapUsedMb ?? NaN;
    const growth = endRss - warmRss;
    const faults = Object.entries(r.faults_injected)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
    rows.push([
      kind,
      r.attempts,
      r.resolved,
      r.leaked_channels,
      r.stuck_seats ?? '-',
      r.seats ? `${r.seats.connected} (${r.seats.ended_by.fault} by fault)` : '-',
      r.retried,
      faults,
      r.calls_per_sec,
      Math.round(warmRss * 10) / 10,
      Math.round(endRss * 10) / 10,
      Math.round(growth * 10) / 10,
      Math.round(heapUsed * 10) / 10,
    ]);
    figures[kind] = {
      ...r,
      rss_after_warmup_mb: warmRss,
      rss_end_mb_settled: endRss,
      rss_growth_after_warmup_mb: growth,
      rss_peak_after_warmup_mb: Math.max(...readings.map((m) => m.rssMb)),
      js_heap_growth_after_warmup_mb: end && warm ? end.heapUsedMb - warm.heapUsedMb : null,
      malloc_growth_after_warmup_mb:
        end?.mallocInUseMb != null && warm?.mallocInUseMb != null ? end.mallocInUseMb - warm.mallocInUseMb : null,
      memory_readings: readings,
    };
  }
  return [
    {
      title: `Faulted soak: ${CALLS} calls per signalling kind, the whole fault catalogue at random`,
      columns: [
        'signalling',
        'dials',
        'resolved',
        'leaked channels',
        'stuck seats',
        'on seats',
        'retried',
        'faults injected',
        'calls/s',
        'RSS after warm-up MB',
        'RSS end MB',
        'growth MB',
        'heap used MB',
      ],
      rows,
      figures,
      notes: [
        'goals: 0 leaked channels, 0 stuck seats, resolved = calls, growth < 20 MB after the first 10% of calls',
        'on seats: answered calls connected to one of 10 seats, and how many of those a line fault ended',
        'every kind runs in virtual time (pri, r2-cn, ss7-* driven by the run; gsm and fxo free-running): faults come every SOAK_FAULT_EVERY_MS of virtual time, far denser per wall second',
        'memory read at each tenth of the calls with the rig live, after two full collections, V8 returning freed pages and malloc_trim (bench/settled-memory.ts); figures hold the JS heap and malloc in use at each',
      ],
    },
  ];
}
