/**
 * `npm run bench -- gateway`: the gateway (src/runtime's composition root) on the
 * userspace DAHDI at 1, 8, 16 and 32 E1 PRI spans in real time, each size in its own
 * child with LD_PRELOAD=libfakedahdi.so (see gateway-bench-worker.ts). The goal:
 * 32 spans (960 channels) on one core with p99 under 10 ms.
 * GATEWAY_BENCH_SPANS=1,8 and GATEWAY_BENCH_SECONDS=10 choose the sizes and the run.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fakeDahdiLibraryPath } from '../simulator/dahdi/fake-dahdi-lib';
import { BenchContext, BenchSection } from './bench-table';

interface WorkerResult {
  spans: number;
  channels: number;
  seats: number;
  busyChannels: number;
  callsPerSec: number;
  cpuShare: number;
  lineShare: number;
  detectShare: number;
  rssMb: number;
  storeShare: number;
  storeCallP99: number;
  storeCallMax: number;
  answerP50: number;
  answerP99: number;
  answers: number;
  releaseP50: number;
  releaseP99: number;
  releases: number;
  loopLagP99: number;
}

export async function run(ctx?: BenchContext): Promise<BenchSection[]> {
  const sizes = (process.env.GATEWAY_BENCH_SPANS ?? '1,8,16,32').split(',').map(Number);
  const seconds = Number(process.env.GATEWAY_BENCH_SECONDS ?? 10);
  const results: (WorkerResult | { spans: number; error: string })[] = [];
  for (const n of sizes) {
    ctx?.step(`${n} span(s), ${seconds} s after a 5 s warm-up`);
    const res = spawnSync(process.execPath, [join(__dirname, 'gateway-bench-worker.js'), String(n), String(seconds)], {
      env: { ...process.env, LD_PRELOAD: fakeDahdiLibraryPath() },
      encoding: 'utf8',
      timeout: (seconds + 90) * 1000,
    });
    const line = res.stdout?.trim().split('\n').pop();
    if (res.status !== 0 || !line)
      results.push({ spans: n, error: (res.stderr || `exit ${res.status} ${res.signal ?? ''}`).trim().split('\n').slice(-3).join(' ') });
    else results.push(JSON.parse(line) as WorkerResult);
  }
  const pct = (x: number) => `${(100 * x).toFixed(0)} %`;
  const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '-');
  return [
    {
      title:
        'Gateway on the userspace DAHDI: E1 PRI spans in real time, fixed-ratio dialling, DTMF detection on every bearer, telemetry on',
      columns: [
        'spans',
        'channels',
        'busy (mean)',
        'calls/s',
        'CPU (of a core)',
        'of which line',
        'of which DTMF',
        'RSS MB',
        'answer->seat p50/p99 ms',
        'release->idle p50/p99 ms',
        'loop lag p99 ms',
        'store writes on the loop: share / call p99 / max ms',
      ],
      rows: results.map((r) =>
        'error' in r
          ? [r.spans, '-', '-', '-', '-', '-', '-', '-', '-', '-', `failed: ${r.error.slice(0, 80)}`, '-']
          : [
              r.spans,
              r.channels,
              Math.round(r.busyChannels),
              Number(r.callsPerSec.toFixed(1)),
              pct(r.cpuShare),
              pct(r.lineShare),
              pct(r.detectShare),
              Math.round(r.rssMb),
              `${ms(r.answerP50)} / ${ms(r.answerP99)}`,
              `${ms(r.releaseP50)} / ${ms(r.releaseP99)}`,
              ms(r.loopLagP99),
              `${(100 * r.storeShare).toFixed(1)} % / ${ms(r.storeCallP99)} / ${ms(r.storeCallMax)}`,
            ],
      ),
      figures: { seconds, results },
      notes: [
        'One process holds the gateway and the simulated exchange (libpri NET per span) and the userspace DAHDI: CPU counts all three; "line" is the DAHDI model moving audio, measured apart; the exchange is not.',
        'answer->seat: the exchange sends CONNECT -> the call is put through to a ready seat (simulated seats, SimulatedMediaBridge); release->idle: the exchange sends DISCONNECT -> our channel is idle.',
        "store writes: time the event loop spent in the campaign store's attempt writes (begin, end, details); its sync to disk runs on the thread pool and is not counted.",
        'Goal: 32 spans (960 channels) on one core (CPU < 100 %) with p99 < 10 ms.',
      ],
    },
  ];
}
