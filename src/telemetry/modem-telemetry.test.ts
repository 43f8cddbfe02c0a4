/** Per-module telemetry of modem trunks over MQTT: state, signal, registration, operator, SIM, calls today against the cap. */
import { silentLogger } from '../core/logger';
import { CalleePopulation } from '../../simulator/callee-population';
import { buildGsmRig, GsmRig } from '../../simulator/modem/gsm-rig';
import { MqttWatch } from '../../test-support/telemetry/mqtt-watch';
import { hashPassword } from './broker/credentials';
import { startTelemetry, TelemetryHandle } from './start-telemetry';
import { InfluxdbServer } from '../../test-support/telemetry/influxdb-server';

jest.setTimeout(30_000);

let rig: GsmRig;
let t: TelemetryHandle;
let watch: MqttWatch;

beforeAll(async () => {
  const population = new CalleePopulation({ seed: 2 });
  rig = await buildGsmRig({ spans: 1, modems: 2, seed: 2, population, logger: silentLogger, dailyCallCap: 40 });
  // A viewer (read-only): what a dashboard of the mobile trunks logs in as.
  const viewer = { passwordHash: hashPassword('pw', { logN: 10, r: 8, p: 1 }), role: 'viewer' as const };
  t = await startTelemetry({ group: rig.group, gateway: 'gsm1', mqttPort: 0, httpPort: false, intervalMs: 100, users: { wall: viewer } });
  watch = await MqttWatch.connect(t.mqttUrl, { username: 'wall', password: 'pw' }, 'trunkpilot/gsm1/modems/#');
});

afterAll(async () => {
  await watch?.close();
  await t?.close();
  await rig?.close();
});

it('publishes each module retained, and its change when the network drops it', async () => {
  const first = await watch.next((m) => m.topic === 'trunkpilot/gsm1/modems/1/1/state');
  expect(first.retain).toBe(true);
  expect(first.json).toMatchObject({
    span: 1,
    channel: 1,
    model: 'quectel-ec2x',
    state: 'ready',
    rssi: 20,
    registration: 'home',
    operator: 'CHINA MOBILE',
    sim: 'ready',
    imei: '866123456700000',
    callsToday: 0,
    dailyCap: 40,
  });
  expect((await watch.next((m) => m.topic === 'trunkpilot/gsm1/modems/1/2/state')).json).toMatchObject({
    model: 'simcom-sim7600',
    state: 'ready',
  });

  rig.population.override('13800138000', 'busy');
  await rig.group.dial({ number: '13800138000' });
  expect((await watch.next((m) => m.json.callsToday === 1)).json).toMatchObject({ callsToday: 1, dailyCap: 40 });

  rig.injectFault('NOT_REGISTERED', { modem: 2 });
  const dropped = await watch.next((m) => m.topic === 'trunkpilot/gsm1/modems/1/2/state' && m.json.state === 'not-ready');
  expect(dropped.json.reason).toMatch(/not registered/);
});

it('writes each module to InfluxDB: in service, signal, registration, calls today against the cap', async () => {
  const influx = await InfluxdbServer.start();
  const population = new CalleePopulation({ seed: 3 });
  const gsm = await buildGsmRig({ spans: 1, modems: 2, seed: 3, population, logger: silentLogger, dailyCallCap: 40 });
  // Telemetry on the system clock (the rig's own clock runs free, far ahead): a sample every 200 ms.
  const h = await startTelemetry({
    group: gsm.group,
    gateway: 'gsmhist',
    mqttPort: 0,
    httpPort: false,
    influx: { url: influx.url, database: 'gsmhist', intervalMs: 200 },
  });
  const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
  try {
    gsm.population.override('13800138000', 'busy');
    await gsm.group.dial({ number: '13800138000' });
    await wait(800);
    gsm.injectFault('NOT_REGISTERED', { modem: 2 });
    await wait(800);
    for (let i = 0; i < 100 && h.influx!.writer.stats().buffered > 0; i++) {
      await h.influx!.writer.flush();
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(h.influx!.writer.stats()).toMatchObject({ dropped: 0, rejected: 0 });
    const last = await influx.query(
      'gsmhist',
      'SELECT last(in_service), last(rssi), last(registration), last(calls_today), last(daily_cap), last(operator) FROM modem GROUP BY modem',
    );
    const byModem = Object.fromEntries(last.results[0].series!.map((s) => [s.tags!.modem, s.values[0].slice(1)]));
    // Module 1 in service; module 2 was dropped by the network.
    expect([byModem['1'][0], byModem['1'][1], byModem['1'][2], byModem['1'][4], byModem['1'][5]]).toEqual([
      1,
      20,
      'home',
      40,
      'CHINA MOBILE',
    ]);
    expect(byModem['2'][0]).toBe(0);
    // The busy call was counted against one SIM (the rig's clock runs free, so its cap day may have rolled over since).
    const counted = await influx.query('gsmhist', 'SELECT max(calls_today) FROM modem GROUP BY modem');
    expect(counted.results[0].series!.map((x) => x.values[0][1]).sort()).toEqual([0, 1]);
    // While it was registered, module 2 was in service: the history shows the drop.
    const history = await influx.query('gsmhist', "SELECT max(in_service), min(in_service) FROM modem WHERE modem = '2'");
    expect(history.results[0].series![0].values[0].slice(1)).toEqual([1, 0]);
  } finally {
    await h.close();
    await gsm.close();
    await influx.close();
  }
});
