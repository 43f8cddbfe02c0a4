/**
 * Runs inside a process started with LD_PRELOAD=libfakedahdi.so (see
 * dahdi-bench.ts): drives the DAHDI audio path as fast as it goes and prints
 * the figures as one JSON line.
 */
import { DahdiChannel } from '../drivers/dahdi/dahdi-channel';
import { SimulatedDahdi } from '../simulator/dahdi/simulated-dahdi';

interface AudioFigures {
  spans: number;
  channels: number;
  ticks: number;
  framesPerSec: number;
  realtimeFactor: number;
  cpuUsPerChannelSecond: number;
  lost: number;
}

async function audio(spans: number, seconds: number): Promise<AudioFigures> {
  const sim = SimulatedDahdi.attach();
  const channels: DahdiChannel[] = [];
  for (let s = 0; s < spans; s++) {
    const span = sim.addSpan('e1-ccs');
    for (const ch of span.bearers) channels.push(DahdiChannel.open(ch));
  }
  let received = 0;
  for (const c of channels) c.onData(() => received++);
  const block = new Uint8Array(160).fill(0x55);
  const ticks = seconds * 50;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let t = 0; t < ticks; t++) {
    for (const c of channels) c.writeAudio(block);
    sim.advanceAudio(20);
    const want = (t + 1) * channels.length;
    while (received < want) await new Promise((r) => setImmediate(r));
  }
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  for (const c of channels) c.close();
  sim.reset();
  const framesPerSec = (ticks * channels.length * 1000) / ms;
  const audioSeconds = ticks / 50;
  return {
    spans,
    channels: channels.length,
    ticks,
    framesPerSec,
    realtimeFactor: audioSeconds / (ms / 1000),
    // CPU to carry one channel for one second of audio (write 50 blocks, read 50 blocks, the simulated line).
    cpuUsPerChannelSecond: (cpu.user + cpu.system) / (channels.length * audioSeconds),
    lost: ticks * channels.length - received,
  };
}

function ioctlRate(calls: number): { callsPerSec: number } {
  const sim = SimulatedDahdi.attach();
  const span = sim.addSpan('e1-cas');
  const ch = DahdiChannel.open(span.bearers[0]);
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) ch.rxBits();
  const ms = performance.now() - t0;
  ch.close();
  sim.reset();
  return { callsPerSec: (calls * 1000) / ms };
}

async function main(): Promise<void> {
  const seconds = Number(process.env.DAHDI_BENCH_SECONDS ?? 20);
  const results = [];
  for (const spans of [1, 4, 8]) results.push(await audio(spans, seconds));
  process.stdout.write(JSON.stringify({ audio: results, ioctl: ioctlRate(200_000) }) + '\n');
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
