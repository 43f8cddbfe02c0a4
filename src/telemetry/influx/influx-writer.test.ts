/**
 * InfluxWriter against a real Debian influxd started for the test: batches land,
 * and through an outage every point is either written or counted as dropped, with
 * the buffer never above its bound.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { systemClock, VirtualClock } from '../../core/clock';
import { e1Span, FixtureSource } from '../../../test-support/telemetry/fixture-source';
import { InfluxRecorder } from './influx-recorder';
import { InfluxdbServer } from '../../../test-support/telemetry/influxdb-server';
import { InfluxPoint } from './influx-schema';
import { InfluxWriter } from './influx-writer';

jest.setTimeout(60_000);

let influx: InfluxdbServer;
beforeAll(async () => {
  influx = await InfluxdbServer.start();
});
afterAll(async () => {
  await influx?.close();
});

const BASE = 1_700_000_000_000;
function points(from: number, n: number): InfluxPoint[] {
  return Array.from({ length: n }, (_, i) => ({
    measurement: 'channels' as const,
    tags: { gateway: 'gw1', span: '1' },
    fields: { seq: from + i, idle: 30 },
    timeMs: BASE + from + i,
  }));
}

async function countIn(db: string): Promise<{ count: number; minSeq: number }> {
  const r = await influx.query(db, 'SELECT count(seq), min(seq) FROM channels');
  const v = r.results[0].series?.[0].values[0];
  return v ? { count: Number(v[1]), minSeq: Number(v[2]) } : { count: 0, minSeq: -1 };
}

async function until(cond: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

it('creates the database and writes batches the server can query back', async () => {
  const writer = new InfluxWriter({
    url: influx.url,
    database: 'tp_batches',
    clock: systemClock,
    batchSize: 100,
    flushIntervalMs: 20,
    initialRetryMs: 50,
  });
  writer.write(points(0, 250));
  await until(() => writer.stats().written === 250, 10_000, 'all points written');
  expect(await countIn('tp_batches')).toEqual({ count: 250, minSeq: 0 });
  expect(writer.stats()).toMatchObject({ accepted: 250, written: 250, dropped: 0, rejected: 0, buffered: 0 });
  await writer.close();
});

it('accounts for every point through an outage: written or dropped, oldest dropped first, buffer bounded', async () => {
  const max = 1000;
  const writer = new InfluxWriter({
    url: influx.url,
    database: 'tp_outage',
    clock: systemClock,
    batchSize: 100,
    flushIntervalMs: 20,
    maxBufferedPoints: max,
    initialRetryMs: 50,
    maxRetryMs: 200,
    requestTimeoutMs: 1000,
  });
  writer.write(points(0, 300));
  await until(() => writer.stats().written === 300, 10_000, 'first points written');

  await influx.stop();
  let peak = 0;
  for (let i = 0; i < 20; i++) {
    writer.write(points(300 + i * 100, 100));
    peak = Math.max(peak, writer.stats().buffered);
    await new Promise((r) => setTimeout(r, 20));
  }
  await until(() => writer.stats().failures > 0, 5000, 'a failed attempt');
  const during = writer.stats();
  expect(during.buffered).toBeLessThanOrEqual(max);
  expect(peak).toBeLessThanOrEqual(max);
  expect(during.dropped).toBeGreaterThan(0);
  expect(during.written + during.dropped + during.buffered).toBe(2300);

  await influx.restart();
  await until(() => writer.stats().buffered === 0, 20_000, 'the buffer to drain after recovery');
  const after = writer.stats();
  expect(after.accepted).toBe(2300);
  expect(after.written + after.dropped + after.rejected).toBe(2300);
  expect(after.rejected).toBe(0);
  const stored = await countIn('tp_outage');
  expect(stored.count).toBe(after.written);
  // What is missing is exactly the dropped count, one contiguous run of the oldest
  // points that were waiting (the batch already in flight is retried, not dropped).
  const all = await influx.query('tp_outage', 'SELECT seq FROM channels');
  const present = new Set(all.results[0].series![0].values.map((v) => Number(v[1])));
  const missing = Array.from({ length: 2300 }, (_, i) => i).filter((i) => !present.has(i));
  expect(missing.length).toBe(after.dropped);
  expect(missing[0]).toBeGreaterThanOrEqual(300);
  expect(missing[missing.length - 1] - missing[0] + 1).toBe(missing.length);
  expect(present.has(2299)).toBe(true);
  await writer.close();
});

it('counts what could not be sent by close() as dropped', async () => {
  await influx.stop();
  try {
    const writer = new InfluxWriter({
      url: influx.url,
      database: 'tp_close',
      clock: systemClock,
      batchSize: 10,
      flushIntervalMs: 10,
      initialRetryMs: 20,
      requestTimeoutMs: 500,
    });
    writer.write(points(0, 35));
    await until(() => writer.stats().failures > 0, 5000, 'a failed attempt');
    await writer.close();
    expect(writer.stats()).toMatchObject({ accepted: 35, written: 0, dropped: 35, buffered: 0 });
  } finally {
    await influx.restart();
  }
});

/** Two samples of a small gateway (one span, two seats, one campaign) recorded into `db`. */
async function recordTwoSamples(db: string): Promise<void> {
  const source = new FixtureSource();
  source.spanList = [e1Span(1, 5)];
  source.seatList = [
    { seat: 's1', state: 'talking', campaign: 'spring', since: 0 },
    { seat: 's2', state: 'wrap-up', campaign: 'spring', since: 0 },
  ];
  source.campaignList = [
    { campaign: 'spring', state: 'running', total: 10, dialled: 4, answered: 2, answeredByPerson: 2, abandoned: 0, remaining: 6 },
  ];
  const acd = {
    answeredToday: 50,
    abandonedToday: 1,
    abandonmentToday: 0.02,
    answeredHour: 20,
    abandonedHour: 1,
    abandonmentHour: 0.05,
    asaMs: 800,
    serviceLevel: 0.9,
    callsPerHour: 120,
  };
  const figures = { abandonTarget: 0.03, waiting: 1, longestWaitMs: 700, acd };
  source.pacingList = [{ campaign: 'spring', dialLevel: 1.5, occupancy: 0.75, abandonment: 0, ...figures }];
  const clock = new VirtualClock(BASE);
  const writer = new InfluxWriter({ url: influx.url, database: db, clock: systemClock, flushIntervalMs: 10 });
  const recorder = new InfluxRecorder(source, writer, { gateway: 'gw1', clock, intervalMs: 10_000 });
  recorder.start();
  source.emit({ type: 'dialing', callId: 's1c31-1', span: 1, channel: 31, at: BASE, number: '13800138000' });
  source.emit({ type: 'answered', callId: 's1c31-1', span: 1, channel: 31, at: BASE });
  clock.advance(10_000);
  source.pacingList = [{ campaign: 'spring', dialLevel: 2, occupancy: 1, abandonment: 0.02, ...figures }];
  clock.advance(10_000);
  await until(() => writer.stats().written === 10, 5000, 'two samples written');
  recorder.close();
  await writer.close();
}

