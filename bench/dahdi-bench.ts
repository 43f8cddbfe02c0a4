/**
 * DAHDI path throughput: A-law audio in 20 ms blocks through drivers/dahdi and the
 * userspace DAHDI (write, the simulated 8 kHz line, poll, read) for 1, 4 and 8 E1
 * spans, and DAHDI_GETRXBITS round trips. The work runs in a child process
 * started with LD_PRELOAD=libfakedahdi.so, as a board-less deployment would.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fakeDahdiLibraryPath } from '../simulator/dahdi/fake-dahdi-lib';
import { BenchContext, BenchSection } from './bench-table';

interface WorkerOutput {
  audio: {
    spans: number;
    channels: number;
    ticks: number;
    framesPerSec: number;
    realtimeFactor: number;
    cpuUsPerChannelSecond: number;
    lost: number;
  }[];
  ioctl: { callsPerSec: number };
}

export async function run(ctx?: BenchContext): Promise<BenchSection[]> {
  ctx?.step('audio path for 1, 4 and 8 spans, in a child with the userspace DAHDI');
  const res = spawnSync(process.execPath, [join(__dirname, 'dahdi-bench-worker.js')], {
    env: { ...process.env, LD_PRELOAD: fakeDahdiLibraryPath() },
    encoding: 'utf8',
    timeout: 600_000,
  });
  if (res.status !== 0) throw new Error(`DAHDI bench worker failed: ${res.stderr}`);
  const out = JSON.parse(res.stdout.trim().split('\n').pop()!) as WorkerOutput;
  return [
    {
      title: 'DAHDI audio path (userspace DAHDI): 20 ms A-law blocks, write + line + poll + read',
      columns: ['spans', 'channels', 'blocks/s', 'x real time', 'CPU per channel (% of a core)', 'blocks lost'],
      rows: out.audio.map((a) => [
        a.spans,
        a.channels,
        Math.round(a.framesPerSec),
        a.realtimeFactor,
        a.cpuUsPerChannelSecond / 10_000,
        a.lost,
      ]),
      figures: { audio: out.audio, ioctl: out.ioctl },
      notes: [
        `DAHDI_GETRXBITS through koffi and the interposed ioctl: ${Math.round(out.ioctl.callsPerSec).toLocaleString('en')} calls/s`,
        'x real time: how many times faster than 50 blocks/s per channel the loop ran; CPU includes the simulated line.',
      ],
    },
  ];
}
