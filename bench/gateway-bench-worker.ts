/**
 * One size of `npm run bench -- gateway`, in a child started with
 * LD_PRELOAD=libfakedahdi.so: the gateway from its composition root on N E1 PRI
 * spans of the userspace DAHDI, the simulated exchange behind them, telemetry on
 * (embedded broker), a fixed-ratio campaign that keeps the channels busy, and a
 * spandsp DTMF receiver on every bearer channel. Prints one JSON line.
 *
 * Latencies (performance.now(), same process): answer = the exchange's CONNECT
 * sent -> the call put through to a free seat; release = the exchange's DISCONNECT
 * sent -> our channel idle again (the span's released event).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DahdiChannel } from '../drivers/dahdi/dahdi-channel';
import { DtmfReceiver } from '../drivers/spandsp/dtmf';
import { SimulatedDahdi } from '../simulator/dahdi/simulated-dahdi';
import { SimulatedSite } from '../simulator/site/simulated-site';
import { CampaignStore } from '../src/campaign/campaign-store';
import { systemClock } from '../src/core/clock';
import { silentLogger } from '../src/core/logger';
import { decodeAlaw } from '../src/dsp/g711';
import { loadProfiles } from '../src/provisioning/board-profile';
import { siteFromSource } from '../src/provisioning/site-config';
import { YamlSource } from '../src/provisioning/yaml-source';
import { loadCampaignFile } from '../src/runtime/campaign-file';
import { openGateway } from '../src/runtime/gateway';

const spans = Number(process.argv[2]);
const seconds = Number(process.argv[3] ?? 10);

function siteYaml(n: number): string {
  const boards: string[] = [];
  for (let b = 0; b * 8 < n; b++) {
    const here = Math.min(8, n - b * 8);
    const profile =
      here === 1
        ? 'trunkpilot-sim-e1x1-s8'
        : here <= 2
          ? 'trunkpilot-sim-e1x2-s16'
          : here <= 4
            ? 'trunkpilot-sim-e1x4-s32'
            : 'trunkpilot-sim-e1x8-s64';
    const list = Array.from({ length: here }, (_, i) => `{ local: ${i + 1}, signalling: pri-cpe, trunkGroup: pstn }`).join(', ');
    boards.push(`  - { id: b${b}, profile: ${profile}, device: "sim:${b}", spans: [ ${list} ] }`);
  }
  const seats = n === 1 ? 8 : Math.min(64, n * 8);
  return `version: 1
site: bench
boards:
${boards.join('\n')}
seats: { board: b0, count: ${seats} }
answerGroups: [ { name: agents, strategy: least-recent, seats: 1-${seats} } ]
telemetry: { mqttPort: 0, dashboardPort: false }
simulation:
  seed: 1
  callees: { mix: { answer: 0.3, busy: 0.1, no_answer: 0.6, unallocated: 0, congestion: 0, absent: 0 }, ringSec: { dist: fixed, value: 1 }, talkSec: { dist: lognormal, median: 3, sigma: 0.3 }, noAnswerSec: 4 }
  agents: { wrapSec: { dist: fixed, value: 0.2 } }
`;
}

function quantile(xs: number[], q: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tp-gw-bench-'));
  const loaded = siteFromSource(YamlSource.fromText(siteYaml(spans), join(dir, 'site.yaml')), loadProfiles());
  // The line's own cost (the userspace DAHDI moving audio every 20 ms), counted apart.
  let lineMs = 0;
  const advance = SimulatedDahdi.prototype.advanceAudio;
  SimulatedDahdi.prototype.advanceAudio = function (this: SimulatedDahdi, ms: number) {
    const t = performance.now();
    advance.call(this, ms);
    lineMs += performance.now() - t;
  };
  // The campaign store's writes, timed on the event loop (what a synced commit there would cost every event behind it).
  let storeMs = 0;
  const storeCalls: number[] = [];
  for (const name of ['beginAttempt', 'endAttempt', 'recordDetails'] as const) {
    const fn = CampaignStore.prototype[name] as (...args: unknown[]) => unknown;
    (CampaignStore.prototype as unknown as Record<string, unknown>)[name] = function (this: CampaignStore, ...args: unknown[]) {
      const t = performance.now();
      try {
        return fn.apply(this, args);
      } finally {
        const d = performance.now() - t;
        storeMs += d;
        storeCalls.push(d);
      }
    };
  }
  const site = SimulatedSite.build(loaded, { clock: systemClock, logger: silentLogger });
  const answeredAt = new Map<string, number>();
  const hungUpAt = new Map<string, number>();
  site.networks.forEach((net, i) => {
    const sig = net.signalling;
    const answer = sig.answer.bind(sig);
    const hangup = sig.hangup.bind(sig);
    const channels = new Map<number, number>();
    sig.onEvent((ev) => {
      if (ev.type === 'offered') channels.set(ev.call.id, ev.channel);
    });
    const channelOf = (token: { id: number }) => channels.get(token.id);
    sig.answer = (t) => {
      answeredAt.set(`${i + 1}/${channelOf(t)}`, performance.now());
      answer(t);
    };
    sig.hangup = (t, c) => {
      hungUpAt.set(`${i + 1}/${channelOf(t)}`, performance.now());
      hangup(t, c);
    };
  });
  const gateway = await openGateway({
    site: loaded,
    dbPath: join(dir, 'gw.db'),
    clock: systemClock,
    logger: silentLogger,
    telemetry: { mqttPort: 0, httpPort: false },
    voice: site.voice,
    mediaBridge: site.mediaBridge,
  });
  site.staffSeats(gateway.seats!.seats);
  const group = gateway.trunks.group('pstn');
  await group.whenReady(30_000);

  const answerLat: number[] = [];
  const releaseLat: number[] = [];
  for (const g of gateway.seats!.answerGroups.values()) {
    g.distributor.onEvent((ev) => {
      if (ev.type !== 'connected' || ev.waitMs > 0) return;
      const t0 = answeredAt.get(`${ev.call.span}/${ev.call.channel}`);
      if (t0 !== undefined) answerLat.push(performance.now() - t0);
    });
  }
  for (const span of gateway.trunks.spans) {
    span.observeCalls((ev) => {
      if (ev.type !== 'released' || ev.by !== 'remote') return;
      const key = `${span.id}/${ev.channel}`;
      const t0 = hungUpAt.get(key);
      if (t0 !== undefined) releaseLat.push(performance.now() - t0);
      hungUpAt.delete(key);
    });
  }

  // DTMF detection on every bearer channel, as a broadcast campaign's key collection would run.
  const receivers: { ch: DahdiChannel; rx: DtmfReceiver }[] = [];
  let detectMs = 0;
  for (const slot of gateway.layout.spans) {
    for (let ts = 1; ts <= 31; ts++) {
      if (ts === 16) continue;
      const ch = DahdiChannel.open(slot.basechan + ts - 1, { blockSize: 160 });
      const rx = new DtmfReceiver();
      ch.onData((block) => {
        const t = performance.now();
        rx.feed(decodeAlaw(block));
        detectMs += performance.now() - t;
      });
      receivers.push({ ch, rx });
    }
  }

  const rows = ['number', ...Array.from({ length: 60_000 }, (_, i) => `137${String(i).padStart(8, '0')}`)];
  writeFileSync(join(dir, 'list.csv'), rows.join('\n') + '\n');
  writeFileSync(
    join(dir, 'c.yaml'),
    `id: bench\nmode: fixed-ratio\nratio: 10\ntrunkGroup: pstn\nanswerGroup: agents\ncontacts: list.csv\nringSeconds: 10\nretries: { busy: { maxAttempts: 1 }, no_answer: { maxAttempts: 1 } }\n`,
  );
  await gateway.campaigns!.add(loadCampaignFile(join(dir, 'c.yaml')));
  let attempts = 0;
  gateway.campaigns!.onAttempt(() => attempts++);
  await gateway.campaigns!.start('bench');

  // Warm up until the channels fill, then measure.
  await new Promise((r) => setTimeout(r, 5000));
  answerLat.length = 0;
  releaseLat.length = 0;
  lineMs = 0;
  detectMs = 0;
  storeMs = 0;
  storeCalls.length = 0;
  const a0 = attempts;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let busySum = 0;
  let busyN = 0;
  const sampler = setInterval(() => {
    busySum += gateway.busyChannels();
    busyN++;
  }, 250);
  // Event-loop lag: how late a 10 ms timer fires (what every event waits behind).
  const lags: number[] = [];
  let expected = performance.now() + 10;
  const lagTimer = setInterval(() => {
    const now = performance.now();
    lags.push(Math.max(0, now - expected));
    expected = now + 10;
  }, 10);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  clearInterval(sampler);
  clearInterval(lagTimer);
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const out = {
    spans,
    channels: group.totalChannels(),
    seats: gateway.seats!.seats.length,
    busyChannels: busyN ? busySum / busyN : 0,
    callsPerSec: ((attempts - a0) * 1000) / wallMs,
    cpuShare: cpuMs / wallMs,
    lineShare: lineMs / wallMs,
    detectShare: detectMs / wallMs,
    storeShare: storeMs / wallMs,
    storeCallP99: quantile(storeCalls, 0.99),
    storeCallMax: storeCalls.length ? Math.max(...storeCalls) : NaN,
    rssMb: process.memoryUsage().rss / 2 ** 20,
    answerP50: quantile(answerLat, 0.5),
    answerP99: quantile(answerLat, 0.99),
    answers: answerLat.length,
    releaseP50: quantile(releaseLat, 0.5),
    releaseP99: quantile(releaseLat, 0.99),
    releases: releaseLat.length,
    loopLagP99: quantile(lags, 0.99),
  };
  process.stdout.write(JSON.stringify(out) + '\n');
  for (const r of receivers) {
    r.ch.close();
    r.rx.close();
  }
  await gateway.close(2000);
  await site.close();
  process.exit(0);
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : err}\n`);
  process.exit(1);
});