it('records the five measurements with only gateway, span and campaign as tags', async () => {
  await recordTwoSamples('tp_schema');
  const m = await influx.query('tp_schema', 'SHOW MEASUREMENTS');
  expect(m.results[0].series![0].values.flat().sort()).toEqual(['calls', 'channels', 'pacing', 'seats', 'span']);
  const tags = await influx.query('tp_schema', 'SHOW TAG KEYS');
  const keys = new Set(tags.results[0].series!.flatMap((s) => s.values.flat()));
  expect([...keys].sort()).toEqual(['campaign', 'gateway', 'span']);
  const calls = await influx.query('tp_schema', "SELECT dialled, answered, talking FROM calls WHERE span = '1'");
  expect(calls.results[0].series![0].values[0].slice(1)).toEqual([1, 1, 1]);
  const pacing = await influx.query('tp_schema', "SELECT occupancy, dial_level, remaining FROM pacing WHERE campaign = 'spring'");
  expect(pacing.results[0].series![0].values.map((v) => v.slice(1))).toEqual([
    [0.75, 1.5, 6],
    [1, 2, 6],
  ]);
  const seats = await influx.query('tp_schema', 'SELECT total, talking, wrap_up FROM seats');
  expect(seats.results[0].series![0].values[0].slice(1)).toEqual([2, 1, 1]);
  const all = JSON.stringify(await influx.query('tp_schema', 'SELECT * FROM /.*/'));
  expect(all).not.toContain('13800138000');
  expect(all).not.toContain('s1c31-1');
});

it('records the inbound queues by answer group: counts as integers, the service level as a float', async () => {
  const source = new FixtureSource();
  source.queueList = [
    {
      answerGroup: 'sales',
      waiting: 2,
      longestWaitMs: 5200,
      offered: 9,
      refusedFull: 1,
      connected: 5,
      connectedWithinTarget: 4,
      abandonedInQueue: 1,
      timedOut: 0,
      serviceLevel: 4 / 6,
    },
  ];
  const clock = new VirtualClock(BASE);
  const writer = new InfluxWriter({ url: influx.url, database: 'tp_queues', clock: systemClock, flushIntervalMs: 10 });
  const recorder = new InfluxRecorder(source, writer, { gateway: 'gw1', clock, intervalMs: 10_000 });
  recorder.start();
  clock.advance(10_000);
  await until(() => writer.stats().written === 1, 5000, 'one queue sample written');
  recorder.close();
  await writer.close();
  const r = await influx.query(
    'tp_queues',
    "SELECT waiting, longest_wait_ms, refused_full, abandoned_in_queue, service_level FROM queues WHERE answer_group = 'sales'",
  );
  const [, waiting, longest, refused, abandoned, level] = r.results[0].series![0].values[0];
  expect([waiting, longest, refused, abandoned]).toEqual([2, 5200, 1, 1]);
  expect(level).toBeCloseTo(0.6667, 3);
});

it('ships a Grafana dashboard whose every query runs against the schema and finds data', async () => {
  await recordTwoSamples('tp_grafana');
  const dash = JSON.parse(readFileSync(join(__dirname, '../grafana/trunkpilot-influxdb.json'), 'utf8'));
  const vars = (q: string) =>
    q
      .replace(/\$timeFilter/g, `time >= ${BASE - 60_000}ms AND time <= ${BASE + 60_000}ms`)
      .replace(/\$__interval/g, '10s')
      .replace(/\$gateway/g, 'gw1')
      .replace(/\$campaign/g, 'spring');
  const queries: string[] = dash.panels.flatMap((p: { targets: { query: string }[] }) => p.targets.map((t) => t.query));
  expect(queries.length).toBeGreaterThanOrEqual(10);
  for (const q of queries) {
    const r = await influx.query('tp_grafana', vars(q));
    expect({ q, error: r.results[0].error }).toEqual({ q, error: undefined });
    expect({ q, rows: (r.results[0].series ?? []).length > 0 }).toEqual({ q, rows: true });
  }
  for (const v of dash.templating.list.filter((t: { type: string }) => t.type === 'query')) {
    const r = await influx.query('tp_grafana', vars(v.query));
    expect(r.results[0].series?.[0].values.map((x) => x[1])).toEqual([v.name === 'gateway' ? 'gw1' : 'spring']);
  }
});
