/**
 * History end to end: startTelemetry with InfluxDB on real controller Spans (over
 * the virtual trunks, in virtual time) writing to a real influxd.
 */
import { buildVirtualTrunks, runFor, testScenario } from '../../../simulator/virtual-trunk/virtual-rig';
import { startTelemetry } from '../start-telemetry';
import { InfluxdbServer } from '../../../test-support/telemetry/influxdb-server';

jest.setTimeout(30_000);

it('records channel states and call counters of the live spans', async () => {
  const influx = await InfluxdbServer.start();
  const trunks = buildVirtualTrunks(testScenario({ lines: 4, talk_sec: { dist: 'fixed', value: 30 } }), 5);
  const t = await startTelemetry({
    group: trunks.group,
    clock: trunks.clock,
    gateway: 'hist',
    mqttPort: 0,
    httpPort: false,
    influx: { url: influx.url, database: 'hist', intervalMs: 10_000 },
  });
  try {
    await runFor(trunks.clock, 5_000);
    const dial = trunks.group.dial({ number: '13800138000' });
    await runFor(trunks.clock, 10_000);
    const result = await dial;
    expect(result.outcome).toBe('answered');
    await runFor(trunks.clock, 20_000);
    result.call!.hangup();
    await runFor(trunks.clock, 60_000);
    // Requests are real, their flush and retry timers run on the virtual clock.
    for (let i = 0; i < 200 && t.influx!.writer.stats().buffered > 0; i++) {
      await t.influx!.writer.flush();
      await runFor(trunks.clock, 1000);
      await new Promise((r) => setTimeout(r, 10));
    }
    const stats = t.influx!.writer.stats();
    expect(stats).toMatchObject({ dropped: 0, rejected: 0, buffered: 0 });

    const calls = await influx.query(
      'hist',
      "SELECT last(dialled), last(answered), last(talking) FROM calls WHERE gateway = 'hist' GROUP BY span",
    );
    const bySpan = calls.results[0].series!.map((s) => [s.tags!.span, ...s.values[0].slice(1)]);
    expect(bySpan.filter(([, dialled]) => dialled === 1)).toEqual([[String(result.span), 1, 1, 0]]);
    // While the call was up, one channel of its span was connected.
    const connected = await influx.query('hist', `SELECT max(connected) FROM channels WHERE span = '${result.span}'`);
    expect(connected.results[0].series![0].values[0][1]).toBe(1);
    // Each sample is one span, one channels and one calls point per span (no seats or campaigns here).
    const samples = await influx.query('hist', 'SELECT count(link_up) FROM span');
    expect(3 * Number(samples.results[0].series![0].values[0][1])).toBe(stats.written);
  } finally {
    await t.close();
    await influx.close();
  }
});
