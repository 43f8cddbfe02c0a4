/**
 * `npm run bench -- soak`: SOAK_CALLS calls (default 10^5) per signalling kind while
 * the rig's whole fault catalogue fires at random (each kind every SOAK_FAULT_EVERY_MS,
 * default 3 s, conditions lasting 1 s). Goals: 0 leaked channels, every number
 * resolved, RSS growth under 20 MB from the end of the warm-up (the first 10% of
 * calls) to the end. Seats are not part of these rigs (stuck_seats is null); the
 * demo reports seats left busy. PRI runs in virtual time (libpri's timers fed from the
 * rig's clock), so its 10^5 calls take about a minute instead of over an hour.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { silentLogger } from '../src/core/logger';
import { runSoak } from '../simulator/soak-run';
import { BenchContext, BenchSection } from './bench-table';

const CALLS = Number(process.env.SOAK_CALLS ?? 100_000);
const KINDS = (process.env.SOAK_KINDS ?? 'pri,r2-cn,fxo').split(',');
const EVERY = Number(process.env.SOAK_FAULT_EVERY_MS ?? 3000);

/**
 * A full collection before each RSS reading: `npm run bench` runs node without
 * --expose-gc, and without one the readings hold whatever garbage (and the typed
 * arrays' backing stores it keeps) the last collection left, tens of MB either way.
 */
function collectGarbage(): void {
  if (!global.gc) {
    setFlagsFromString('--expose-gc');
    global.gc = runInNewContext('gc') as typeof global.gc;
  }
  global.gc!();
}

export async function run(ctx?: BenchContext): Promise<BenchSection[]> {
  const rows: (string | number)[][] = [];
  const figures: Record<string, unknown> = { calls: CALLS, faultEveryMs: EVERY };
  for (const kind of KINDS) {
    ctx?.step(`${kind}, ${CALLS} calls`);
    let warmRss = 0;
    const warmAt = Math.max(1, Math.floor(CALLS / 10));
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
        if (done === warmAt) {
          collectGarbage();
          warmRss = process.memoryUsage().rss / 2 ** 20;
        }
        if (done % 1000 === 0) ctx?.step(`${kind}, ${done}/${CALLS} calls, ${Math.round((Date.now() - t0) / 1000)} s`);
      },
    });
    collectGarbage();
    const endRss = process.memoryUsage().rss / 2 ** 20;
    const growth = endRss - warmRss;
    const faults = Object.entries(r.faults_injected)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
    rows.push([
      kind,
      r.attempts,
      r.resolved,
      r.leaked_channels,
      r.retried,
      faults,
      r.calls_per_sec,
      Math.round(warmRss * 10) / 10,
      Math.round(endRss * 10) / 10,
      Math.round(growth * 10) / 10,
    ]);
    figures[kind] = { ...r, rss_after_warmup_mb: warmRss, rss_end_after_gc_mb: endRss, rss_growth_after_warmup_mb: growth };
  }
  return [
    {
      title: `Faulted soak: ${CALLS} calls per signalling kind, the whole fault catalogue at random`,
      columns: [
        'signalling',
        'dials',
        'resolved',
        'leaked channels',
        'retried',
        'faults injected',
        'calls/s',
        'RSS after warm-up MB',
        'RSS end MB',
        'growth MB',
      ],
      rows,
      figures,
      notes: [
        'goals: 0 leaked channels, resolved = calls, growth < 20 MB after the first 10% of calls; stuck_seats is null (no seats in these rigs)',
        'RSS after warm-up and at the end are read right after a full garbage collection',
      ],
    },
  ];
}
