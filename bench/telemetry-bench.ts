/**
 * What telemetry costs on a busy gateway: 240 channels (8 E1 spans) and 64 seats
 * under a busy campaign, published once a second through the embedded broker to a
 * dashboard-like subscriber of trunkpilot/<gw>/#. Each load runs twice, without and
 * with telemetry, so the CPU and memory columns can be read as the difference.
 * TELEMETRY_BENCH_SECONDS sets the measuring time per run (default 12).
 */
import mqtt from 'mqtt';
import { systemClock } from '../src/core/clock';
import { hashPassword } from '../src/telemetry/broker/credentials';
import { EmbeddedBroker } from '../src/telemetry/broker/embedded-broker';
import { MqttTelemetryPublisher } from '../src/telemetry/mqtt-publisher';
import { BenchContext, BenchSection } from './bench-table';
import { BusyGateway } from './telemetry-busy-gateway';

const SECONDS = Number(process.env.TELEMETRY_BENCH_SECONDS ?? 12);
const WARMUP_MS = 3000;

interface Figures {
  load: string;
  telemetry: boolean;
  callEventsPerSec: number;
  messagesPerSec: number;
  kbytesPerSec: number;
  receivedPerSec: number;
  cpuPercent: number;
  rssMb: number;
  heapGrowthMb: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function measure(load: string, speedup: number, telemetry: boolean): Promise<Figures> {
  const gw = new BusyGateway({ spans: 8, seats: 64, speedup, seed: 'telemetry-bench' });
  let broker: EmbeddedBroker | undefined;
  let publisher: MqttTelemetryPublisher | undefined;
  let subscriber: mqtt.MqttClient | undefined;
  let received = 0;
  if (telemetry) {
    broker = await EmbeddedBroker.start({
      host: '127.0.0.1',
      port: 0,
      users: {
        trunkpilot: { passwordHash: hashPassword('bench'), role: 'operator' },
        watcher: { passwordHash: hashPassword('watch'), role: 'viewer' },
      },
      serviceUser: 'trunkpilot',
    });
    publisher = new MqttTelemetryPublisher(gw, {
      url: broker.url,
      gateway: 'bench',
      clock: systemClock,
      username: 'trunkpilot',
      password: 'bench',
      intervalMs: 1000,
    });
    await publisher.start();
    subscriber = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0, username: 'watcher', password: 'watch' });
    subscriber.on('message', () => received++);
    await subscriber.subscribeAsync('trunkpilot/bench/#');
  }
  gw.start();
  await sleep(WARMUP_MS);
  global.gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const events0 = gw.callEvents;
  const msgs0 = publisher?.stats() ?? { messages: 0, bytes: 0 };
  const recv0 = received;
  let rssPeak = 0;
  for (let i = 0; i < SECONDS * 4; i++) {
    await sleep(250);
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  }
  const secs = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const msgs1 = publisher?.stats() ?? { messages: 0, bytes: 0 };
  global.gc?.();
  const heap1 = process.memoryUsage().heapUsed;
  const figures: Figures = {
    load,
    telemetry,
    callEventsPerSec: (gw.callEvents - events0) / secs,
    messagesPerSec: (msgs1.messages - msgs0.messages) / secs,
    kbytesPerSec: (msgs1.bytes - msgs0.bytes) / 1024 / secs,
    receivedPerSec: (received - recv0) / secs,
    cpuPercent: ((cpu.user + cpu.system) / 1000 / (secs * 1000)) * 100,
    rssMb: rssPeak / 2 ** 20,
    heapGrowthMb: (heap1 - heap0) / 2 ** 20,
  };
  gw.stop();
  await subscriber?.endAsync(true);
  await publisher?.close();
  await broker?.close();
  await sleep(200);
  return figures;
}

export async function run(ctx?: BenchContext): Promise<BenchSection[]> {
  const rows: Figures[] = [];
  for (const [load, speedup] of [
    ['busy campaign', 1],
    ['busy campaign x10', 10],
  ] as const) {
    ctx?.step(`${load}, telemetry off (${SECONDS} s)`);
    rows.push(await measure(load, speedup, false));
    ctx?.step(`${load}, telemetry on (${SECONDS} s)`);
    rows.push(await measure(load, speedup, true));
  }
  return [
    {
      title: `Telemetry cost: 240 channels, 64 seats, ${SECONDS} s per run (MQTT state every 1 s, embedded broker, one subscriber to #)`,
      columns: ['load', 'telemetry', 'call events/s', 'MQTT msgs/s', 'kB/s', 'delivered/s', 'CPU %', 'peak RSS MB', 'heap growth MB'],
      rows: rows.map((r) => [
        r.load,
        r.telemetry ? 'on' : 'off',
        r.callEventsPerSec,
        r.messagesPerSec,
        r.kbytesPerSec,
        r.receivedPerSec,
        r.cpuPercent,
        r.rssMb,
        r.heapGrowthMb,
      ]),
      figures: { runs: rows },
      notes: [
        'CPU % is the whole process (model + broker + publisher + subscriber) over wall time; the telemetry cost is the on/off difference.',
        'Heap growth is measured after warm-up with gc() when node runs with --expose-gc, so small negative values are noise.',
      ],
    },
  ];
}
