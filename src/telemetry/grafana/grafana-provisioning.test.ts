/**
 * The Grafana provisioning beside the dashboard: the datasource, the dashboard
 * provider and the alert rules agree with each other, and every alert query runs on
 * a real influxd against what InfluxRecorder writes, firing on a gateway in trouble
 * and staying quiet on a healthy one.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { systemClock, VirtualClock } from '../../core/clock';
import { e1Span, FixtureSource } from '../../../test-support/telemetry/fixture-source';
import { InfluxdbServer } from '../../../test-support/telemetry/influxdb-server';
import { InfluxRecorder } from '../influx/influx-recorder';
import { InfluxWriter } from '../influx/influx-writer';
import { PacingSnapshot } from '../source';

jest.setTimeout(60_000);

const DIR = join(__dirname, 'provisioning');
const load = (file: string) => parse(readFileSync(join(DIR, file), 'utf8'));
const datasources = load('datasources/trunkpilot.yaml');
const providers = load('dashboards/trunkpilot.yaml');
const alerting = load('alerting/trunkpilot.yaml');
const dashboard = JSON.parse(readFileSync(join(__dirname, 'trunkpilot-influxdb.json'), 'utf8'));

interface RuleData {
  refId: string;
  datasourceUid: string;
  model: { query?: string; type?: string; expression?: string; conditions?: { evaluator: { type: string; params: number[] } }[] };
}
interface Rule {
  uid: string;
  title: string;
  condition: string;
  data: RuleData[];
}
const rules: Rule[] = alerting.groups.flatMap((g: { rules: Rule[] }) => g.rules);

describe('provisioning files', () => {
  it('provide one InfluxDB datasource whose uid every alert query uses', () => {
    expect(datasources.datasources).toHaveLength(1);
    const ds = datasources.datasources[0];
    expect(ds).toMatchObject({ type: 'influxdb', uid: 'trunkpilot-influxdb', isDefault: true });
    for (const r of rules) {
      const queries = r.data.filter((d) => d.datasourceUid !== '__expr__');
      expect(queries.map((q) => q.datasourceUid)).toEqual([ds.uid]);
      expect(r.data.find((d) => d.refId === r.condition)?.model.type).toBe('threshold');
    }
  });

  it('alert on abandonment over target in the rolling hour, a span in alarm, and every seat paused', () => {
    expect(rules.map((r) => r.uid).sort()).toEqual(['trunkpilot-abandon-hour', 'trunkpilot-seats-paused', 'trunkpilot-span-alarm']);
  });

  it('load the dashboard from a file provider, and the dashboard has stat panels, thresholds at the target and mappings', () => {
    expect(providers.providers[0]).toMatchObject({ type: 'file', options: { path: expect.stringMatching(/^\//) } });
    const stat = dashboard.panels.filter((p: { type: string }) => p.type === 'stat');
    expect(stat.length).toBeGreaterThanOrEqual(6);
    const hour = dashboard.panels.find((p: { title: string }) => p.title === 'Abandonment, rolling hour');
    expect(hour.fieldConfig.defaults.thresholds.steps.at(-1)).toEqual({ color: 'red', value: 0.03 });
    const link = dashboard.panels.find((p: { title: string }) => p.title === 'Span link up');
    expect(link.fieldConfig.defaults.mappings[0].options).toMatchObject({ '0': { text: 'link down' }, '1': { text: 'link up' } });
    const alarms = dashboard.panels.find((p: { title: string }) => p.title === 'Span alarms');
    const regexes = alarms.fieldConfig.defaults.mappings.filter((m: { type: string }) => m.type === 'regex');
    const named = (text: string) =>
      regexes.find((m: { options: { pattern: string } }) => new RegExp(`^${m.options.pattern}$`).test(text))?.options.result.text;
    expect(named('LOS')).toBe('loss of signal');
    expect(named('AIS RAI')).toBe('alarm indication signal (blue alarm)');
    expect(named('RAI')).toBe('remote alarm indication (yellow alarm)');
    // Abandonment has its own (right) axis, with the target drawn on it.
    const chart = dashboard.panels.find((p: { title: string }) => p.title === 'Occupancy and abandonment');
    const props = Object.fromEntries(chart.fieldConfig.overrides[0].properties.map((x: { id: string; value: unknown }) => [x.id, x.value]));
    expect(props['custom.axisPlacement']).toBe('right');
    expect(props.max).toBeLessThan(1);
    expect(props['custom.thresholdsStyle']).toEqual({ mode: 'dashed' });
  });
});

describe('alert queries on a real influxd', () => {
  let influx: InfluxdbServer;
  beforeAll(async () => {
    influx = await InfluxdbServer.start();
  });
  afterAll(async () => {
    await influx?.close();
  });

  const BASE = 1_700_000_000_000;

  /** Three samples, 10 s apart, of a gateway in the given condition. */
  async function record(db: string, trouble: boolean): Promise<void> {
    const source = new FixtureSource();
    source.spanList = [{ ...e1Span(1, 3), alarms: trouble ? ['LOS'] : [] }, e1Span(2)];
    source.seatList = [
      { seat: 's1', state: 'paused', campaign: 'spring', since: 0 },
      { seat: 's2', state: trouble ? 'paused' : 'talking', campaign: 'spring', since: 0 },
    ];
    const rate = trouble ? 0.05 : 0.01;
    const pacing: PacingSnapshot = {
      campaign: 'spring',
      dialLevel: 1,
      occupancy: 0.5,
      abandonment: rate,
      abandonTarget: 0.03,
      waiting: 0,
      longestWaitMs: 0,
      acd: {
        answeredToday: 100,
        abandonedToday: 100 * rate,
        abandonmentToday: rate,
        answeredHour: 100,
        abandonedHour: 100 * rate,
        abandonmentHour: rate,
        asaMs: 500,
        serviceLevel: 0.95,
        callsPerHour: 200,
      },
    };
    source.pacingList = [pacing];
    const clock = new VirtualClock(BASE);
    const writer = new InfluxWriter({ url: influx.url, database: db, clock: systemClock, flushIntervalMs: 10 });
    const recorder = new InfluxRecorder(source, writer, { gateway: 'gw1', clock, intervalMs: 10_000 });
    recorder.start();
    for (let i = 0; i < 3; i++) clock.advance(10_000);
    const deadline = Date.now() + 5000;
    while (writer.stats().written < writer.stats().accepted || writer.stats().accepted === 0) {
      if (Date.now() > deadline) throw new Error('samples not written');
      await new Promise((r) => setTimeout(r, 20));
    }
    recorder.close();
    await writer.close();
  }

  /** What Grafana does with a rule: run A, take each series' last value (B), apply the threshold (C). */
  async function fires(db: string, rule: Rule): Promise<boolean> {
    const a = rule.data.find((d) => d.refId === 'A')!;
    const query = a.model.query!.replace(/\$timeFilter/g, `time >= ${BASE - 60_000}ms AND time <= ${BASE + 60_000}ms`);
    const r = await influx.query(db, query);
    expect({ query, error: r.results[0].error }).toEqual({ query, error: undefined });
    const series = r.results[0].series ?? [];
    expect({ query, series: series.length }).not.toEqual({ query, series: 0 });
    const evaluator = rule.data.find((d) => d.refId === rule.condition)!.model.conditions![0].evaluator;
    expect(evaluator.type).toBe('gt');
    return series.some((s) => {
      const values = s.values.map((v) => v[1]).filter((v): v is number => typeof v === 'number');
      return values.length > 0 && values[values.length - 1] > evaluator.params[0];
    });
  }

  it('fires every rule on a gateway in trouble and none on a healthy one', async () => {
    await record('tp_alert_bad', true);
    await record('tp_alert_ok', false);
    for (const rule of rules) {
      expect({ rule: rule.uid, fires: await fires('tp_alert_bad', rule) }).toEqual({ rule: rule.uid, fires: true });
      expect({ rule: rule.uid, fires: await fires('tp_alert_ok', rule) }).toEqual({ rule: rule.uid, fires: false });
    }
  });
});
