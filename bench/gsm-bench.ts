/**
 * GSM/LTE modem trunks: how fast the AT layer reads a modem's output (the line reader and
 * report parser, on clean traffic and on line noise with over-long lines), and calls per
 * second through the production AtModem + ModemSpanSignalling + TrunkGroup over the mock
 * serial binding against simulated modules, in free-running virtual time. A real module
 * places a call in seconds; these figures say how much of a core the controller's share
 * costs, not how fast a SIM can dial.
 */
import { AtLineReader } from '../drivers/modem/at-line-reader';
import { parseReport } from '../drivers/modem/at-reports';
import { silentLogger } from '../src/core/logger';
import { runSimulatedCalls } from '../simulator/call-run';
import { BenchContext, BenchSection } from './bench-table';
import { encodeAlaw } from '../src/dsp/g711';
import { ChannelPcmPort } from '../src/seats/channel-pcm-port';
import { SoftwareMediaBridge } from '../src/seats/software-media-bridge';
import { MemoryChannelAudio } from '../simulator/ports/memory-channel-audio';
import { MemoryPcmPort } from '../simulator/ports/memory-pcm-port';

const CLEAN = [
  '+QIND: "ccinfo",1,0,3,0,0,"13800138000",129',
  '+CLCC: 1,0,0,0,0,"13800138000",129',
  '+CSQ: 23,99',
  '+CREG: 2,1,"1A2B","00C3D4"',
  '^CEND:1,12,104,16',
  'RING',
  '+CLIP: "13900139000",129,"",0,"",0',
  'OK',
]
  .map((l) => `\r\n${l}\r\n`)
  .join('');
const NOISY = `\r\n\x00\x1b\xfe\xffnoise\r\n${'Z'.repeat(2048)}\r\n` + CLEAN;

function parseRate(text: string, rounds: number): { linesPerSec: number; mbPerSec: number; invalid: number } {
  const bytes = Buffer.from(text, 'latin1');
  const reader = new AtLineReader('bench', 512);
  let lines = 0;
  let invalid = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) {
    // Chunks as a USB serial port delivers them (64 bytes), not whole lines.
    for (let off = 0; off < bytes.length; off += 64) {
      for (const l of reader.push(bytes.subarray(off, off + 64))) {
        if (l.kind === 'invalid') invalid++;
        else {
          lines++;
          parseReport(l.text);
        }
      }
    }
  }
  const sec = Number(process.hrtime.bigint() - t0) / 1e9;
  return { linesPerSec: Math.round(lines / sec), mbPerSec: Math.round(((bytes.length * rounds) / sec / 1e6) * 100) / 100, invalid };
}

/**
 * Modem calls bridged to FXS seats in software: each 20 ms the module's frame is mixed to the
 * seat's channel (ChannelPcmPort: A-law, paced by the board) and the seat's block back. The
 * ports are in memory, so this is the controller's own cost per call, without serial or DAHDI I/O.
 */
async function bridgeCost(
  calls: number,
  seconds: number,
): Promise<{ calls: number; usPerCallSecond: number; coreShareAt100Calls: number }> {
  const trunks = Array.from({ length: calls }, (_, i) => new MemoryPcmPort(`module ${i}`));
  const seats = Array.from({ length: calls }, (_, i) => new MemoryChannelAudio(`seat ${i}`));
  const bridge = new SoftwareMediaBridge({
    trunk: (leg) => trunks[leg.channel - 1],
    seat: (e) => (e.kind === 'simulated' ? new ChannelPcmPort(seats[Number(e.id)]) : undefined),
    release: (_e, port) => void port.close(),
  });
  const conferences = await Promise.all(
    trunks.map((_, i) => bridge.bridge({ callId: `c${i}`, span: 1, channel: i + 1 }, { kind: 'simulated', id: String(i) })),
  );
  const frame = Int16Array.from({ length: 160 }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 8000)));
  const block = encodeAlaw(Int16Array.from({ length: 160 }, (_, i) => Math.round(6000 * Math.sin((2 * Math.PI * 600 * i) / 8000))));
  const steps = seconds * 50;
  const t0 = process.hrtime.bigint();
  for (let n = 0; n < steps; n++) {
    for (let i = 0; i < calls; i++) {
      trunks[i].say(frame);
      seats[i].deliver(block);
      seats[i].tick();
      trunks[i].heard.length = 0;
      seats[i].sent.length = 0;
    }
  }
  const sec = Number(process.hrtime.bigint() - t0) / 1e9;
  for (const c of conferences) await c.close();
  const usPerCallSecond = (sec * 1e6) / (calls * seconds);
  return { calls, usPerCallSecond: Math.round(usPerCallSecond), coreShareAt100Calls: Math.round(usPerCallSecond * 100) / 1e4 };
}

export async function run(ctx?: BenchContext): Promise<BenchSection[]> {
  ctx?.step('AT parsing');
  const clean = parseRate(CLEAN, 20000);
  const noisy = parseRate(NOISY, 5000);
  const calls: { modems: number; callsPerSec: number; leaked: number; answered: number; attempts: number }[] = [];
  for (const modems of [4, 16, 64]) {
    ctx?.step(`calls through ${modems} simulated modules`);
    const s = await runSimulatedCalls({ signalling: 'gsm', spans: 1, modems, calls: modems * 50, seed: 1, logger: silentLogger });
    calls.push({ modems, callsPerSec: s.calls_per_sec, leaked: s.leaked_channels, answered: s.outcomes.answered, attempts: s.attempts });
  }
  ctx?.step('software bridge to FXS seats');
  const bridged = [];
  for (const n of [1, 16, 64]) bridged.push(await bridgeCost(n, 20));
  return [
    {
      title: 'GSM: AT line reader + report parser (64-byte chunks)',
      columns: ['traffic', 'report lines/s', 'MB/s', 'typed errors per round'],
      rows: [
        ['clean (ccinfo, CLCC, CSQ, CREG, CEND, RING, CLIP, OK)', clean.linesPerSec, clean.mbPerSec, 0],
        ['line noise + a 2 kB line before the same', noisy.linesPerSec, noisy.mbPerSec, noisy.invalid / 5000],
      ],
      figures: { clean, noisy },
      notes: ["a module sends a few lines per call state change: parsing costs nothing against a SIM's call rate"],
    },
    {
      title: 'GSM: calls through the controller against simulated modules (mock serial binding, virtual time)',
      columns: ['modules', 'calls', 'answered', 'calls/s (wall)', 'leaked channels'],
      rows: calls.map((c) => [c.modems, c.attempts, c.answered, c.callsPerSec, c.leaked]),
      figures: { calls },
    },
    {
      title: 'GSM: modem calls bridged to FXS seats in software (memory ports, 20 s of audio per call)',
      columns: ['calls at once', 'CPU µs per call-second', '% of a core for 100 calls'],
      rows: bridged.map((b) => [b.calls, b.usPerCallSecond, b.coreShareAt100Calls]),
      figures: { bridged },
      notes: [
        'mixing, A-law both ways and the board-paced queue, plus the memory channels standing in for DAHDI; serial and DAHDI I/O not included',
      ],
    },
  ];
}
